import Storage
import Execution

/// Builds one column of a load from raw field text, converting to the column's type. Unlike `ColumnBuilder`
/// it can take back the values of a row that is later rejected (`truncate(to:)`), so a rejected row never
/// leaves half its values behind.
struct IngestColumnBuilder {
    let type: DataType
    private var bools: [Bool] = []
    private var i32: [Int32] = []
    private var i64: [Int64] = []
    private var f64: [Double] = []
    private var strings = StringArray()
    /// ARRAY columns: the fields' JSON (or `[a, b]`) text, converted once by `finish`.
    private var arrayTexts = StringArray()
    private var i128: [Int128] = []
    private var validity: [UInt8] = []
    private(set) var count = 0

    init(type: DataType, capacity: Int) {
        self.type = type
        validity.reserveCapacity(capacity)
        switch type.physical {
        case .bool: bools.reserveCapacity(capacity)
        case .int32: i32.reserveCapacity(capacity)
        case .int64: i64.reserveCapacity(capacity)
        case .int128: i128.reserveCapacity(capacity)
        case .double: f64.reserveCapacity(capacity)
        case .string: strings.reserve(strings: capacity, bytes: capacity * 12)
        case .list, .fields: arrayTexts.reserve(strings: capacity, bytes: capacity * 16)
        }
    }

    mutating func appendNull() {
        validity.append(0)
        count += 1
        switch type.physical {
        case .bool: bools.append(false)
        case .int32: i32.append(0)
        case .int64: i64.append(0)
        case .int128: i128.append(0)
        case .double: f64.append(0)
        case .string: strings.appendEmpty()
        case .list, .fields: arrayTexts.appendEmpty()
        }
    }

    /// Converts and appends `text`; false (and nothing appended) when the text does not fit the type.
    mutating func append(_ kind: IngestFieldKind, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
        if kind == .null { appendNull(); return true }
        switch type {
        case .varchar:
            strings.append(bytes: text)
        case .bigint:
            guard kind != .boolean && kind != .nested, let v = TextValueParser.int64(text) else { return false }
            i64.append(v)
        case .integer:
            guard kind != .boolean && kind != .nested, let v = TextValueParser.int64(text), let n = Int32(exactly: v) else { return false }
            i32.append(n)
        case .double:
            guard kind != .boolean && kind != .nested, let v = TextValueParser.double(text) else { return false }
            f64.append(v)
        case .boolean:
            guard kind != .nested && kind != .number, let v = TextValueParser.boolean(text) else { return false }
            bools.append(v)
        case .date:
            guard kind == .string || kind == .text, let v = TextValueParser.date(text) else { return false }
            i32.append(v)
        case .timestamp, .timestampTZ:
            // TIMESTAMPTZ: text with an offset is that instant, text without one is read as UTC.
            guard kind == .string || kind == .text, let v = TextValueParser.timestamp(text) else { return false }
            i64.append(v)
        case let .decimal(p, s) where p > DataType.maxInt64DecimalPrecision:
            guard kind != .boolean && kind != .nested, let v = Decimal128Text.parse(String(decoding: text, as: UTF8.self), precision: p, scale: s) else { return false }
            i128.append(v)
        case let .decimal(p, s):
            guard kind != .boolean && kind != .nested, let v = TextValueParser.decimal(text, precision: p, scale: s) else { return false }
            i64.append(v)
        case let .array(element):
            // A JSON array (a nested JSON field, or CSV text such as `[1, 2]`) whose elements all convert.
            guard kind == .nested || kind == .string || kind == .text else { return false }
            let value = String(decoding: text, as: UTF8.self)
            guard ArrayCast.converts(value, to: element, settings: SessionSettings()) else { return false }
            arrayTexts.append(value)
        case .row, .map:
            // A JSON object (or, for a ROW, an array of its fields) whose members all convert.
            guard kind == .nested || kind == .string || kind == .text else { return false }
            let value = String(decoding: text, as: UTF8.self)
            guard NestedCast.converts(value, to: type, settings: SessionSettings()) else { return false }
            arrayTexts.append(value)
        case .null:
            return false
        }
        validity.append(1)
        count += 1
        return true
    }

