import Tarn
/// The rendered values of one query result, in row-major order, with sorting and hashing as the format defines.
public struct SQLLogicTestResultSet: Sendable, Equatable {
    public var values: [String]
    public var columnCount: Int

    public init(values: [String], columnCount: Int) {
        self.values = values; self.columnCount = columnCount
    }

    /// Orders the values: `rowsort` sorts rows byte-wise column by column, `valuesort` sorts all values.
    public func sorted(_ mode: SQLLogicTestSortMode) -> SQLLogicTestResultSet {
        switch mode {
        case .noSort:
            return self
        case .valueSort:
            return SQLLogicTestResultSet(values: values.sorted(by: Self.bytewiseLess), columnCount: columnCount)
        case .rowSort:
            guard columnCount > 0 else { return self }
            let rowCount = values.count / columnCount
            let rows = (0..<rowCount).map { values[($0 * columnCount)..<(($0 + 1) * columnCount)] }
            let ordered = rows.sorted { left, right in
                for (l, r) in zip(left, right) where l != r { return Self.bytewiseLess(l, r) }
                return false
            }
            let trailing = values[(rowCount * columnCount)...]
            return SQLLogicTestResultSet(values: ordered.flatMap { $0 } + trailing, columnCount: columnCount)
        }
    }

    /// `strcmp` order: bytes compared as unsigned, a prefix first.
    public static func bytewiseLess(_ left: String, _ right: String) -> Bool {
        left.utf8.lexicographicallyPrecedes(right.utf8)
    }

    /// MD5 of every value followed by `\n`, lower-case hex.
    public var md5: String {
        var digest = MD5()
        let newline: [UInt8] = [0x0a]
        for value in values {
            digest.update(value)
            newline.withUnsafeBufferPointer { digest.update(bytes: $0) }
        }
        return digest.hexDigest
    }

    /// Whether these (already sorted) values match the expected block.
    public func matches(_ expected: SQLLogicTestExpectedResult) -> Bool {
        switch expected {
        case let .values(lines): return values == lines
        case let .hash(count, hash): return values.count == count && md5 == hash
        }
    }

    /// As the script would show it: `N values hashing to …` above the threshold, else the values.
    public func display(hashThreshold: Int) -> String {
        if hashThreshold > 0 && values.count > hashThreshold {
            let preview = values.prefix(12).joined(separator: " ")
            return "\(values.count) values hashing to \(md5) (first: \(preview)\(values.count > 12 ? " …" : ""))"
        }
        return values.isEmpty ? "(no values)" : values.joined(separator: "\n")
    }
}
