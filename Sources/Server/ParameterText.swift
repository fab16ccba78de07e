/// Finds `$1`, `$2`, … placeholders in SQL text (outside string literals, quoted identifiers and
/// comments), infers a placeholder's type from a following `::type` or an enclosing `CAST($n AS type)`,
/// and substitutes literals for them. Tarn's binder has no parameters, so the server binds by text.
struct ParameterText {
    /// One placeholder occurrence: its number and the UTF-8 byte range it covers.
    struct Placeholder {
        var number: Int
        var range: Range<Int>
        /// OID of the type it is cast to in the text, if any.
        var castOID: Int32?
    }

    let sql: String
    let placeholders: [Placeholder]

    /// Highest placeholder number used (the statement's parameter count).
    var parameterCount: Int { placeholders.map(\.number).max() ?? 0 }

    init(_ sql: String) {
        self.sql = sql
        self.placeholders = Self.scan(Array(sql.utf8))
    }

    /// The type OIDs of parameters 1…count: the declared ones, else a cast in the text, else `text`.
    func parameterTypes(declared: [Int32]) -> [Int32] {
        (0..<parameterCount).map { i in
            if i < declared.count, declared[i] != 0 { return declared[i] }
            return placeholders.first { $0.number == i + 1 && $0.castOID != nil }?.castOID ?? PostgresType.text.oid
        }
    }

    /// The SQL with every placeholder replaced by `literals[number - 1]`.
    func substitute(_ literals: [String]) throws -> String {
        guard !placeholders.isEmpty else { return sql }
        let bytes = Array(sql.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + literals.reduce(0) { $0 + $1.utf8.count })
        var position = 0
        for p in placeholders {
            guard p.number >= 1, p.number <= literals.count else {
                throw ServerError(sqlState: "08P01", message: "bind message supplies \(literals.count) parameters, but the statement uses $\(p.number)")
            }
            out.append(contentsOf: bytes[position..<p.range.lowerBound])
            out.append(contentsOf: literals[p.number - 1].utf8)
            position = p.range.upperBound
        }
        out.append(contentsOf: bytes[position...])
        return String(decoding: out, as: UTF8.self)
    }

    private static func scan(_ b: [UInt8]) -> [Placeholder] {
        var result: [Placeholder] = []
        var i = 0
        let n = b.count
        func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        func isWordByte(_ c: UInt8) -> Bool { isDigit(c) || (c | 0x20 >= 97 && c | 0x20 <= 122) || c == 95 }
        while i < n {
            let c = b[i]
            if c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") {
                i += 1
                while i < n {
                    if b[i] == c { if i + 1 < n, b[i + 1] == c { i += 2; continue }; break }
                    i += 1
                }
                i += 1
            } else if c == UInt8(ascii: "-"), i + 1 < n, b[i + 1] == UInt8(ascii: "-") {
                while i < n, b[i] != 10 { i += 1 }
            } else if c == UInt8(ascii: "/"), i + 1 < n, b[i + 1] == UInt8(ascii: "*") {
                i += 2
                while i + 1 < n, !(b[i] == UInt8(ascii: "*") && b[i + 1] == UInt8(ascii: "/")) { i += 1 }
                i += 2
            } else if c == UInt8(ascii: "$"), i + 1 < n, isDigit(b[i + 1]), i == 0 || !isWordByte(b[i - 1]) {
                var j = i + 1
                var number = 0
                while j < n, isDigit(b[j]) { number = min(number * 10 + Int(b[j] - 48), 100_000); j += 1 }
                var cast: Int32?
                var k = j
                while k < n, b[k] == 32 { k += 1 }
                if k + 1 < n, b[k] == UInt8(ascii: ":"), b[k + 1] == UInt8(ascii: ":") {
                    k += 2
                    while k < n, b[k] == 32 { k += 1 }
                    let start = k
                    while k < n, isWordByte(b[k]) { k += 1 }
                    cast = PostgresType.oid(ofTypeName: String(decoding: b[start..<k], as: UTF8.self))
                } else if k + 1 < n, b[k] | 0x20 == UInt8(ascii: "a"), b[k + 1] | 0x20 == UInt8(ascii: "s"), castPrecedes(b, i) {
                    k += 2
                    while k < n, b[k] == 32 { k += 1 }
                    let start = k
                    while k < n, isWordByte(b[k]) { k += 1 }
                    cast = PostgresType.oid(ofTypeName: String(decoding: b[start..<k], as: UTF8.self))
                }
                result.append(Placeholder(number: number, range: i..<j, castOID: cast))
                i = j
            } else {
                i += 1
            }
        }
        return result
    }

    /// Whether `CAST(` (any case, optional spaces) ends right before position `i`.
    private static func castPrecedes(_ b: [UInt8], _ i: Int) -> Bool {
        var k = i - 1
        while k >= 0, b[k] == 32 { k -= 1 }
        guard k >= 0, b[k] == UInt8(ascii: "(") else { return false }
        k -= 1
        while k >= 0, b[k] == 32 { k -= 1 }
        guard k >= 3 else { return false }
        return String(decoding: b[(k - 3)...k], as: UTF8.self).lowercased() == "cast"
    }
}
