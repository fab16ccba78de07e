import Execution
import Foundation
import NIOCore
import SQL
import Storage
import Tarn

/// The protocol state of one connection: startup, SCRAM authentication, then simple and extended
/// queries over a Tarn `Session`. Runs one message at a time, on the connection's worker queue or, for the short
/// prepared executions of `ProtocolSession+Inline`, on the event loop while the worker queue is idle; it answers
/// through a `MessageOutput`. Never used by two threads at once (hence `@unchecked Sendable`).
final class ProtocolSession: @unchecked Sendable {
    enum Phase { case startup, saslInitial, saslFinal, md5, ready, closed }

    let database: Database
    let configuration: ServerConfiguration
    let users: UserStore
    let cancels: CancelRegistry
    let output: MessageOutput

    private(set) var phase = Phase.startup
    private var exchange: ScramExchange?
    /// The md5 exchange's salt and the user's stored md5 verifier (nil for an unknown user).
    private var md5Challenge: (salt: [UInt8], verifier: String?)?
    private(set) var userName = ""
    private(set) var readOnly = false
    var session: Session?
    var compatibility = ClientCompatibility(databaseName: "tarn", userName: "", serverVersion: "15.0")
    /// The `TimeZone` a client sent in its startup packet (pgJDBC sends the JVM's), applied to the session when it is a
    /// zone Tarn knows; an unknown one leaves UTC.
    private var startupTimeZone: String?
    let catalog = CatalogEmulation()
    let fileAccess: FileAccessPolicy
    private(set) var processID: Int32 = 0
    private var secretKey: Int32 = 0
    var statements: [String: PreparedStatement] = [:]
    var portals: [String: Portal] = [:]
    /// `I` idle, `T` in a transaction block, `E` in a failed one.
    var transactionStatus = UInt8(ascii: "I")
    /// After an error in extended-query mode, messages are skipped until Sync.
    var ignoringUntilSync = false
    /// Statement texts parsed lately (parsing depends on the text alone): a client re-runs its prepared statements
    /// with the same text, and Describe and Execute of one portal parse it twice.
    private var recentParses: [String: [ParsedStatement]] = [:]
    static let recentParseLimit = 64
    /// Set while the connection's messages run on the event loop (`ProtocolSession+Inline`): how long and how many
    /// buffered bytes they may take before the rest of a result is handed to the worker queue.
    var inlineBudget: InlineBudget?
    /// An Execute whose rows started on the event loop and must be finished on the worker queue.
    var resumption: PendingExecute?

    static let idle = UInt8(ascii: "I"), inBlock = UInt8(ascii: "T"), failedBlock = UInt8(ascii: "E")

    /// Tells whether a VACUUM would make a statement wait (then it does not run on the event loop); nil: never inline.
    let vacuumProbe: VacuumProbe?

    init(database: Database, configuration: ServerConfiguration, users: UserStore, cancels: CancelRegistry, output: MessageOutput,
         vacuumProbe: VacuumProbe? = nil) {
        self.vacuumProbe = vacuumProbe
        self.database = database
        self.configuration = configuration
        self.users = users
        self.cancels = cancels
        self.output = output
        fileAccess = FileAccessPolicy(allowedFolders: configuration.allowedPaths)
    }

    /// Handles one message; after `.terminate` or a fatal error the phase is `.closed`.
    func handle(_ message: FrontendMessage) {
        switch phase {
        case .closed: return
        case .startup: handleStartup(message)
        case .saslInitial, .saslFinal: handleAuthentication(message)
        case .md5: handleMD5(message)
        case .ready: handleReady(message)
        }
    }

    /// The connection went away: forget its backend key and stop what it runs.
    func connectionClosed() {
        if processID != 0 {
            cancels.cancel(processID, secret: secretKey)
            cancels.unregister(processID)
        }
        phase = .closed
        portals.removeAll()
        // A block left open is rolled back now (its files deleted), not whenever the session is freed.
        if session?.inTransaction == true { _ = try? session?.execute("ROLLBACK") }
    }

    func fatal(_ error: ServerError) {
        var e = error
        e.severity = "FATAL"
        output.send(.errorResponse(e))
        output.close()
        connectionClosed()
    }

    // MARK: startup and authentication

