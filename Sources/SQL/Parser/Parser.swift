import Storage
// CONTRACT STUB — the parser helper replaces this file.

/// Parses SQL text into statements.
public enum Parser {
    /// Parses every `;`-separated statement of `sql`. Errors are `TarnError.syntax` with line and column.
    public static func parse(_ sql: String) throws -> [ParsedStatement] { throw TarnError.unsupported("parser not implemented") }
}
