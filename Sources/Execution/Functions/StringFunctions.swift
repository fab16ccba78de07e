import Foundation
import Storage

/// String functions (character-based, UTF-8; `concat` converts non-text arguments to VARCHAR): lower, upper, length, substr, concat, `||`, trim, ltrim,
/// rtrim, replace, split_part, strpos, starts_with, ends_with, reverse, lpad, rpad, left, right.
/// One-argument functions run once per dictionary entry on dictionary-encoded columns.
enum StringFunctions {
    static var definitions: [FunctionDefinition] {
        [
            FunctionDefinition("lower", [Overload([.varchar], .varchar) { a, _, _ in try caseMapped(a[0], upper: false) }]),
            FunctionDefinition("upper", [Overload([.varchar], .varchar) { a, _, _ in try caseMapped(a[0], upper: true) }]),
            FunctionDefinition("length", [Overload([.varchar], .bigint) { a, _, _ in
                Column(type: .bigint, data: .int64(try StringColumnReader.mapValues(a[0], placeholder: 0) { Int64(UTF8Text.characterCount($0)) }),
                       validity: a[0].validity)
            }]),
            FunctionDefinition("reverse", [Overload([.varchar], .varchar) { a, _, _ in
                try StringColumnReader.transform(a[0]) { bytes, out in
                    out.append(String(String.UnicodeScalarView(String(decoding: bytes, as: UTF8.self).unicodeScalars.reversed())))
                }
            }]),
            trimDefinition("trim", leading: true, trailing: true),
            trimDefinition("ltrim", leading: true, trailing: false),
            trimDefinition("rtrim", leading: false, trailing: true),
            FunctionDefinition("substr", [
                Overload([.varchar, .bigint], .varchar) { a, n, _ in try substr(a, n) },
                Overload([.varchar, .bigint, .bigint], .varchar) { a, n, _ in try substr(a, n) },
            ]),
            FunctionDefinition("left", [Overload([.varchar, .bigint], .varchar) { a, n, _ in
                try rowwiseString(a, n) { s, ints in String(s[0].unicodeScalars.prefix(Int(max(0, ints[1])))) }
            }]),
            FunctionDefinition("right", [Overload([.varchar, .bigint], .varchar) { a, n, _ in
                try rowwiseString(a, n) { s, ints in String(s[0].unicodeScalars.suffix(Int(max(0, ints[1])))) }
            }]),
            concatDefinition("concat"),
            concatWithSeparatorDefinition(),
            concatDefinition("||"),
            FunctionDefinition("replace", [
                Overload([.varchar, .varchar], .varchar) { a, n, _ in try rowwiseString(a, n) { s, _ in replace(s[0], s[1], "") } },
                Overload([.varchar, .varchar, .varchar], .varchar) { a, n, _ in try rowwiseString(a, n) { s, _ in replace(s[0], s[1], s[2]) } },
            ]),
            FunctionDefinition("split_part", [Overload([.varchar, .varchar, .bigint], .varchar) { a, n, _ in
                try rowwiseString(a, n) { s, ints in
                    let index = ints[2]
                    guard index > 0 else { throw TarnError(.execution, "split_part: index must be greater than zero") }
                    let parts = s[1].isEmpty ? [s[0]] : s[0].components(separatedBy: s[1])
                    return index <= parts.count ? parts[Int(index - 1)] : nil
                }
            }]),
            FunctionDefinition("strpos", [Overload([.varchar, .varchar], .bigint) { a, n, _ in
                try rowwiseInt(a, n) { s in
                    guard !s[1].isEmpty else { return 1 }
                    guard let r = s[0].range(of: s[1], options: .literal) else { return 0 }
                    return Int64(s[0].unicodeScalars[..<r.lowerBound].count + 1)
                }
            }]),
            FunctionDefinition("starts_with", [Overload([.varchar, .varchar], .boolean) { a, n, _ in
                try bytePredicate(a, n) { s, p in s.count >= p.count && memcmpPrefix(s, p, fromEnd: false) }
            }]),
            FunctionDefinition("ends_with", [Overload([.varchar, .varchar], .boolean) { a, n, _ in
                try bytePredicate(a, n) { s, p in s.count >= p.count && memcmpPrefix(s, p, fromEnd: true) }
            }]),
            padDefinition("lpad", left: true),
            padDefinition("rpad", left: false),
        ]
    }

    // MARK: Kernels

