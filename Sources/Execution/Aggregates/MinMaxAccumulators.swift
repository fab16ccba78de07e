import Storage

/// `min` / `max` over integer-like types (INTEGER, BIGINT, DATE, TIMESTAMP, DECIMAL) and BOOLEAN, held as Int64.
final class IntegerMinMaxAccumulator: GroupedAccumulator {
    let isMax: Bool
    let resultType: DataType
    private var best: [Int64] = []
    private var seen: [UInt8] = []

    init(isMax: Bool, resultType: DataType) { self.isMax = isMax; self.resultType = resultType }

    func resize(_ n: Int) {
        if best.count < n {
            best.appendGrowing(isMax ? .min : .max, count: n - best.count)
            seen.appendGrowing(0, count: n - seen.count)
        }
    }

    func update(_ arguments: [Column], _ gids: UnsafeBufferPointer<Int32>) throws {
        let c = arguments[0]
        switch c.data {
        case let .int64(v): v.withUnsafeBufferPointer { run($0, c.validity, gids) }
        case let .int32(v): v.withUnsafeBufferPointer { run($0, c.validity, gids) }
        case let .bool(v): let ints = v.map { Int32($0 ? 1 : 0) }; ints.withUnsafeBufferPointer { run($0, c.validity, gids) }
        default: break
        }
    }

    @inline(__always)
    private func run<T: FixedWidthInteger>(_ x: UnsafeBufferPointer<T>, _ validity: [UInt8]?, _ gids: UnsafeBufferPointer<Int32>) {
        let isMax = self.isMax
        best.withUnsafeMutableBufferPointer { b in
            seen.withUnsafeMutableBufferPointer { s in
                for i in 0..<x.count {
                    if let v = validity, v[i] == 0 { continue }
                    let g = Int(gids[i]), value = Int64(x[i])
                    if isMax ? value > b[g] : value < b[g] { b[g] = value }
                    s[g] = 1
                }
            }
        }
    }

    func merge(_ other: GroupedAccumulator, mapping: [Int32]) throws {
        guard let o = other as? IntegerMinMaxAccumulator else { return }
        for g in 0..<o.best.count where o.seen[g] != 0 {
            let t = Int(mapping[g])
            if t < 0 { continue }
            if seen[t] == 0 || (isMax ? o.best[g] > best[t] : o.best[g] < best[t]) { best[t] = o.best[g] }
            seen[t] = 1
        }
    }

    func finish(_ n: Int) throws -> Column {
        resize(n)
        let valid = AggregateResults.validity(Array(seen.prefix(n)))
        let values = (0..<n).map { seen[$0] != 0 ? best[$0] : 0 }
        return try AggregateResults.column(int64: values, valid: valid, type: resultType)
    }

    func makeEmpty() -> GroupedAccumulator { IntegerMinMaxAccumulator(isMax: isMax, resultType: resultType) }
}

/// `min` / `max` over DOUBLE (NaN sorts above every number, as in Trino's ordering).
final class DoubleMinMaxAccumulator: GroupedAccumulator {
    let isMax: Bool
    let resultType: DataType
    private var best: [Double] = []
    private var seen: [UInt8] = []

    init(isMax: Bool, resultType: DataType) { self.isMax = isMax; self.resultType = resultType }

    func resize(_ n: Int) {
        if best.count < n {
            best.appendGrowing(0, count: n - best.count)
            seen.appendGrowing(0, count: n - seen.count)
        }
    }

    @inline(__always) private func better(_ a: Double, _ b: Double) -> Bool {
        if isMax { return a > b || (a.isNaN && !b.isNaN) }
        return a < b || (b.isNaN && !a.isNaN)
    }