    private func handleStartup(_ message: FrontendMessage) {
        switch message {
        case let .cancelRequest(pid, key):
            cancels.cancel(pid, secret: key)
            output.close()
            phase = .closed
        case let .startup(parameters):
            guard let user = parameters["user"], !user.isEmpty else {
                return fatal(ServerError(sqlState: "28000", message: "no PostgreSQL user name specified in startup packet"))
            }
            userName = user
            compatibility = ClientCompatibility(databaseName: parameters["database"] ?? user, userName: user,
                                                serverVersion: configuration.serverVersion)
            if let app = parameters["application_name"] { compatibility.set("application_name", app) }
            startupTimeZone = parameters.first { $0.key.lowercased() == "timezone" }?.value
            switch configuration.authentication {
            case .trust:
                finishStartup()
            case .scram:
                let stored: UserStore.User?
                do { stored = try users.user(user) } catch {
                    return fatal(ServerError(sqlState: "XX000", message: "cannot read users: \(error)"))
                }
                readOnly = stored?.readOnly ?? false
                if configuration.allowMD5, stored == nil || stored?.md5 != nil {
                    // Unknown users get the md5 exchange too, so a refusal looks the same.
                    let salt = (0..<4).map { _ in UInt8.random(in: 0...255) }
                    md5Challenge = (salt, stored?.md5)
                    phase = .md5
                    output.send(.authenticationMD5Password(salt: salt))
                    output.flush()
                    return
                }
                exchange = ScramExchange(verifier: stored?.verifier)
                phase = .saslInitial
                output.send(.authenticationSASL([ScramExchange.mechanism]))
                output.flush()
            }
        case .terminate:
            output.close()
            phase = .closed
        default:
            fatal(.protocolViolation("expected a startup message"))
        }
    }

    private func handleAuthentication(_ message: FrontendMessage) {
        guard case var .password(body) = message, var exchange else {
            if case .terminate = message { output.close(); phase = .closed; return }
            return fatal(.protocolViolation("expected a SASL response"))
        }
        do {
            if phase == .saslInitial {
                guard let mechanism = try body.readCString(), let length: Int32 = body.readInteger() else {
                    return fatal(.protocolViolation("malformed SASLInitialResponse"))
                }
                guard mechanism == ScramExchange.mechanism else {
                    return fatal(ServerError(sqlState: "28000", message: "SASL authentication mechanism \(mechanism) is not supported"))
                }
                guard length >= 0, let data = body.readString(length: Int(length)) else {
                    return fatal(.protocolViolation("malformed SASLInitialResponse"))
                }
                let serverFirst = try exchange.receiveClientFirst(data)
                self.exchange = exchange
                phase = .saslFinal
                output.send(.authenticationSASLContinue(Array(serverFirst.utf8)))
                output.flush()
            } else {
                let data = body.readString(length: body.readableBytes) ?? ""
                let serverFinal = try exchange.receiveClientFinal(data)
                self.exchange = nil
                output.send(.authenticationSASLFinal(Array(serverFinal.utf8)))
                finishStartup()
            }
        } catch ScramExchange.Failure.authenticationFailed {
            fatal(ServerError(sqlState: "28P01", message: "password authentication failed for user \"\(userName)\""))
        } catch let ScramExchange.Failure.malformed(why) {
            fatal(ServerError(sqlState: "08P01", message: why))
        } catch {
            fatal(ServerError(sqlState: "08P01", message: "\(error)"))
        }
    }

    private func handleMD5(_ message: FrontendMessage) {
        guard case var .password(body) = message, let challenge = md5Challenge else {
            if case .terminate = message { output.close(); phase = .closed; return }
            return fatal(.protocolViolation("expected a password message"))
        }
        md5Challenge = nil
        guard let response = try? body.readCString(), let verifier = challenge.verifier,
              MD5Password.verify(response: response, verifier: verifier, salt: challenge.salt) else {
            return fatal(ServerError(sqlState: "28P01", message: "password authentication failed for user \"\(userName)\""))
        }
        finishStartup()
    }

    private func finishStartup() {
        session = database.connect()
        session?.postgresDatabaseName = compatibility.databaseName
        if let session { session.tableFunctions = fileAccess.guarding(session.tableFunctions) }
        if let session, let name = startupTimeZone, let zone = TimeZoneRules.named(name) {
            session.settings.timeZone = zone
            compatibility.set("TimeZone", zone.name)
        }
        (processID, secretKey) = cancels.register()
        phase = .ready
        output.send(.authenticationOK)
        for name in ClientCompatibility.announced {
            output.send(.parameterStatus(name: name, value: compatibility.parameters[name] ?? ""))
        }
        output.send(.backendKeyData(processID: processID, secretKey: secretKey))
        output.send(.readyForQuery(transactionStatus))
        output.flush()
    }

    // MARK: ready

