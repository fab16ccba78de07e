import Storage

/// Building blocks for vectorised kernels: validity masks, typed buffer access and element-wise loops
/// over contiguous buffers. Generic helpers are `@inlinable`-style (`@inline(__always)`) so each use is
/// specialised into a tight loop without per-row boxing.
enum ColumnKernels {
    // MARK: Validity

    /// Validity of rows valid in both masks (`nil` = all valid).
    static func intersect(_ a: [UInt8]?, _ b: [UInt8]?) -> [UInt8]? {
        guard let a else { return b }
        guard let b else { return a }
        let n = a.count
        return [UInt8](unsafeUninitializedCapacity: n) { out, c in
            a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
                for i in 0..<n { out[i] = pa[i] & pb[i] }
            } }
            c = n
        }
    }

    /// Intersection of any number of masks.
    static func intersect(_ masks: [[UInt8]?]) -> [UInt8]? {
        var result: [UInt8]? = nil
        for m in masks { result = intersect(result, m) }
        return result
    }

    /// Drops a mask that marks no row NULL.
    static func normalized(_ v: [UInt8]?) -> [UInt8]? {
        guard let v else { return nil }
        return v.contains(0) ? v : nil
    }

    // MARK: Typed access

    static func int32s(_ c: Column) throws -> [Int32] {
        if case let .int32(a) = c.data { return a }
        throw TarnError(.internal, "expected a 32-bit integer column, got \(c.type)")
    }
    static func int64s(_ c: Column) throws -> [Int64] {
        if case let .int64(a) = c.data { return a }
        if case let .int32(a) = c.data { return a.map { Int64($0) } }
        throw TarnError(.internal, "expected a 64-bit integer column, got \(c.type)")
    }
    /// DECIMAL(19…38) unscaled values; Int64 columns (DECIMAL(≤18), integers) widened.
    static func int128s(_ c: Column) throws -> [Int128] {
        if case let .int128(a) = c.data { return a }
        if case let .int64(a) = c.data { return a.map { Int128($0) } }
        if case let .int32(a) = c.data { return a.map { Int128($0) } }
        throw TarnError(.internal, "expected a DECIMAL column, got \(c.type)")
    }
    static func doubles(_ c: Column) throws -> [Double] {
        if case let .double(a) = c.data { return a }
        throw TarnError(.internal, "expected a DOUBLE column, got \(c.type)")
    }
    static func bools(_ c: Column) throws -> [Bool] {
        if case let .bool(a) = c.data { return a }
        if c.type == .null { return [Bool](repeating: false, count: c.count) }
        throw TarnError(.internal, "expected a BOOLEAN column, got \(c.type)")
    }
    /// Numeric column converted to doubles (integers, decimals with their scale, doubles).
    static func numericAsDoubles(_ c: Column) throws -> [Double] {
        switch (c.type, c.data) {
        case let (_, .double(a)): return a
        case let (.decimal(_, s), .int64(a)):
            let f = DecimalMath.powerOfTen(s)
            return a.map { Double($0) / Double(f) }
        case let (.decimal(_, s), .int128(a)):
            let f = Double(Int128.powerOfTen(s))
            return a.map { Double($0) / f }
        case let (_, .int64(a)): return a.map { Double($0) }
        case let (_, .int32(a)): return a.map { Double($0) }
        default: throw TarnError(.internal, "expected a numeric column, got \(c.type)")
        }
    }

    // MARK: Element-wise loops

    /// `body` applied to every valid row; NULL rows get `placeholder` and are not computed.
    @inline(__always)
    static func map<A, R>(_ a: [A], _ validity: [UInt8]?, placeholder: R, _ body: (A) throws -> R) rethrows -> [R] {
        let n = a.count
        return try [R](unsafeUninitializedCapacity: n) { out, c in
            try a.withUnsafeBufferPointer { pa in
                if let validity {
                    try validity.withUnsafeBufferPointer { pv in
                        for i in 0..<n { out.initializeElement(at: i, to: pv[i] != 0 ? try body(pa[i]) : placeholder) }
                    }
                } else {
                    for i in 0..<n { out.initializeElement(at: i, to: try body(pa[i])) }
                }
            }
            c = n
        }
    }

    /// Binary element-wise loop over equally long buffers; `validity` is the combined mask.
    @inline(__always)
    static func map2<A, B, R>(_ a: [A], _ b: [B], _ validity: [UInt8]?, placeholder: R, _ body: (A, B) throws -> R) rethrows -> [R] {
        let n = a.count
        return try [R](unsafeUninitializedCapacity: n) { out, c in
            try a.withUnsafeBufferPointer { pa in try b.withUnsafeBufferPointer { pb in
                if let validity {
                    try validity.withUnsafeBufferPointer { pv in
                        for i in 0..<n { out.initializeElement(at: i, to: pv[i] != 0 ? try body(pa[i], pb[i]) : placeholder) }
                    }
                } else {
                    for i in 0..<n { out.initializeElement(at: i, to: try body(pa[i], pb[i])) }
                }
            } }
            c = n
        }
    }

    /// Like `map`, but a `nil` result makes the row NULL. Returns values and the resulting validity.
    @inline(__always)
    static func mapOptional<A, R>(_ a: [A], _ validity: [UInt8]?, placeholder: R, _ body: (A) throws -> R?) rethrows -> ([R], [UInt8]?) {
        let n = a.count
        var outValidity = validity ?? [UInt8](repeating: 1, count: n)
        var sawNull = validity != nil
        let values = try [R](unsafeUninitializedCapacity: n) { out, c in
            try a.withUnsafeBufferPointer { pa in
                for i in 0..<n {
                    if outValidity[i] != 0, let r = try body(pa[i]) {
                        out.initializeElement(at: i, to: r)
                    } else {
                        outValidity[i] = 0; sawNull = true
                        out.initializeElement(at: i, to: placeholder)
                    }
                }
            }
            c = n
        }
        return (values, sawNull ? normalized(outValidity) : nil)
    }

    /// Binary variant of `mapOptional`.
    @inline(__always)
    static func map2Optional<A, B, R>(_ a: [A], _ b: [B], _ validity: [UInt8]?, placeholder: R, _ body: (A, B) throws -> R?) rethrows -> ([R], [UInt8]?) {
        let n = a.count
        var outValidity = validity ?? [UInt8](repeating: 1, count: n)
        var sawNull = validity != nil
        let values = try [R](unsafeUninitializedCapacity: n) { out, c in
            try a.withUnsafeBufferPointer { pa in try b.withUnsafeBufferPointer { pb in
                for i in 0..<n {
                    if outValidity[i] != 0, let r = try body(pa[i], pb[i]) {
                        out.initializeElement(at: i, to: r)
                    } else {
                        outValidity[i] = 0; sawNull = true
                        out.initializeElement(at: i, to: placeholder)
                    }
                }
            } }
            c = n
        }
        return (values, sawNull ? normalized(outValidity) : nil)
    }

    // MARK: Constant columns

    /// A column repeating `value` `count` times, built directly in buffers; strings become a one-entry dictionary.
    static func constant(_ value: Value, type: DataType, count: Int) -> Column {
        if value.isNull { return Column.nulls(type, count: count) }
        switch (type.physical, value) {
        case let (.bool, .boolean(b)): return Column(type: type, data: .bool([Bool](repeating: b, count: count)))
        case let (.int32, .integer(x)), let (.int32, .date(x)):
            return Column(type: type, data: .int32([Int32](repeating: x, count: count)))
        case let (.int64, .bigint(x)), let (.int64, .timestamp(x)), let (.int64, .decimal(x, _)), let (.int64, .timestampTZ(x)):
            return Column(type: type, data: .int64([Int64](repeating: x, count: count)))
        case let (.int64, .integer(x)): return Column(type: type, data: .int64([Int64](repeating: Int64(x), count: count)))
        case let (.double, .double(x)): return Column(type: type, data: .double([Double](repeating: x, count: count)))
        case let (.string, .varchar(s)):
            return Column(type: type, data: .dictionary(codes: [Int32](repeating: 0, count: count), dictionary: StringArray([s])))
        default: return Column.constant(value, type: type, count: count)
        }
    }

    /// Whether every row of a column is NULL.
    static func allNull(_ c: Column) -> Bool {
        if c.type == .null { return true }
        guard let v = c.validity else { return false }
        return !v.contains(1)
    }
}
