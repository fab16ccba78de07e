/// One unit of a script: a SQL statement (with its terminating `;` when present) or a dot command line,
/// with the 1-based line and column where it starts in the whole script.
struct ScriptChunk: Sendable, Equatable {
    enum Kind: Sendable, Equatable { case sql, dotCommand }
    var kind: Kind
    var text: String
    var line: Int
    var column: Int
    /// False for a trailing statement without `;`.
    var isTerminated: Bool

    /// Maps a position relative to `text` to one in the whole script.
    func absolute(line relativeLine: Int, column relativeColumn: Int) -> (line: Int, column: Int) {
        relativeLine <= 1 ? (line, column + relativeColumn - 1) : (line + relativeLine - 1, relativeColumn)
    }
}
