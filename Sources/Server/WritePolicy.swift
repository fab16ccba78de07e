import SQL

/// Which statements change the lake: a READ ONLY user may run only the others (else SQLSTATE 25006).
enum WritePolicy {
    static func writes(_ statement: Statement) -> Bool {
        switch statement {
        case .query, .showTables, .showSchemas, .describe, .describeHistory, .set, .reset, .transaction, .use:
            return false
        case let .explain(inner, analyze): return analyze && writes(inner)
        default: return true
        }
    }

    static func readOnlyError() -> ServerError {
        ServerError(sqlState: "25006", message: "cannot execute this statement in a read-only session: the user is READ ONLY")
    }
}
