/// How the values of one column chunk are encoded (before optional compression). Stored as one byte.
public enum ChunkEncoding: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Fixed-width little-endian values, or lengths + bytes for VARCHAR.
    case plain = 0
    /// Distinct values once, then bit-packed codes.
    case dictionary = 1
    /// (value, run length) pairs.
    case runLength = 2
    /// Reference value + bit-packed non-negative offsets from it.
    case frameOfReference = 3
    /// First value + bit-packed deltas (frame of reference over the deltas).
    case delta = 4

    public var description: String {
        switch self {
        case .plain: return "plain"
        case .dictionary: return "dictionary"
        case .runLength: return "run-length"
        case .frameOfReference: return "frame-of-reference"
        case .delta: return "delta"
        }
    }
}

/// Compression applied to a whole encoded chunk payload. Stored as one byte.
public enum ChunkCompression: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case none = 0
    case zstd = 1

    public var description: String { self == .none ? "none" : "zstd" }
}
