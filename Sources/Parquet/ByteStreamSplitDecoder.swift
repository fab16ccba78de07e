import Storage

/// Decodes BYTE_STREAM_SPLIT: byte `k` of value `i` is at `k * count + i`, for values `width` bytes wide.
enum ByteStreamSplitDecoder {
    static func decode(_ cursor: inout ByteCursor, physical: PhysicalKind, typeLength: Int, count: Int, what: String) throws -> DecodedValues {
        let width: Int
        switch physical {
        case .int32, .float: width = 4
        case .int64, .double: width = 8
        case .fixedLenByteArray: width = typeLength
        default: throw TarnError.unsupported("\(what): BYTE_STREAM_SPLIT on \(physical)")
        }
        guard width > 0, count <= cursor.remaining / width else { throw ByteCursor.truncated(what) }
        let start = try cursor.take(width * count, what)
        let base = cursor.base
        let interleaved = [UInt8](unsafeUninitializedCapacity: width * count) { buffer, n in
            for k in 0..<width {
                let stream = start + k * count
                for i in 0..<count { buffer[i * width + k] = base[stream + i] }
            }
            n = width * count
        }
        return try interleaved.withUnsafeBytes { raw in
            var c = ByteCursor(raw)
            return try PlainDecoder.decode(&c, physical: physical, typeLength: typeLength, count: count, what: what)
        }
    }
}