    func update(_ arguments: [Column], _ gids: UnsafeBufferPointer<Int32>) throws {
        let c = arguments[0]
        let values: [Double]
        if case let .double(v) = c.data { values = v } else { values = AggregateResults.doubles(c) }
        let validity = c.validity
        values.withUnsafeBufferPointer { x in
            best.withUnsafeMutableBufferPointer { b in
                seen.withUnsafeMutableBufferPointer { s in
                    for i in 0..<x.count {
                        if let v = validity, v[i] == 0 { continue }
                        let g = Int(gids[i])
                        if s[g] == 0 || better(x[i], b[g]) { b[g] = x[i] }
                        s[g] = 1
                    }
                }
            }
        }
    }

    func merge(_ other: GroupedAccumulator, mapping: [Int32]) throws {
        guard let o = other as? DoubleMinMaxAccumulator else { return }
        for g in 0..<o.best.count where o.seen[g] != 0 {
            let t = Int(mapping[g])
            if t < 0 { continue }
            if seen[t] == 0 || better(o.best[g], best[t]) { best[t] = o.best[g] }
            seen[t] = 1
        }
    }

    func finish(_ n: Int) throws -> Column {
        resize(n)
        return AggregateResults.column(double: Array(best.prefix(n)), valid: AggregateResults.validity(Array(seen.prefix(n))), type: resultType)
    }

    func makeEmpty() -> GroupedAccumulator { DoubleMinMaxAccumulator(isMax: isMax, resultType: resultType) }
}

/// `min` / `max` over VARCHAR, compared byte-wise; a group's best string is copied only when it improves.
final class StringMinMaxAccumulator: GroupedAccumulator {
    let isMax: Bool
    private var best: [[UInt8]] = []
    private var seen: [UInt8] = []

    init(isMax: Bool) { self.isMax = isMax }

    func resize(_ n: Int) {
        if best.count < n {
            best.appendGrowing([], count: n - best.count)
            seen.appendGrowing(0, count: n - seen.count)
        }
    }

    @inline(__always) private func better(_ a: UnsafeBufferPointer<UInt8>, than b: [UInt8]) -> Bool {
        let c = b.withUnsafeBufferPointer { StringOrdering.compare(a, $0) }
        return isMax ? c > 0 : c < 0
    }

    private func offer(_ g: Int, _ bytes: UnsafeBufferPointer<UInt8>) {
        if seen[g] == 0 || better(bytes, than: best[g]) { best[g] = Array(bytes); seen[g] = 1 }
    }

    func update(_ arguments: [Column], _ gids: UnsafeBufferPointer<Int32>) throws {
        let c = arguments[0]
        switch c.data {
        case let .string(s):
            for i in 0..<c.count where !c.isNull(i) { s.withBytes(at: i) { offer(Int(gids[i]), $0) } }
        case let .dictionary(codes, dict):
            for i in 0..<c.count where !c.isNull(i) { dict.withBytes(at: Int(codes[i])) { offer(Int(gids[i]), $0) } }
        default: break
        }
    }

    func merge(_ other: GroupedAccumulator, mapping: [Int32]) throws {
        guard let o = other as? StringMinMaxAccumulator else { return }
        for g in 0..<o.best.count where mapping[g] >= 0 && o.seen[g] != 0 {
            o.best[g].withUnsafeBufferPointer { offer(Int(mapping[g]), $0) }
        }
    }

    func finish(_ n: Int) throws -> Column {
        resize(n)
        var out = StringArray()
        for g in 0..<n { best[g].withUnsafeBufferPointer { out.append(bytes: $0) } }
        return Column(type: .varchar, data: .string(out), validity: AggregateResults.validity(Array(seen.prefix(n))))
    }

    func makeEmpty() -> GroupedAccumulator { StringMinMaxAccumulator(isMax: isMax) }
}

/// Byte-wise (code point) ordering of UTF-8 strings.
enum StringOrdering {
    @inline(__always) static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let n = min(a.count, b.count)
        if n > 0, let pa = a.baseAddress, let pb = b.baseAddress {
            let c = memcmp(pa, pb, n)
            if c != 0 { return c < 0 ? -1 : 1 }
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
