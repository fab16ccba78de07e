import Dispatch
import Execution
import NIOCore
import Storage
import Tarn

/// Prepared statements run from a plan made once (`Session.PreparedQuery`): a client that sends Parse once and
/// Bind / Execute many times (psycopg from its fifth run of a query, asyncpg, pgJDBC) no longer has each execution's
/// text parsed, bound and optimised. Only plain queries whose parameters all have a fixed-type literal (bool,
/// int2/4/8, float4/8, date, timestamp) qualify; a NULL value, a statement that is not a plain query, or a
/// session state the plan cannot follow (a transaction block, TEMP tables…) runs the text with the values written
/// in, as every statement did before, so answers and errors are the same either way.
extension ProtocolSession {
    /// The prepared statement's plan made once, decided at its first Bind; nil when it always runs from its text.
    func reusablePlan(_ prepared: PreparedStatement) -> PreparedQuery? {
        if !prepared.reuse.decided {
            prepared.reuse.decided = true
            prepared.reuse.query = makeReusable(prepared)
        }
        return prepared.reuse.query
    }

    private func makeReusable(_ prepared: PreparedStatement) -> PreparedQuery? {
        guard let session else { return nil }
        var types: [DataType] = []
        for oid in prepared.parameterTypes {
            guard let type = ParameterValue.placeholderType(oid: oid) else { return nil }
            types.append(type)
        }
        let text = prepared.query
        // What `run` does with a text before Tarn sees it must leave it alone: no user command, no catalog query,
        // nothing the compatibility layer answers or rewrites.
        if UserCommand.parse(text) != nil || CatalogEmulation.isCatalogQuery(text) { return nil }
        guard case let .run(sql) = classify(text), sql == text else { return nil }
        guard let parsed = try? session.parse(text), parsed.count == 1, let statement = parsed.first else { return nil }
        if readOnly, WritePolicy.writes(statement.statement) { return nil }
        guard (try? fileAccess.check(statement.statement)) != nil else { return nil }
        return session.prepareQuery(statement, parameterTypes: types)
    }

    /// One Bind's values for a reused plan; nil when one of them has to be written into the text (see `ParameterValue`).
    func reusableValues(_ parameters: [ByteBuffer?], formats: [Int16], types: [Int32]) -> [Value]? {
        guard let session, parameters.count == types.count else { return nil }
        var values: [Value] = []
        values.reserveCapacity(parameters.count)
        for (i, parameter) in parameters.enumerated() {
            let format = formats.isEmpty ? 0 : (formats.count == 1 ? formats[0] : formats[i])
            guard let value = ParameterValue.value(parameter, format: format, typeOID: types[i], settings: session.settings) else { return nil }
            values.append(value)
        }
        return values
    }

    /// Runs a portal's statement: from its prepared plan when that applies now, else from its text.
    func start(_ portal: Portal) throws {
        portal.startedAt = DispatchTime.now().uptimeNanoseconds
        if let reuse = portal.reuse, let values = reuse.values, reuse.query.reusable, transactionStatus != Self.failedBlock {
            // An error from here is placed in the client's text (`Portal.errorText`).
            portal.ranReused = true
            if let outcome = try runReused(reuse.query, values) { return portal.start(outcome) }
            portal.ranReused = false
        }
        do {
            portal.start(try run(portal.sql))
        } catch let error as TarnError {
            // The text failed as planning the statement with placeholders did: that error places it in the client's text.
            if let planning = portal.reuse?.query.planningError as? TarnError, planning.kind == error.kind, planning.message == error.message {
                portal.ranReused = true
                throw planning
            }
            throw error
        }
    }

    private func runReused(_ query: PreparedQuery, _ values: [Value]) throws -> StatementOutcome? {
        guard let session else { return nil }
        return try asRunningStatement { progress in
            guard let stream = try session.openQuery(query, parameters: values, progress: progress) else { return nil }
            return .rows(ResultCursor(stream: stream, progress: progress))
        }
    }
}
