import Tarn
/// What the runner needs from an engine: run SQL, get the last statement's result.
/// `Session` is the real one; tests substitute a scripted fake to check the runner alone.
protocol SQLLogicTestConnection {
    /// Runs `sql` (one or more `;`-separated statements) and returns the last result, if any.
    func run(_ sql: String) throws -> StatementResult?
}

extension Session: SQLLogicTestConnection {
    func run(_ sql: String) throws -> StatementResult? { try execute(sql).last }
}