    /// Drops the values after the first `n` (the rows of a rejected record).
    mutating func truncate(to n: Int) {
        guard n < count else { return }
        validity.removeLast(count - n)
        switch type.physical {
        case .bool: bools.removeLast(bools.count - n)
        case .int32: i32.removeLast(i32.count - n)
        case .int64: i64.removeLast(i64.count - n)
        case .int128: i128.removeLast(i128.count - n)
        case .double: f64.removeLast(f64.count - n)
        case .string:
            strings.offsets.removeLast(strings.offsets.count - (n + 1))
            strings.bytes.removeLast(strings.bytes.count - strings.offsets[n])
        case .list, .fields:
            arrayTexts.offsets.removeLast(arrayTexts.offsets.count - (n + 1))
            arrayTexts.bytes.removeLast(arrayTexts.bytes.count - arrayTexts.offsets[n])
        }
        count = n
    }

    /// The column built so far; the builder starts over empty.
    mutating func finish() -> Column {
        let hasNull = validity.contains(0)
        let data: ColumnData
        let capacity = count
        switch type.physical {
        case .bool: data = .bool(bools); bools = []; bools.reserveCapacity(capacity)
        case .int32: data = .int32(i32); i32 = []; i32.reserveCapacity(capacity)
        case .int64: data = .int64(i64); i64 = []; i64.reserveCapacity(capacity)
        case .int128: data = .int128(i128); i128 = []; i128.reserveCapacity(capacity)
        case .double: data = .double(f64); f64 = []; f64.reserveCapacity(capacity)
        case .string:
            data = .string(strings)
            let bytes = strings.bytes.count
            strings = StringArray(); strings.reserve(strings: capacity, bytes: bytes)
        case .list where type.mapTypes != nil:
            let texts = Column(type: .varchar, data: .string(arrayTexts), validity: hasNull ? validity : nil)
            data = (try? CastKernels.cast(texts, to: type, isTry: true, settings: SessionSettings()))?.data
                ?? ColumnData.zeros(type, count: count)
            arrayTexts = StringArray()
        case .list:
            // Every kept field was checked by `append`, so the conversion does not fail; NULL rows stay NULL.
            let texts = Column(type: .varchar, data: .string(arrayTexts), validity: hasNull ? validity : nil)
            let element = type.elementType ?? .null
            data = (try? ArrayCast.fromText(texts, element: element, isTry: true, settings: SessionSettings()))?.data
                ?? ColumnData.zeros(type, count: count)
            arrayTexts = StringArray()
        case .fields:
            let texts = Column(type: .varchar, data: .string(arrayTexts), validity: hasNull ? validity : nil)
            data = (try? CastKernels.cast(texts, to: type, isTry: true, settings: SessionSettings()))?.data
                ?? ColumnData.zeros(type, count: count)
            arrayTexts = StringArray()
        }
        let column = Column(type: type, data: data, validity: hasNull ? validity : nil)
        validity = []; validity.reserveCapacity(capacity)
        count = 0
        return column
    }
}

extension IngestColumnBuilder {
    /// Appends an integer (SQLite INTEGER storage); converts through text for other column types.
    mutating func appendInt64(_ v: Int64) -> Bool {
        if type == .bigint { i64.append(v); validity.append(1); count += 1; return true }
        var text = String(v)
        return text.withUTF8 { append(.number, $0) }
    }

    mutating func appendDouble(_ v: Double) -> Bool {
        if type == .double { f64.append(v); validity.append(1); count += 1; return true }
        var text = "\(v)"
        return text.withUTF8 { append(.number, $0) }
    }

    mutating func appendBool(_ v: Bool) -> Bool {
        if type == .boolean { bools.append(v); validity.append(1); count += 1; return true }
        var text = v ? "true" : "false"
        return text.withUTF8 { append(.boolean, $0) }
    }
}
