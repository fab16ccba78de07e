#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Reads a Tarn data file: the footer on open, then any column chunk of any row group on demand.
/// Every length, offset and count taken from the file is checked before use; damage gives
/// `TarnError(.corruption, …)` naming the file, row group and column. Safe to use from several threads.
public final class DataFileReader: @unchecked Sendable {
    public let path: String
    public let schema: Schema
    /// Field ids from the footer (one per schema field).
    public let fieldIds: [Int32]
    public let rowGroups: [RowGroupInfo]
    /// Per column: the file's estimated distinct non-NULL values; nil when unknown (format version 1, nested types).
    public let distinctCounts: [Int?]
    /// Size of the file in bytes when it was opened.
    public let byteSize: Int
    private let chunks: [[ColumnChunkMetadata]]
    private let descriptor: Int32
    /// Identity of the opened file (device, inode, size, modification time) for `ChunkPayloadCache` keys.
    private let identity: String
    private let counterLock = NSLock()
    private var bytesReadCount = 0

    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw TarnError.io("\(path): cannot open data file: \(String(cString: strerror(errno)))") }
        descriptor = fd
        do {
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw TarnError.io("\(path): cannot stat data file") }
            let size = Int(info.st_size)
            byteSize = size
            #if canImport(Glibc)
            let modified = info.st_mtim
            #else
            let modified = info.st_mtimespec
            #endif
            identity = "\(path)|\(info.st_dev):\(info.st_ino):\(size):\(modified.tv_sec).\(modified.tv_nsec)"
            guard size >= DataFileLayout.headerSize + DataFileLayout.trailerSize else {
                throw TarnError.corruption("\(path): file of \(size) bytes is too short to be a data file")
            }
            let header = try Self.pread(fd, path, count: DataFileLayout.headerSize, at: 0)
            guard Array(header[0 ..< 4]) == DataFileLayout.magic else { throw TarnError.corruption("\(path): not a Tarn data file (bad magic)") }
            let version = UInt16(header[4]) | UInt16(header[5]) << 8
            if version > DataFileLayout.readableVersions.upperBound, version < 256 {
                throw TarnError.corruption("\(path): written by a newer Tarn (data file format version \(version); this build reads versions "
                                           + "\(DataFileLayout.readableVersions.lowerBound)–\(DataFileLayout.readableVersions.upperBound)): upgrade Tarn to read it")
            }
            guard DataFileLayout.readableVersions.contains(version), header[6] == 0, header[7] == 0 else {
                throw TarnError.corruption("\(path): unsupported format version \(version) or flags")
            }
            let trailer = try Self.pread(fd, path, count: DataFileLayout.trailerSize, at: size - DataFileLayout.trailerSize)
            guard Array(trailer[12 ..< 16]) == DataFileLayout.magic else { throw TarnError.corruption("\(path): bad magic at end of file (truncated?)") }
            let (footerLength, footerChecksum) = trailer.withUnsafeBytes {
                (Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 0, as: UInt32.self))),
                 UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 4, as: UInt64.self)))
            }
            let dataEnd = size - DataFileLayout.trailerSize - footerLength
            guard dataEnd >= DataFileLayout.headerSize else { throw TarnError.corruption("\(path): footer length \(footerLength) exceeds the file") }
            let footerBytes = try Self.pread(fd, path, count: footerLength, at: dataEnd)
            bytesReadCount = DataFileLayout.headerSize + DataFileLayout.trailerSize + footerLength
            guard XXHash64.hash(footerBytes) == footerChecksum else { throw TarnError.corruption("\(path): footer checksum mismatch") }
            let footer: DataFileFooter
            do {
                footer = try footerBytes.withUnsafeBytes { try DataFileFooter.parse($0, dataRange: DataFileLayout.headerSize ..< dataEnd, version: version) }
            } catch let violation as FormatViolation {
                throw TarnError.corruption("\(path): footer: \(violation.reason)")
            }
            schema = footer.schema
            fieldIds = footer.fieldIds
            chunks = footer.rowGroups.map(\.chunks)
            rowGroups = footer.rowGroups.map { RowGroupInfo(rowCount: $0.rowCount, columns: $0.chunks.map(\.statistics)) }
            distinctCounts = footer.distinctCounts
        } catch {
            close(fd)
            throw error
        }
    }

    deinit { close(descriptor) }

    /// Total rows over all row groups.
    public var rowCount: Int { rowGroups.reduce(0) { $0 + $1.rowCount } }

    /// Bytes read from the file so far (header, footer and trailer on open, then every chunk read).
    public var bytesRead: Int { counterLock.withLock { bytesReadCount } }

    /// Decodes one column chunk; verifies its checksum first. `fillCache` false reads through `ChunkPayloadCache`
    /// without adding the chunk to it.
    public func readColumn(rowGroup: Int, column: Int, fillCache: Bool = true) throws -> Column {
        let meta = try metadata(rowGroup: rowGroup, column: column)
        let field = schema.fields[column]
        let rowCount = rowGroups[rowGroup].rowCount
        let payload = try payload(meta, rowGroup: rowGroup, column: column, fillCache: fillCache)
        do {
            return try payload.withUnsafeBytes {
                try ColumnChunkDecoder.decode($0, type: field.type, encoding: meta.encoding,
                                              rowCount: rowCount, nullCount: meta.statistics.nullCount)
            }
        } catch let violation as FormatViolation {
            throw corruption(violation.reason, rowGroup: rowGroup, column: column)
        }
    }

    /// Rows `rows` of one column chunk (ascending positions in the row group), in that order: decoded one by one when
    /// they are few and the encoding allows it (`SelectiveChunkDecoder`), else the whole chunk is decoded and gathered.
    public func readColumn(rowGroup: Int, column: Int, rows: [Int32], fillCache: Bool = true) throws -> Column {
        let meta = try metadata(rowGroup: rowGroup, column: column)
        let rowCount = rowGroups[rowGroup].rowCount
        if SelectiveChunkDecoder.isWorthwhile(selected: rows.count, rowCount: rowCount) {
            let field = schema.fields[column]
            let payload = try payload(meta, rowGroup: rowGroup, column: column, fillCache: fillCache)
            do {
                let selected = try payload.withUnsafeBytes {
                    try SelectiveChunkDecoder.decode($0, type: field.type, encoding: meta.encoding, rowCount: rowCount,
                                                     nullCount: meta.statistics.nullCount, rows: rows)
                }
                if let selected { return selected }
            } catch let violation as FormatViolation {
                throw corruption(violation.reason, rowGroup: rowGroup, column: column)
            }
        }
        return try readColumn(rowGroup: rowGroup, column: column, fillCache: fillCache).gather(rows)
    }

    /// The error for damage found in one column chunk.
    func corruption(_ reason: String, rowGroup: Int, column: Int) -> TarnError {
        TarnError.corruption("\(path): row group \(rowGroup), column '\(schema.fields[column].name)': \(reason)")
    }

    /// The verified, decompressed payload of one column chunk (through `ChunkPayloadCache`).
    func payload(_ meta: ColumnChunkMetadata, rowGroup: Int, column: Int, fillCache: Bool = true) throws -> [UInt8] {
        func corrupt(_ reason: String) -> TarnError { corruption(reason, rowGroup: rowGroup, column: column) }
        return try ChunkPayloadCache.shared.payload(path: identity, offset: meta.offset, admit: fillCache) { () throws -> ([UInt8], Bool) in
            let stored = try Self.pread(descriptor, path, count: meta.storedLength, at: meta.offset)
            counterLock.withLock { bytesReadCount += meta.storedLength }
            guard XXHash64.hash(stored) == meta.checksum else { throw corrupt("checksum mismatch") }
            switch meta.compression {
            case .none: return (stored, false)
            case .zstd:
                guard let decompressed = stored.withUnsafeBytes({ ZstdDecompressor.decompress($0, expectedSize: meta.payloadLength) }) else {
                    throw corrupt("zstd frame does not decompress to \(meta.payloadLength) bytes")
                }
                return (decompressed, true)
            }
        }
    }

    /// All columns of one row group as a batch.
    public func readRowGroup(_ rowGroup: Int) throws -> Batch {
        guard rowGroup >= 0, rowGroup < rowGroups.count else { throw TarnError(.internal, "\(path): no row group \(rowGroup)") }
        return Batch(columns: try (0 ..< schema.count).map { try readColumn(rowGroup: rowGroup, column: $0) },
                     count: rowGroups[rowGroup].rowCount)
    }

    /// Compressed size in bytes of one column chunk as stored.
    public func chunkSize(rowGroup: Int, column: Int) -> Int {
        (try? metadata(rowGroup: rowGroup, column: column))?.storedLength ?? 0
    }

    /// Size in bytes of one column chunk after decompression (the encoded payload).
    public func chunkPayloadSize(rowGroup: Int, column: Int) -> Int {
        (try? metadata(rowGroup: rowGroup, column: column))?.payloadLength ?? 0
    }

    /// The value encoding chosen for one column chunk (nil for indices out of range). For tests and EXPLAIN.
    public func chunkEncoding(rowGroup: Int, column: Int) -> ChunkEncoding? {
        (try? metadata(rowGroup: rowGroup, column: column))?.encoding
    }

    /// The compression applied to one column chunk (nil for indices out of range).
    public func chunkCompression(rowGroup: Int, column: Int) -> ChunkCompression? {
        (try? metadata(rowGroup: rowGroup, column: column))?.compression
    }

    func metadata(rowGroup: Int, column: Int) throws -> ColumnChunkMetadata {
        guard rowGroup >= 0, rowGroup < chunks.count, column >= 0, column < schema.count else {
            throw TarnError(.internal, "\(path): no column chunk at row group \(rowGroup), column \(column)")
        }
        return chunks[rowGroup][column]
    }

    /// Exactly `count` bytes at `offset`; a short read means the file shrank or is truncated.
    private static func pread(_ fd: Int32, _ path: String, count: Int, at offset: Int) throws -> [UInt8] {
        var failure: TarnError? = nil
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                #if canImport(Glibc)
                let n = Glibc.pread(fd, buffer.baseAddress! + done, count - done, off_t(offset + done))
                #else
                let n = Darwin.pread(fd, buffer.baseAddress! + done, count - done, off_t(offset + done))
                #endif
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = TarnError.io("\(path): read failed: \(String(cString: strerror(errno)))")
                    break
                }
                if n == 0 {
                    failure = TarnError.corruption("\(path): unexpected end of file at offset \(offset + done)")
                    break
                }
                done += n
            }
            initialized = failure == nil ? count : 0
        }
        if let failure { throw failure }
        return bytes
    }
}
