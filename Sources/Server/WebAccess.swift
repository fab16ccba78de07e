import SQL
import Tarn

/// What the HTTP side of `tarn serve` (module Web) shares with the wire protocol: the error translation
/// (SQLSTATE and the REPL's message) and the write policy of READ ONLY users.
public enum WireProtocolPolicy {
    /// `error` as a PostgreSQL client would read it: SQLSTATE, message, position in `query`.
    public static func translate(_ error: Error, query: String?) -> ServerError {
        ErrorTranslation.serverError(error, query: query)
    }

    /// Whether `statement` changes the lake (refused to READ ONLY users).
    public static func writes(_ statement: Statement) -> Bool { WritePolicy.writes(statement) }

    /// The error a READ ONLY user gets for a writing statement (SQLSTATE 25006).
    public static func readOnlyError() -> ServerError { WritePolicy.readOnlyError() }
}

/// `tarn serve --allow-path` for sessions the HTTP side opens: the same file-access policy as wire connections
/// (table functions reading files guarded, COPY / ATTACH statements checked).
public struct FileAccessGuard: Sendable {
    let policy: FileAccessPolicy

    public init(allowedFolders: [String]) { policy = FileAccessPolicy(allowedFolders: allowedFolders) }

    /// Wraps the session's file-reading table functions.
    public func guardSession(_ session: Session) { session.tableFunctions = policy.guarding(session.tableFunctions) }

    /// Throws when `statement` touches a file outside the allowed folders.
    public func check(_ statement: Statement) throws { try policy.check(statement) }
}
