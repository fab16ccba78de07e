import CSQLite
import Foundation

/// A SQLite database holding a lake's catalog: one connection in WAL mode with a busy timeout and foreign keys on.
///
/// Thread-safe: every call holds the connection's lock, and `writeTransaction` / `readTransaction` hold it for the
/// whole transaction. Other modules may keep their own catalog tables here (`execute` a `CREATE TABLE IF NOT EXISTS`)
/// and write to them inside a table commit (see `TableWriter.commit(operation:parameters:extra:)`).
public final class CatalogDatabase: @unchecked Sendable {
    /// Path of the SQLite file.
    public let path: String
    public let readOnly: Bool
    private let db: OpaquePointer
    private let lock = NSRecursiveLock()
    private var statementCache: [String: SQLiteStatement] = [:]
    private var inTransaction = false
    /// Whether the calling code runs inside a transaction of this connection (then a lookup may see the
    /// transaction's own uncommitted writes).
    public var isInTransaction: Bool { lock.lock(); defer { lock.unlock() }; return inTransaction }

    /// How long a statement waits for another process's write lock before failing with `.conflict`.
    public static let busyTimeoutMilliseconds: Int32 = 30_000

    public init(path: String, readOnly: Bool = false) throws {
        var handle: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK, let handle else {
            let err = SQLiteStatement.error(db: handle, code: rc, context: "opening \(path)")
            if let handle { sqlite3_close_v2(handle) }
            throw TarnError.io("cannot open the lake catalog \(path): \(err.message)")
        }
        self.db = handle
        self.path = path
        self.readOnly = readOnly
        sqlite3_busy_timeout(handle, Self.busyTimeoutMilliseconds)
        do {
            if !readOnly {
                _ = try query("PRAGMA journal_mode=WAL")
                try execute("PRAGMA synchronous=FULL")
            }
            try execute("PRAGMA foreign_keys=ON")
        } catch {
            statementCache.removeAll()
            sqlite3_close_v2(handle)
            throw error
        }
    }

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(db)
    }

    /// Runs one statement (DDL or DML) with `?` parameters.
    public func execute(_ sql: String, _ parameters: [CatalogValue] = []) throws {
        _ = try query(sql, parameters)
    }

    /// Runs one statement and returns its rows.
    public func query(_ sql: String, _ parameters: [CatalogValue] = []) throws -> [CatalogRow] {
        lock.lock(); defer { lock.unlock() }
        let statement: SQLiteStatement
        if let cached = statementCache[sql] {
            statement = cached
        } else {
            statement = try SQLiteStatement(db: db, sql: sql)
            statementCache[sql] = statement
        }
        try statement.bind(parameters)
        return try statement.rows()
    }

    /// Changes whenever the catalog changes: a commit by another connection or process (SQLite's `data_version`)
    /// or a row written through this one (its total change count). Equal stamps mean the same catalog, so what was
    /// derived from it (a prepared statement's plan) still holds.
    /// Nil when SQLite cannot say (then nothing derived may be trusted).
    public var changeStamp: CatalogStamp? {
        lock.lock(); defer { lock.unlock() }
        guard let version = (try? query("PRAGMA data_version").first?.first?.int64) ?? nil else { return nil }
        return CatalogStamp(dataVersion: version, ownChanges: Int64(sqlite3_total_changes64(db)))
    }

    /// Rowid of the last inserted row on this connection.
    public var lastInsertRowID: Int64 {
        lock.lock(); defer { lock.unlock() }
        return sqlite3_last_insert_rowid(db)
    }

    /// Runs `body` in one write transaction (`BEGIN IMMEDIATE`: takes the write lock first, so the transaction
    /// cannot fail half-way because another process committed). Commits when `body` returns, rolls back when it throws.
    public func writeTransaction<T>(_ body: (CatalogTransaction) throws -> T) throws -> T {
        if readOnly { throw TarnError(.unsupported, "the lake is open read-only") }
        return try transaction(begin: "BEGIN IMMEDIATE", body)
    }

    /// Runs `body` in one read transaction: every query sees the same committed state.
    public func readTransaction<T>(_ body: (CatalogTransaction) throws -> T) throws -> T {
        try transaction(begin: "BEGIN", body)
    }

    private func transaction<T>(begin: String, _ body: (CatalogTransaction) throws -> T) throws -> T {
        lock.lock(); defer { lock.unlock() }
        let transaction = CatalogTransaction(database: self)
        if inTransaction { return try body(transaction) }
        try execute(begin)
        inTransaction = true
        defer { inTransaction = false }
        let result: T
        do {
            result = try body(transaction)
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
        do {
            try execute("COMMIT")
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
        return result
    }
}

/// A point in a catalog's history (see `CatalogDatabase.changeStamp`).
public struct CatalogStamp: Equatable, Sendable {
    let dataVersion: Int64
    let ownChanges: Int64
}
