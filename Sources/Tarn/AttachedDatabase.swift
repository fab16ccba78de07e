import Transforms
import Connectors

/// An operational database attached to a session (`ATTACH 'ops.db' AS ops (TYPE sqlite)`,
/// `ATTACH 'postgresql://…' AS ops (TYPE postgres)`, `ATTACH 'mysql://…' AS crm (TYPE mysql)`); its tables are
/// readable as `ops.<table>` (and `ops.<schema>.<table>` for PostgreSQL) until `DETACH ops`.
struct AttachedDatabase: @unchecked Sendable {
    enum Source {
        case sqlite(SQLiteSource)
        /// The connection used for catalog look-ups (scans open their own).
        case postgres(PostgresConnection)
        /// The connection, and the database the DSN selected (`crm.orders` is `<database>.orders`).
        case mysql(MySQLConnection, database: String)
    }
    var alias: String
    /// The file path, or the redacted DSN (`user@host:port/db`) of a server: never a password.
    var path: String
    var source: Source
}