    static func caseMapped(_ c: Column, upper: Bool) throws -> Column {
        try StringColumnReader.transform(c) { bytes, out in
            if !bytes.contains(where: { $0 >= 0x80 }) {
                var copy = Array(bytes)
                for i in 0..<copy.count {
                    let b = copy[i]
                    if upper, b >= 97, b <= 122 { copy[i] = b - 32 } else if !upper, b >= 65, b <= 90 { copy[i] = b + 32 }
                }
                copy.withUnsafeBufferPointer { out.append(bytes: $0) }
            } else {
                let s = String(decoding: bytes, as: UTF8.self)
                out.append(upper ? s.uppercased() : s.lowercased())
            }
        }
    }

    static func trimDefinition(_ name: String, leading: Bool, trailing: Bool) -> FunctionDefinition {
        FunctionDefinition(name, [
            Overload([.varchar], .varchar) { a, _, _ in
                try StringColumnReader.transform(a[0]) { bytes, out in
                    var lo = 0, hi = bytes.count
                    if leading { while lo < hi, bytes[lo] == 32 { lo += 1 } }
                    if trailing { while hi > lo, bytes[hi - 1] == 32 { hi -= 1 } }
                    out.append(bytes: UnsafeBufferPointer(rebasing: bytes[lo..<hi]))
                }
            },
            Overload([.varchar, .varchar], .varchar) { a, n, _ in
                try rowwiseString(a, n) { s, _ in
                    let set = Set(s[1].unicodeScalars)
                    var scalars = Substring(s[0]).unicodeScalars[...]
                    if leading { while let f = scalars.first, set.contains(f) { scalars = scalars.dropFirst() } }
                    if trailing { while let l = scalars.last, set.contains(l) { scalars = scalars.dropLast() } }
                    return String(scalars)
                }
            },
        ])
    }

    static func concatDefinition(_ name: String) -> FunctionDefinition {
        FunctionDefinition(name, signatures: ["\(name)(VARCHAR, …) → VARCHAR"], resolver: { args, settings in
            guard !args.isEmpty, name != "||" || args.count == 2 else { return nil }
            // concat() accepts any types (converted to text); `||` only VARCHAR, except in SQLite mode.
            let accepted = name == "concat" || settings.sqliteCompatible || args.allSatisfy { $0 == .varchar || $0 == .null }
            guard accepted else { return nil }
            return ResolvedFunction(function: ScalarFunction(name: name, kernel: { a, n, _ in try concat(a, n) }),
                                    parameterTypes: [DataType](repeating: .varchar, count: args.count), returnType: .varchar)
        })
    }

    /// `concat_ws(separator, value, …)` (DuckDB, PostgreSQL, Trino): the non-NULL values joined by the separator; any
    /// types, converted to text; NULL only when the separator is NULL.
    static func concatWithSeparatorDefinition() -> FunctionDefinition {
        FunctionDefinition("concat_ws", signatures: ["concat_ws(VARCHAR separator, value, …) → VARCHAR"], resolver: { args, _ in
            guard args.count >= 2 else { return nil }
            return ResolvedFunction(function: ScalarFunction(name: "concat_ws", kernel: { a, n, _ in try concatWithSeparator(a, n) }),
                                    parameterTypes: [DataType](repeating: .varchar, count: args.count), returnType: .varchar)
        })
    }

    static func concatWithSeparator(_ args: [Column], _ n: Int) throws -> Column {
        let separator = try StringColumnReader(args[0])
        let separatorIsNull = args[0].type == .null
        let values = try args.dropFirst().map { (reader: try StringColumnReader($0), allNull: $0.type == .null) }
        var validity = [UInt8](repeating: 1, count: n)
        var out = StringArray()
        out.reserve(strings: n, bytes: n * 16)
        for i in 0..<n {
            if separatorIsNull || separator.isNull(i) { validity[i] = 0; out.appendEmpty(); continue }
            var first = true
            for value in values where !value.allNull && !value.reader.isNull(i) {
                if !first { separator.withBytes(i) { out.bytes.append(contentsOf: $0) } }
                value.reader.withBytes(i) { out.bytes.append(contentsOf: $0) }
                first = false
            }
            out.offsets.append(out.bytes.count)
        }
        return Column(type: .varchar, data: .string(out), validity: validity.contains(0) ? validity : nil)
    }

    /// Concatenation of all arguments; NULL if any argument is NULL (Trino).
    static func concat(_ args: [Column], _ n: Int) throws -> Column {
        let readers = try args.map { try StringColumnReader($0) }
        let validity = ColumnKernels.intersect(args.map(\.validity) + args.filter { $0.type == .null }.map { _ in [UInt8](repeating: 0, count: n) })
        var out = StringArray()
        out.reserve(strings: n, bytes: n * 16)
        for i in 0..<n {
            if let validity, validity[i] == 0 { out.appendEmpty(); continue }
            for r in readers { r.withBytes(i) { out.bytes.append(contentsOf: $0) } }
            out.offsets.append(out.bytes.count)
        }
        return Column(type: .varchar, data: .string(out), validity: validity)
    }

