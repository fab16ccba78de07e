import Storage
import Execution

/// The type a column's sampled values suggest, widened as values arrive: BIGINT and DOUBLE give DOUBLE, DATE and
/// TIMESTAMP give TIMESTAMP, anything else mixed gives VARCHAR. JSON strings stay VARCHAR unless they are dates
/// or timestamps (so a zipcode "02134" stays text); CSV text is tried as BIGINT, DOUBLE, BOOLEAN, DATE, TIMESTAMP,
/// and an integer with a leading zero is kept as VARCHAR.
struct InferredType {
    private(set) var type: DataType?

    /// The inferred type, VARCHAR when only NULLs were seen.
    var resolved: DataType { type.map { JSONTypeInference.resolved($0) } ?? .varchar }

    mutating func observe(_ kind: IngestFieldKind, _ text: UnsafeBufferPointer<UInt8>, nested: Bool = false) {
        if type == .varchar { return }
        let seen: DataType
        switch kind {
        case .null: return
        case .boolean: seen = .boolean
        case .nested where nested:
            // read_json's nested mode: the JSON object's / array's own type, merged with what earlier records gave.
            let inferred = JSONTypeInference.type(ofJSON: String(decoding: text, as: UTF8.self)) ?? .varchar
            type = type.map { JSONTypeInference.widen($0, inferred) } ?? inferred
            return
        case .nested: seen = .varchar
        case .number: seen = TextValueParser.int64(text) != nil ? .bigint : .double
        case .string where type == nil || type == .date || type == .timestamp:
            seen = Self.temporal(text) ?? .varchar
        case .string: seen = .varchar
        case .text:
            seen = Self.scalar(text)
        }
        type = type.map { Self.widen($0, seen) } ?? seen
    }

    /// CSV observations (quoted or not, text is typed by its content).
    mutating func observeText(_ text: UnsafeBufferPointer<UInt8>, empty: Bool) {
        if type == .varchar || empty { return }
        let seen = Self.scalar(text)
        type = type.map { Self.widen($0, seen) } ?? seen
    }

    private static func scalar(_ text: UnsafeBufferPointer<UInt8>) -> DataType {
        let leadingZero = text.count > 1 && text[0] == UInt8(ascii: "0") && TextValueParser.isDigit(text[1])
        if !leadingZero, TextValueParser.int64(text) != nil { return .bigint }
        if !leadingZero, text.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }),
           TextValueParser.double(text) != nil { return .double }
        if text.count >= 4 && text.count <= 5, let _ = TextValueParser.boolean(text) { return .boolean }
        return temporal(text) ?? .varchar
    }

    private static func temporal(_ text: UnsafeBufferPointer<UInt8>) -> DataType? {
        guard text.count >= 8, text.count <= 32, TextValueParser.isDigit(text[0]) else { return nil }
        if TextValueParser.date(text) != nil { return .date }
        if text.count > 10, TextValueParser.timestamp(text) != nil { return .timestamp }
        return nil
    }

    static func widen(_ a: DataType, _ b: DataType) -> DataType {
        if a == b { return a }
        switch (a, b) {
        case (.bigint, .double), (.double, .bigint): return .double
        case (.date, .timestamp), (.timestamp, .date): return .timestamp
        default: return .varchar
        }
    }
}
