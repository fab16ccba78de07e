import NIOCore
import SQL
import Storage
import Tarn

/// The extended query protocol: Parse, Bind, Describe, Execute, Close, Sync.
extension ProtocolSession {
    /// Bound on named statements and on portals per connection.
    static let maxStatements = 10_000

    func failExtended(_ error: Error, query: String?) {
        sendError(error, query: query)
        ignoringUntilSync = true
    }

    func parse(name: String, query: String, types: [Int32]) {
        if !name.isEmpty, statements[name] != nil {
            return failExtended(ServerError(sqlState: "42P05", message: "prepared statement \"\(name)\" already exists"), query: nil)
        }
        if StatementSplitter.split(query).count > 1 {
            return failExtended(ServerError(sqlState: "42601", message: "cannot insert multiple commands into a prepared statement"), query: nil)
        }
        if statements[name] == nil, statements.count >= Self.maxStatements {
            return failExtended(ServerError(sqlState: "54000", message: "too many prepared statements (at most \(Self.maxStatements))"), query: nil)
        }
        statements[name] = PreparedStatement(query: query, declaredTypes: types)
        output.send(.parseComplete)
    }

    func bind(portal name: String, statement: String, parameterFormats: [Int16], parameters: [ByteBuffer?], resultFormats: [Int16]) {
        guard let prepared = statements[statement] else {
            return failExtended(ServerError(sqlState: "26000", message: "prepared statement \"\(statement)\" does not exist"), query: nil)
        }
        let expected = prepared.parameters.parameterCount
        guard parameters.count == expected else {
            return failExtended(ServerError(sqlState: "08P01",
                message: "bind message supplies \(parameters.count) parameters, but prepared statement \"\(statement)\" requires \(expected)"), query: nil)
        }
        guard parameterFormats.count <= 1 || parameterFormats.count == parameters.count else {
            return failExtended(ServerError.protocolViolation("bind message has \(parameterFormats.count) parameter formats but \(parameters.count) parameters"), query: nil)
        }
        if !name.isEmpty, portals[name] != nil {
            return failExtended(ServerError(sqlState: "42P03", message: "portal \"\(name)\" already exists"), query: nil)
        }
        do {
            var literals: [String] = []
            for (i, value) in parameters.enumerated() {
                let format = parameterFormats.isEmpty ? 0 : (parameterFormats.count == 1 ? parameterFormats[0] : parameterFormats[i])
                let type = i < prepared.parameterTypes.count ? prepared.parameterTypes[i] : PostgresType.text.oid
                literals.append(try ParameterLiteral.literal(value, format: format, typeOID: type))
            }
            let sql = try prepared.parameters.substitute(literals)
            if portals[name] == nil, portals.count >= Self.maxStatements {
                throw ServerError(sqlState: "54000", message: "too many open portals (at most \(Self.maxStatements))")
            }
            let reuse = reusablePlan(prepared).map { query in
                (query: query, values: query.reusable ? reusableValues(parameters, formats: parameterFormats, types: prepared.parameterTypes) : nil,
                 text: prepared.query)
            }
            portals[name] = Portal(sql: sql, resultFormats: resultFormats, reuse: reuse, history: prepared.history)
            output.send(.bindComplete)
        } catch {
            failExtended(error, query: nil)
        }
    }

    func describe(kind: UInt8, name: String) {
        if kind == UInt8(ascii: "S") {
            guard let prepared = statements[name] else {
                return failExtended(ServerError(sqlState: "26000", message: "prepared statement \"\(name)\" does not exist"), query: nil)
            }
            do {
                let columns = try describeColumns(prepared)
                output.send(.parameterDescription(prepared.parameterTypes))
                output.send(columns.map { .rowDescription(Self.describe($0, formats: [])) } ?? .noData)
            } catch {
                failExtended(error, query: prepared.query)
            }
        } else {
            guard let portal = portals[name] else {
                return failExtended(ServerError(sqlState: "34000", message: "portal \"\(name)\" does not exist"), query: nil)
            }
            do {
                if !portal.started, portal.reuse != nil || producesRows(portal.sql) { try start(portal) }
                if let cursor = portal.cursor {
                    output.send(.rowDescription(Self.describe(cursor.columns, formats: portal.resultFormats)))
                } else {
                    output.send(.noData)
                }
            } catch {
                failExtended(error, query: portal.errorText)
            }
        }
    }

