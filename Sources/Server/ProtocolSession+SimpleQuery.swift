import SQL
import Storage
import Tarn

extension ProtocolSession {
    /// `Q`: runs each statement of `sql` in turn, stopping at the first error, then ReadyForQuery.
    func simpleQuery(_ sql: String) {
        let pieces = StatementSplitter.split(sql)
        if pieces.isEmpty { output.send(.emptyQueryResponse) }
        for piece in pieces {
            do {
                let result = try run(piece.text)
                let portal = Portal(sql: piece.text, resultFormats: [])
                portal.result = result
                if result.hasResultSet {
                    output.send(.rowDescription(Self.describe(result.columns, formats: [])))
                    let (sent, _) = try streamRows(portal, limit: 0)
                    output.send(.commandComplete(Self.commandTag(result, rows: sent)))
                } else {
                    output.send(.commandComplete(Self.commandTag(result, rows: 0)))
                }
            } catch {
                let start = ErrorTranslation.position(in: sql, line: piece.location.line, column: piece.location.column) ?? 1
                sendError(error, query: piece.text, offset: start - 1)
                break
            }
        }
        output.send(.readyForQuery(transactionStatus))
        output.flush()
    }
}
