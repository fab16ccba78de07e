/// Fixed numbers of the data file layout (docs/FORMAT.md): magic, version, header and trailer sizes, limits.
enum DataFileLayout {
    /// "TARN" in file order.
    static let magic: [UInt8] = [0x54, 0x41, 0x52, 0x4E]
    /// Version 2 added the file's distinct-count section after the row groups; version 1 files are still read.
    static let formatVersion: UInt16 = 2
    static let readableVersions: ClosedRange<UInt16> = 1 ... 2
    /// magic (4) + version u16 + flags u16.
    static let headerSize = 8
    /// footer length u32 + footer XXH64 u64 + magic (4).
    static let trailerSize = 16
    /// Largest row count of one row group this implementation writes or accepts.
    static let maxRowGroupRows = 1 << 28
    /// Largest decompressed chunk payload accepted (4 GiB).
    static let maxPayloadBytes = 1 << 32
    /// Zero bytes appended after every bit-packed block so decoders can load 8 bytes at any value.
    static let bitPackPadding = 8
    /// zstd is kept only when the compressed chunk is at most this fraction (num/den) of the payload.
    static let zstdKeepNumerator = 7
    static let zstdKeepDenominator = 8
}
