import Storage

/// Edit distances and phonetic codes: `levenshtein_distance(a, b)` (DuckDB: `levenshtein`),
/// `hamming_distance(a, b)` (DuckDB: `hamming`) and `soundex(s)`, on Unicode code points.
enum StringSimilarityFunctions {
    static var definitions: [FunctionDefinition] {
        [
            FunctionDefinition("levenshtein_distance", [Overload([.varchar, .varchar], .bigint) { a, n, _ in try levenshtein(a, n) }]),
            FunctionDefinition("levenshtein", [Overload([.varchar, .varchar], .bigint) { a, n, _ in try levenshtein(a, n) }]),
            FunctionDefinition("hamming_distance", [Overload([.varchar, .varchar], .bigint) { a, n, _ in try hamming(a, n, "hamming_distance") }]),
            FunctionDefinition("hamming", [Overload([.varchar, .varchar], .bigint) { a, n, _ in try hamming(a, n, "hamming") }]),
            FunctionDefinition("soundex", [Overload([.varchar], .varchar) { a, n, _ in
                try RowwiseKernels.strings(a, n) { x, i in soundex(x.string(0, i)) }
            }]),
        ]
    }

    /// Largest product of the two lengths levenshtein computes (Trino's bound), so one row cannot take minutes.
    static let maxLevenshteinCells = 1_000_000

    private static func levenshtein(_ a: [Column], _ n: Int) throws -> Column {
        try RowwiseKernels.integers(a, n) { x, i in
            let s = Array(x.string(0, i).unicodeScalars), t = Array(x.string(1, i).unicodeScalars)
            guard s.count * t.count <= maxLevenshteinCells else {
                throw TarnError(.execution, "levenshtein_distance: the strings are too long (\(s.count) × \(t.count) characters; at most \(maxLevenshteinCells) cells)")
            }
            return Int64(distance(s, t))
        }
    }

    /// Levenshtein distance with one row of the table.
    static func distance(_ s: [Unicode.Scalar], _ t: [Unicode.Scalar]) -> Int {
        if s.isEmpty { return t.count }
        if t.isEmpty { return s.count }
        var row = Array(0...t.count)
        for i in 1...s.count {
            var diagonal = row[0]
            row[0] = i
            for j in 1...t.count {
                let above = row[j]
                row[j] = min(above + 1, row[j - 1] + 1, diagonal + (s[i - 1] == t[j - 1] ? 0 : 1))
                diagonal = above
            }
        }
        return row[t.count]
    }

    private static func hamming(_ a: [Column], _ n: Int, _ name: String) throws -> Column {
        try RowwiseKernels.integers(a, n) { x, i in
            let s = Array(x.string(0, i).unicodeScalars), t = Array(x.string(1, i).unicodeScalars)
            guard s.count == t.count else {
                throw TarnError(.execution, "\(name): the strings must have the same length (\(s.count) and \(t.count) characters)")
            }
            return Int64(zip(s, t).filter { $0 != $1 }.count)
        }
    }

    /// American Soundex: the first letter and three digits; H and W do not separate letters of the same code.
    /// Characters other than ASCII letters are skipped; a string without letters gives ''.
    static func soundex(_ s: String) -> String {
        let codes: [Character: Character] = ["B": "1", "F": "1", "P": "1", "V": "1",
                                             "C": "2", "G": "2", "J": "2", "K": "2", "Q": "2", "S": "2", "X": "2", "Z": "2",
                                             "D": "3", "T": "3", "L": "4", "M": "5", "N": "5", "R": "6"]
        let letters = s.uppercased().filter { $0.isASCII && $0.isLetter }
        guard let first = letters.first else { return "" }
        var out = String(first)
        var previous = codes[first]
        for c in letters.dropFirst() {
            if c == "H" || c == "W" { continue }
            let code = codes[c]
            if let code, code != previous { out.append(code); if out.count == 4 { break } }
            previous = code
        }
        return out.padding(toLength: 4, withPad: "0", startingAt: 0)
    }
}