    private func handleReady(_ message: FrontendMessage) {
        if ignoringUntilSync {
            switch message {
            case .sync: break
            case .terminate: break
            default: return
            }
        }
        switch message {
        case let .query(sql): simpleQuery(sql)
        case let .parse(name, query, types): parse(name: name, query: query, types: types)
        case let .bind(portal, statement, parameterFormats, parameters, resultFormats):
            bind(portal: portal, statement: statement, parameterFormats: parameterFormats, parameters: parameters, resultFormats: resultFormats)
        case let .describe(kind, name): describe(kind: kind, name: name)
        case let .execute(portal, maxRows): execute(portal: portal, maxRows: Int(maxRows))
        case let .close(kind, name): close(kind: kind, name: name)
        case .sync: sync()
        case .flush: output.flush()
        case .terminate:
            output.close()
            connectionClosed()
        case .password, .startup, .sslRequest, .gssEncRequest, .cancelRequest:
            fatal(.protocolViolation("unexpected message after startup"))
        }
    }

    // MARK: running one statement

    /// Runs one statement's text (compatibility layer first, then Tarn). A plain query comes back as a
    /// cursor over its running plan. Errors are `ServerError`s or `TarnError`s.
    func run(_ text: String) throws -> StatementOutcome {
        guard let session else { throw ServerError.protocolViolation("no session") }
        if let command = UserCommand.parse(text) { return .completed(try runUserCommand(command)) }
        let action = classify(text)
        if transactionStatus == Self.failedBlock {
            guard case .transaction = action else {
                throw ServerError(sqlState: "25P02", message: "current transaction is aborted, commands ignored until end of transaction block")
            }
        }
        switch action {
        case let .answer(result):
            return .completed(result)
        case let .transaction(tag, status):
            if tag == "ROLLBACK", status == Self.inBlock {
                // ROLLBACK TO SAVEPOINT: Tarn has no savepoints, so it can only clear a failure that undid nothing.
                if session.transactionHasWrites {
                    throw ServerError(sqlState: "0A000", message: "ROLLBACK TO SAVEPOINT cannot undo part of a transaction: Tarn has "
                                      + "no savepoints; ROLLBACK the whole transaction")
                }
                session.clearTransactionFailure()
                if transactionStatus == Self.failedBlock { transactionStatus = Self.inBlock }
                return .completed(ClientCompatibility.tag(tag))
            }
            // The session runs the block: COMMIT records every table's version at once (or fails with 40001).
            let result: StatementResult
            do {
                // A block the server saw fail (an error outside the session, e.g. while sending rows) only rolls back.
                let word = tag == "COMMIT" && transactionStatus == Self.failedBlock ? "ROLLBACK" : tag
                result = try session.execute(word).last ?? ClientCompatibility.tag(word)
            } catch {
                transactionStatus = session.inTransaction ? Self.failedBlock : Self.idle
                throw error
            }
            transactionStatus = session.inTransaction ? Self.inBlock : Self.idle
            return .completed(ClientCompatibility.tag(result.message ?? tag))
        case let .setting(name, value):
            let lower = name.lowercased()
            if ClientCompatibility.tarnSettings.contains(lower) {
                do {
                    let result = try execute(text, on: session)
                    if lower == "timezone" || lower == "time_zone" {
                        // The session's zone changed: clients that track TimeZone (psql, JDBC) hear of it.
                        compatibility.set("TimeZone", session.settings.timeZone.name)
                        output.send(.parameterStatus(name: "TimeZone", value: session.settings.timeZone.name))
                    }
                    return result
                } catch where lower == "search_path" {
                    // Clients set PostgreSQL schema paths ("$user", public) Tarn does not have. Answered here, so it
                    // does not fail an open block either (the session marked it failed when the SET was refused).
                    session.clearTransactionFailure()
                }
            }
            compatibility.set(name, value)
            if let reported = ClientCompatibility.announced.first(where: { $0.lowercased() == lower }) {
                output.send(.parameterStatus(name: reported, value: compatibility.parameters[reported] ?? value))
            }
            return .completed(ClientCompatibility.tag("SET"))
        case let .run(sql):
            if let answer = try catalog.answer(sql, session: session, database: compatibility.databaseName, user: userName) {
                return .completed(answer)
            }
            do {
                return try execute(sql, on: session)
            } catch let error as TarnError where CatalogEmulation.isCatalogQuery(sql) && error.kind != .cancelled {
                // A client's catalog probe Tarn cannot answer: no rows rather than a failed connect. Said as a
                // DEBUG1 notice when the client asked for those (`SET client_min_messages = debug1`), so tests see it.
                // The probe succeeded as far as the client knows, so an open block must not stay failed (drivers
                // such as SQLAlchemy's psycopg dialect reflect tables inside the block they opened).
                session.clearTransactionFailure()
                if compatibility.parameters["client_min_messages"]?.lowercased().hasPrefix("debug") == true {
                    output.send(.noticeResponse(ServerError(severity: "DEBUG", sqlState: "0A000",
                        message: "catalog query answered with no rows: \(error.message)")))
                }
                return .completed(CatalogEmulation.textResult(["?column?"], []))
            }
        }
    }

