/// The catalog inside one open transaction: statements run through it commit or roll back together.
/// Only valid inside the closure that received it.
public struct CatalogTransaction {
    let database: CatalogDatabase

    /// Runs one statement with `?` parameters inside the transaction.
    public func execute(_ sql: String, _ parameters: [CatalogValue] = []) throws {
        try database.execute(sql, parameters)
    }

    /// Runs one statement inside the transaction and returns its rows.
    public func query(_ sql: String, _ parameters: [CatalogValue] = []) throws -> [CatalogRow] {
        try database.query(sql, parameters)
    }

    /// Rowid of the row the last INSERT created.
    public var lastInsertRowID: Int64 { database.lastInsertRowID }
}
