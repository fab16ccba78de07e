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
                switch try run(piece.text) {
                case let .rows(cursor):
                    defer { cursor.close() }
                    try sendAll(cursor)
                case let .completed(result) where result.hasResultSet:
                    try sendAll(ResultCursor(result: result))
                case let .completed(result):
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

    /// RowDescription, every row, CommandComplete.
    private func sendAll(_ cursor: ResultCursor) throws {
        output.send(.rowDescription(Self.describe(cursor.columns, formats: [])))
        let (sent, _) = try streamRows(cursor, formats: [], limit: 0)  // simple queries never run inline
        output.send(.commandComplete("SELECT \(sent)"))
    }

    /// Runs the query of a `COPY … TO STDOUT` and sends its rows as CopyData, batch by batch.
    func copyOut(_ copy: CopyOut) throws {
        let cursor: ResultCursor
        switch try run(copy.query) {
        case let .rows(c): cursor = c
        case let .completed(result): cursor = ResultCursor(result: result)
        }
        defer { cursor.close() }
        output.send(.copyOutResponse(columns: cursor.columns.count))
        if copy.header { output.send(.copyData(Array(copy.headerLine(cursor.columns.map(\.name)).utf8))) }
        var rows = 0
        while let (batch, range) = try cursor.next(limit: 0) {
            for i in range { output.send(.copyData(Array(copy.line(batch.row(i)).utf8))) }
            rows += range.count
            try output.flushIfLarge()
        }
        output.send(.copyDone)
        output.send(.commandComplete("COPY \(rows)"))
    }
}
