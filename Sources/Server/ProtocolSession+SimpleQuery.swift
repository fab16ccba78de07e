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
                if let copy = CopyOut.parse(piece.text) {
                    try copyOut(copy)
                    continue
                }
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

    /// Runs the query of a `COPY … TO STDOUT` and sends its rows as CopyData, batch by batch.
    func copyOut(_ copy: CopyOut) throws {
        let result = try run(copy.query)
        output.send(.copyOutResponse(columns: result.columns.count))
        if copy.header { output.send(.copyData(Array(copy.headerLine(result.columns.map(\.name)).utf8))) }
        var rows = 0
        for batch in result.batches {
            for i in 0..<batch.count { output.send(.copyData(Array(copy.line(batch.row(i)).utf8))) }
            rows += batch.count
            try output.flushIfLarge()
        }
        output.send(.copyDone)
        output.send(.commandComplete("COPY \(rows)"))
    }
}
