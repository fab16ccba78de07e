import CSQLite
import Foundation

/// A prepared SQLite statement; finalized on deinit. Used only while the owning connection's lock is held.
final class SQLiteStatement {
    private let handle: OpaquePointer
    private let db: OpaquePointer
    let sql: String

    init(db: OpaquePointer, sql: String) throws {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            throw SQLiteStatement.error(db: db, code: rc, context: "preparing \(sql)")
        }
        self.handle = stmt
        self.db = db
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    func bind(_ parameters: [CatalogValue]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (i, value) in parameters.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(handle, index)
            case let .integer(v): rc = sqlite3_bind_int64(handle, index, v)
            case let .real(v): rc = sqlite3_bind_double(handle, index, v)
            case let .text(s): rc = sqlite3_bind_text(handle, index, s, -1, transient)
            }
            guard rc == SQLITE_OK else { throw SQLiteStatement.error(db: db, code: rc, context: "binding parameter \(i + 1) of \(sql)") }
        }
    }

    /// Runs the statement to completion, collecting every row.
    func rows() throws -> [CatalogRow] {
        var result: [CatalogRow] = []
        while true {
            let rc = sqlite3_step(handle)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw SQLiteStatement.error(db: db, code: rc, context: "running \(sql)") }
            let n = sqlite3_column_count(handle)
            var row: CatalogRow = []
            row.reserveCapacity(Int(n))
            for c in 0..<n {
                switch sqlite3_column_type(handle, c) {
                case SQLITE_INTEGER: row.append(.integer(sqlite3_column_int64(handle, c)))
                case SQLITE_FLOAT: row.append(.real(sqlite3_column_double(handle, c)))
                case SQLITE_NULL: row.append(.null)
                default:
                    if let text = sqlite3_column_text(handle, c) {
                        row.append(.text(String(cString: text)))
                    } else {
                        row.append(.null)
                    }
                }
            }
            result.append(row)
        }
        sqlite3_reset(handle)
        return result
    }

    static func error(db: OpaquePointer?, code: Int32, context: String) -> TarnError {
        let message = db.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
        let primary = code & 0xFF
        switch primary {
        case SQLITE_BUSY, SQLITE_LOCKED:
            return TarnError(.conflict, "the lake catalog is locked by another writer (\(message)) while \(context)")
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            return TarnError(.corruption, "the lake catalog is damaged: \(message)")
        case SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_PERM:
            // SQLite reports a full disk as a generic I/O error when it cannot even create its WAL index; the OS error says.
            let systemErrno = db.map { sqlite3_system_errno($0) } ?? 0
            if primary == SQLITE_FULL || systemErrno == ENOSPC {
                return TarnError(.io, "catalog I/O failed: No space left on device (\(message)) while \(context)")
            }
            return TarnError(.io, "catalog I/O failed: \(message) while \(context)")
        case SQLITE_CONSTRAINT:
            return TarnError(.constraint, "catalog constraint failed: \(message)")
        default:
            return TarnError(.internal, "catalog error \(code): \(message) while \(context)")
        }
    }
}
