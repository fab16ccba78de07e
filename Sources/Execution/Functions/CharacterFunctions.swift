import Foundation
import Storage

/// Functions on single characters and code points: `chr(n)`, `codepoint(c)` (DuckDB: `unicode`),
/// `translate(s, from, to)`, `normalize(s [, 'NFC' | 'NFD' | 'NFKC' | 'NFKD'])` (DuckDB: `nfc_normalize(s)`) and
/// `luhn_check(digits)`.
enum CharacterFunctions {
    static var definitions: [FunctionDefinition] {
        [
            FunctionDefinition("chr", [Overload([.bigint], .varchar) { a, n, _ in
                try RowwiseKernels.strings(a, n) { x, i in
                    let code = x.int(0, i)
                    guard let scalar = UInt32(exactly: code).flatMap(Unicode.Scalar.init) else {
                        throw TarnError(.execution, "chr: \(code) is not a valid Unicode code point")
                    }
                    return String(Character(scalar))
                }
            }]),
            FunctionDefinition("codepoint", [Overload([.varchar], .bigint) { a, n, _ in try codepoint(a, n, "codepoint") }]),
            FunctionDefinition("unicode", [Overload([.varchar], .bigint) { a, n, _ in try codepoint(a, n, "unicode") }]),
            FunctionDefinition("translate", [Overload([.varchar, .varchar, .varchar], .varchar) { a, n, _ in
                try RowwiseKernels.strings(a, n) { x, i in translate(x.string(0, i), x.string(1, i), x.string(2, i)) }
            }]),
            FunctionDefinition("normalize", [
                Overload([.varchar], .varchar) { a, n, _ in try RowwiseKernels.strings(a, n) { x, i in x.string(0, i).precomposedStringWithCanonicalMapping } },
                Overload([.varchar, .varchar], .varchar) { a, n, _ in
                    try RowwiseKernels.strings(a, n) { x, i in try normalize(x.string(0, i), form: x.string(1, i)) }
                },
            ]),
            FunctionDefinition("nfc_normalize", [Overload([.varchar], .varchar) { a, n, _ in
                try RowwiseKernels.strings(a, n) { x, i in x.string(0, i).precomposedStringWithCanonicalMapping }
            }]),
            FunctionDefinition("luhn_check", [Overload([.varchar], .boolean) { a, n, _ in
                try RowwiseKernels.booleans(a, n) { x, i in try luhnCheck(x.string(0, i)) }
            }]),
        ]
    }

    private static func codepoint(_ a: [Column], _ n: Int, _ name: String) throws -> Column {
        try RowwiseKernels.integers(a, n) { x, i in
            let s = x.string(0, i)
            var scalars = s.unicodeScalars.makeIterator()
            guard let first = scalars.next() else {
                if name == "unicode" { return -1 }  // DuckDB: unicode('') is -1
                throw TarnError(.execution, "codepoint: the argument must be one character (got an empty string)")
            }
            if name == "codepoint", scalars.next() != nil {
                throw TarnError(.execution, "codepoint: the argument must be one character (got '\(s.prefix(20))')")
            }
            return Int64(first.value)
        }
    }

    /// Each character of `source` found in `from` becomes the character at the same place in `to`, or is dropped
    /// when `to` is shorter; the first occurrence in `from` wins.
    static func translate(_ source: String, _ from: String, _ to: String) -> String {
        let to = Array(to.unicodeScalars)
        var map: [Unicode.Scalar: Unicode.Scalar?] = [:]
        for (k, c) in from.unicodeScalars.enumerated() where map[c] == nil { map[c] = k < to.count ? to[k] : nil }
        var out = String.UnicodeScalarView()
        for c in source.unicodeScalars {
            if let replacement = map[c] { if let r = replacement { out.append(r) } } else { out.append(c) }
        }
        return String(out)
    }

    static func normalize(_ s: String, form: String) throws -> String {
        switch form.uppercased() {
        case "NFC": return s.precomposedStringWithCanonicalMapping
        case "NFD": return s.decomposedStringWithCanonicalMapping
        case "NFKC": return s.precomposedStringWithCompatibilityMapping
        case "NFKD": return s.decomposedStringWithCompatibilityMapping
        default: throw TarnError(.execution, "normalize: unknown form '\(form)' (NFC, NFD, NFKC or NFKD)")
        }
    }

    /// Whether a string of digits passes the Luhn (mod 10) check; other characters are an error.
    static func luhnCheck(_ s: String) throws -> Bool {
        var sum = 0, double = false
        for c in s.utf8.reversed() {
            guard c >= 48, c <= 57 else { throw TarnError(.execution, "luhn_check: '\(s.prefix(40))' is not a string of digits") }
            var d = Int(c - 48)
            if double { d *= 2; if d > 9 { d -= 9 } }
            sum += d
            double.toggle()
        }
        return !s.isEmpty && sum % 10 == 0
    }
}