    private func runUserCommand(_ command: UserCommand) throws -> StatementResult {
        if readOnly { throw WritePolicy.readOnlyError() }
        if transactionStatus == Self.failedBlock {
            throw ServerError(sqlState: "25P02", message: "current transaction is aborted, commands ignored until end of transaction block")
        }
        switch command {
        case let .create(name, password, readOnly):
            guard try users.user(name) == nil else { throw ServerError(sqlState: "42710", message: "role \"\(name)\" already exists") }
            try users.setUser(name, password: password, readOnly: readOnly, storeMD5: configuration.allowMD5)
            return ClientCompatibility.tag("CREATE ROLE")
        case let .alter(name, password, readOnly):
            guard try users.alterUser(name, password: password, readOnly: readOnly, storeMD5: configuration.allowMD5) else {
                throw ServerError(sqlState: "42704", message: "role \"\(name)\" does not exist")
            }
            return ClientCompatibility.tag("ALTER ROLE")
        case let .drop(name, ifExists):
            guard try users.dropUser(name) || ifExists else { throw ServerError(sqlState: "42704", message: "role \"\(name)\" does not exist") }
            return ClientCompatibility.tag("DROP ROLE")
        }
    }

    /// Texts the compatibility layer passes to Tarn unchanged, by their text alone (not SET or SHOW, whose answers
    /// follow the session): Describe and Execute of every portal classify its text, and a client's prepared
    /// statements come back with the same text.
    private var plainTexts = Set<String>()

    /// `compatibility.classify(text)`, skipping the scan of texts already found plain.
    func classify(_ text: String) -> ClientCompatibility.Action {
        if plainTexts.contains(text) { return .run(text) }
        let action = compatibility.classify(text)
        if case let .run(sql) = action, sql == text {
            let first = text.drop { $0.isWhitespace }.prefix(4).lowercased()
            if !first.hasPrefix("set") && !first.hasPrefix("show") {
                if plainTexts.count >= Self.recentParseLimit { plainTexts.removeAll(keepingCapacity: true) }
                plainTexts.insert(text)
            }
        }
        return action
    }

    /// `session.parse(sql)`, remembered for the next statement with the same text (at most `recentParseLimit` texts).
    func parse(_ sql: String, on session: Session) throws -> [ParsedStatement] {
        if let parsed = recentParses[sql] { return parsed }
        let parsed = try session.parse(sql)
        if recentParses.count >= Self.recentParseLimit { recentParses.removeAll(keepingCapacity: true) }
        recentParses[sql] = parsed
        return parsed
    }

    private func execute(_ sql: String, on session: Session) throws -> StatementOutcome {
        let parsed = try parse(sql, on: session)
        guard let statement = parsed.first else { return .completed(ClientCompatibility.tag("SELECT 0")) }
        guard parsed.count == 1 else {
            throw ServerError(sqlState: "42601", message: "cannot insert multiple commands into a prepared statement")
        }
        if readOnly, WritePolicy.writes(statement.statement) { throw WritePolicy.readOnlyError() }
        try fileAccess.check(statement.statement)
        return try asRunningStatement { progress in
            if let stream = try session.openQuery(statement, progress: progress) {
                return .rows(ResultCursor(stream: stream, progress: progress))
            }
            let result = try session.execute(statement, progress: progress)
            for notice in result.notices {
                output.send(.noticeResponse(ServerError(severity: "NOTICE", sqlState: "00000", message: notice)))
            }
            return .completed(result)
        }
    }

    /// `statement_timeout` as the client set it, in milliseconds (0: none). PostgreSQL's forms: `5000`, `'5s'`,
    /// `'250ms'`, `'1min'`, `'1h'`.
    var statementTimeoutMilliseconds: Double {
        guard let raw = compatibility.parameters["statement_timeout"]?.trimmingCharacters(in: .whitespaces).lowercased() else { return 0 }
        let digits = raw.prefix { $0.isNumber || $0 == "." }
        guard let value = Double(digits) else { return 0 }
        switch raw.dropFirst(digits.count).trimmingCharacters(in: .whitespaces) {
        case "", "ms": return value
        case "s": return value * 1_000
        case "min": return value * 60_000
        case "h": return value * 3_600_000
        case "d": return value * 86_400_000
        default: return 0
        }
    }