    static func substr(_ a: [Column], _ n: Int) throws -> Column {
        try SubstringKernel.evaluate(a, n)
    }

    static func replace(_ s: String, _ search: String, _ replacement: String) -> String {
        if search.isEmpty { return s }
        return s.replacingOccurrences(of: search, with: replacement, options: .literal)
    }

    static func padDefinition(_ name: String, left: Bool) -> FunctionDefinition {
        FunctionDefinition(name, [Overload([.varchar, .bigint, .varchar], .varchar) { a, n, _ in
            try rowwiseString(a, n) { s, ints in
                let size = ints[1]
                guard size >= 0, size <= 10_000_000 else { throw TarnError(.execution, "\(name): target length must be between 0 and 10000000") }
                let text = Array(s[0].unicodeScalars), pad = Array(s[2].unicodeScalars)
                if text.count >= size { return String(String.UnicodeScalarView(text.prefix(Int(size)))) }
                guard !pad.isEmpty else { throw TarnError(.execution, "\(name): padding string must not be empty") }
                var filler = String.UnicodeScalarView()
                while filler.count < Int(size) - text.count { filler.append(pad[filler.count % pad.count]) }
                let body = String(String.UnicodeScalarView(text))
                return left ? String(filler) + body : body + String(filler)
            }
        }])
    }

    // MARK: Row-wise helpers for multi-argument functions

    /// Calls `body` for each row where no argument is NULL, with VARCHAR arguments decoded into `strings`
    /// and integer arguments into `ints` (same positions; other slots empty/0). A nil result is NULL.
    static func rowwiseString(_ args: [Column], _ n: Int, _ body: ([String], [Int64]) throws -> String?) throws -> Column {
        let access = try RowAccess(args, n)
        var out = StringArray()
        var validity = access.validity ?? [UInt8](repeating: 1, count: n)
        for i in 0..<n {
            if validity[i] == 0 { out.appendEmpty(); continue }
            if let s = try body(access.strings(i), access.ints(i)) { out.append(s) } else { out.appendEmpty(); validity[i] = 0 }
        }
        return Column(type: .varchar, data: .string(out), validity: ColumnKernels.normalized(validity))
    }

    static func rowwiseInt(_ args: [Column], _ n: Int, _ body: ([String]) throws -> Int64) throws -> Column {
        let access = try RowAccess(args, n)
        let rows = (0..<n).map { Int32($0) }
        let v = try ColumnKernels.map(rows, access.validity, placeholder: Int64(0)) { try body(access.strings(Int($0))) }
        return Column(type: .bigint, data: .int64(v), validity: access.validity)
    }

    /// A boolean over the raw bytes of two VARCHAR arguments.
    static func bytePredicate(_ args: [Column], _ n: Int, _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Bool) throws -> Column {
        let a = try StringColumnReader(args[0]), b = try StringColumnReader(args[1])
        let validity = ColumnKernels.intersect(args[0].validity, args[1].validity)
        let v = (0..<n).map { i in (validity?[i] ?? 1) == 0 ? false : a.withBytes(i) { x in b.withBytes(i) { y in body(x, y) } } }
        return Column(type: .boolean, data: .bool(v), validity: validity)
    }

    static func memcmpPrefix(_ s: UnsafeBufferPointer<UInt8>, _ p: UnsafeBufferPointer<UInt8>, fromEnd: Bool) -> Bool {
        let offset = fromEnd ? s.count - p.count : 0
        for k in 0..<p.count where s[offset + k] != p[k] { return false }
        return true
    }

    /// Per-row decoded access to mixed VARCHAR / integer argument columns.
    struct RowAccess {
        let readers: [StringColumnReader?]
        let integers: [[Int64]?]
        let validity: [UInt8]?

        init(_ args: [Column], _ n: Int) throws {
            readers = try args.map { $0.type == .varchar ? try StringColumnReader($0) : nil }
            integers = try args.map { $0.type.isInteger ? try ColumnKernels.int64s($0) : nil }
            let nullArgs = args.filter { $0.type == .null }.map { _ in [UInt8](repeating: 0, count: n) as [UInt8]? }
            validity = ColumnKernels.intersect(args.map(\.validity) + nullArgs)
        }
        func strings(_ i: Int) -> [String] { readers.map { $0?.string(i) ?? "" } }
        func ints(_ i: Int) -> [Int64] { integers.map { $0?[i] ?? 0 } }
    }
}

/// UTF-8 byte-level helpers.
enum UTF8Text {
    /// Number of code points (bytes that are not continuation bytes).
    @inline(__always) static func characterCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var n = 0
        for b in bytes where b & 0xC0 != 0x80 { n += 1 }
        return n
    }
}
