/// A horizontal slice of a relation: equally long columns. The unit that flows between operators.
public struct Batch: Sendable {
    public var columns: [Column]
    /// Row count; kept explicitly so zero-column batches (e.g. `SELECT count(*)`) still carry rows.
    public var count: Int

    public init(columns: [Column], count: Int) {
        self.columns = columns
        self.count = count
    }

    public init(columns: [Column]) {
        self.columns = columns
        self.count = columns.first?.count ?? 0
    }

    /// Default number of rows per batch produced by operators that build batches themselves.
    public static let defaultSize = 2048

    public func gather(_ indices: [Int32]) -> Batch {
        Batch(columns: columns.map { $0.gather(indices) }, count: indices.count)
    }

    public func slice(_ range: Range<Int>) -> Batch {
        Batch(columns: columns.map { $0.slice(range) }, count: range.count)
    }

    /// Row `i` as values (for output and tests, not inner loops).
    public func row(_ i: Int) -> [Value] { columns.map { $0.value(at: i) } }
}

/// A named, typed column of a relation.
public struct Field: Sendable, Hashable {
    public var name: String
    public var type: DataType
    public var nullable: Bool

    public init(name: String, type: DataType, nullable: Bool = true) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }
}

/// The ordered fields of a table, file or result.
public struct Schema: Sendable, Hashable {
    public var fields: [Field]
    public init(_ fields: [Field]) { self.fields = fields }

    public var count: Int { fields.count }
    public var names: [String] { fields.map(\.name) }
    public var types: [DataType] { fields.map(\.type) }

    /// Index of the field named `name`, compared case-insensitively as SQL identifiers are.
    public func index(of name: String) -> Int? {
        let l = name.lowercased()
        return fields.firstIndex { $0.name.lowercased() == l }
    }
}