    /// Runs `body` as the connection's running statement (until it returns): a CancelRequest or `statement_timeout`
    /// cancels the progress it is given.
    func asRunningStatement<R>(_ body: (QueryProgress) throws -> R) throws -> R {
        let progress = QueryProgress()
        cancels.setRunning(processID, progress)
        let timeout = armStatementTimeout(progress)
        defer {
            cancels.setRunning(processID, nil)
            timeout?.cancel()
        }
        return try body(progress)
    }

    /// Cancels `progress` (the statement fails with 57014) when it outlives `statement_timeout`; the caller
    /// cancels the returned item when the statement ends first.
    func armStatementTimeout(_ progress: QueryProgress?) -> DispatchWorkItem? {
        let milliseconds = statementTimeoutMilliseconds
        guard milliseconds > 0, let progress else { return nil }
        let item = DispatchWorkItem { progress.cancel() }
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(min(milliseconds, 1e12))), execute: item)
        return item
    }

    /// Whether running `text` only reads (so Describe may run it early to learn its columns).
    func producesRows(_ text: String) -> Bool {
        switch classify(text) {
        case let .answer(result): return result.hasResultSet
        case .transaction, .setting: return false
        case let .run(sql):
            guard let session, let parsed = try? parse(sql, on: session), parsed.count == 1, let first = parsed.first else { return false }
            switch first.statement {
            case .query, .showTables, .showSchemas, .describe, .describeHistory: return true
            case let .explain(_, analyze): return !analyze
            default: return false
            }
        }
    }

    // MARK: results

    static func commandTag(_ result: StatementResult, rows: Int) -> String {
        if result.hasResultSet { return "SELECT \(rows)" }
        guard let message = result.message else { return "SELECT \(result.rowCount)" }
        let words = message.split(separator: " ")
        if words.count == 2, words[0] == "INSERT" { return "INSERT 0 \(words[1])" }
        return message
    }

    static func describe(_ fields: [Field], formats: [Int16]) -> [ColumnDescription] {
        fields.enumerated().map { i, f in
            let t = PostgresType.of(f.type)
            let format: Int16 = formats.isEmpty ? 0 : (formats.count == 1 ? formats[0] : (i < formats.count ? formats[i] : 0))
            return ColumnDescription(name: f.name, typeOID: t.oid, typeSize: t.size, typeModifier: t.modifier, format: format)
        }
    }

    /// Rows encoded between two looks at the inline budget.
    static let inlineSliceRows = 4096

    /// How `streamRows` stopped: at the end of the rows, at the row limit, or (running on the event loop) because
    /// the inline budget ran out and the rest must be sent from the worker queue (`ProtocolSession+Inline`).
    enum StreamEnd { case finished, suspended, yielded }

    /// Sends rows of `cursor` from where it stopped, at most `limit` (0 = all).
    func streamRows(_ cursor: ResultCursor, formats: [Int16], limit: Int) throws -> (sent: Int, end: StreamEnd) {
        let encoder = RowEncoder(types: cursor.columns.map(\.type), formats: formats, timeZone: session?.settings.timeZone ?? .utc)
        var sent = 0
        cancels.setRunning(processID, cursor.progress)
        let timeout = armStatementTimeout(cursor.progress)
        defer {
            cancels.setRunning(processID, nil)
            timeout?.cancel()
        }
        while limit == 0 || sent < limit {
            // On the event loop nothing may wait for the peer: past the budget, the worker queue sends the rest.
            // Inline, a batch is sent in slices of `inlineSliceRows` so the budget is looked at between them.
            var step = limit == 0 ? 0 : limit - sent
            if let budget = inlineBudget {
                if budget.isSpent(buffered: output.bufferedBytes) { return (sent, .yielded) }
                step = step == 0 ? Self.inlineSliceRows : min(step, Self.inlineSliceRows)
            }
            guard let (batch, range) = try cursor.next(limit: step) else { return (sent, .finished) }
            output.sendRows(batch, rows: range, encoder: encoder)
            if inlineBudget == nil { try output.flushIfLarge() }
            sent += range.count
        }
        return (sent, .suspended)
    }

    /// Sends ErrorResponse for `error`; `query` and `offset` place a `position` in the client's text.
    func sendError(_ error: Error, query: String?, offset: Int = 0) {
        var e = ErrorTranslation.serverError(error, query: query)
        if let p = e.position { e.position = p + offset }
        output.send(.errorResponse(e))
        if transactionStatus == Self.inBlock { transactionStatus = Self.failedBlock }
    }
}
