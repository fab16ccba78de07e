/// One column chunk ready to be written: its stored bytes and the footer metadata describing them.
struct EncodedChunk {
    var stored: [UInt8]
    var payloadLength: Int
    var encoding: ChunkEncoding
    var compression: ChunkCompression
    var checksum: UInt64
    var statistics: ColumnStatistics
}