    /// Result columns of a prepared statement without running it for real: parameters become typed
    /// NULLs and the query runs under `LIMIT 0`. Nil when the statement returns no rows.
    private func describeColumns(_ prepared: PreparedStatement) throws -> [Field]? {
        let nulls = prepared.parameterTypes.map { oid in
            PostgresType.tarnTypeName(oid: oid).map { "CAST(NULL AS \($0))" } ?? "CAST(NULL AS VARCHAR)"
        }
        let sql = try prepared.parameters.substitute(nulls)
        guard producesRows(sql) else { return nil }
        if case let .answer(result) = classify(sql) { return result.columns }
        // A plain query is planned and opened but no row is pulled.
        switch try run(sql) {
        case let .rows(cursor):
            cursor.close()
            return cursor.columns
        case let .completed(result):
            return result.columns
        }
    }

    func execute(portal name: String, maxRows: Int) {
        guard let portal = portals[name] else {
            return failExtended(ServerError(sqlState: "34000", message: "portal \"\(name)\" does not exist"), query: nil)
        }
        if !portal.started, portal.reuse == nil, StatementSplitter.split(portal.sql).isEmpty {
            output.send(.emptyQueryResponse)
            return
        }
        do {
            if !portal.started { try start(portal) }
            if let cursor = portal.cursor {
                let (sent, end) = try streamRows(cursor, formats: portal.resultFormats, limit: max(0, maxRows))
                portal.rowsSent += sent
                if end == .yielded {
                    resumption = PendingExecute(portal: name, maxRows: max(0, maxRows), sent: sent)
                    portal.history?.recordSlow(inline: inlineBudget)
                    return
                }
                finishExecute(portal, sent: sent, suspended: end == .suspended)
            } else if let result = portal.completed {
                portal.history?.record(portal, rows: 0, inline: inlineBudget)
                output.send(.commandComplete(Self.commandTag(result, rows: 0)))
            }
        } catch {
            portal.history?.recordSlow(inline: inlineBudget)
            failExtended(error, query: portal.errorText)
        }
    }

    /// CommandComplete or PortalSuspended after `sent` rows of one Execute; notes the run in the statement's history.
    func finishExecute(_ portal: Portal, sent: Int, suspended: Bool) {
        portal.history?.record(portal, rows: sent, inline: inlineBudget)
        output.send(suspended ? .portalSuspended : .commandComplete("SELECT \(sent)"))
    }

    /// Sends the rest of an Execute that started on the event loop (`resumption`), now on the worker queue where
    /// writes may wait for the peer.
    func resumeExecute() {
        guard let pending = resumption else { return }
        resumption = nil
        guard let portal = portals[pending.portal], let cursor = portal.cursor else { return }
        do {
            let limit = pending.maxRows == 0 ? 0 : pending.maxRows - pending.sent
            let (sent, end) = try streamRows(cursor, formats: portal.resultFormats, limit: limit)
            portal.rowsSent += sent
            output.send(end == .suspended ? .portalSuspended : .commandComplete("SELECT \(pending.sent + sent)"))
        } catch {
            failExtended(error, query: portal.errorText)
        }
    }

    func close(kind: UInt8, name: String) {
        if kind == UInt8(ascii: "S") { statements[name] = nil } else { portals[name] = nil }
        output.send(.closeComplete)
    }

    func sync() {
        ignoringUntilSync = false
        if transactionStatus == Self.idle { portals.removeAll() }
        output.send(.readyForQuery(transactionStatus))
        output.flush()
    }
}
