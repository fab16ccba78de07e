import Foundation
import NIOCore
import Storage
import Tarn

/// Plays one client connection's raw bytes through the server's protocol machinery without a socket: the
/// bytes are framed by `FrontendMessageDecoder`, SSL and GSS requests are refused as `ConnectionHandler`
/// refuses them without a certificate, and every other message is handled by a `ProtocolSession` exactly
/// as a connection's worker runs it. The server's answer is collected in memory and checked against the
/// protocol's framing rules. The `pgwire` fuzz target is built on it.
public final class WireProtocolReplay {
    /// What one replay did.
    public struct Outcome: Sendable, Equatable {
        /// Frontend messages handed to the protocol session.
        public var messagesHandled = 0
        /// The connection was closed by the server (terminate, a fatal error or a framing error).
        public var closed = false
        /// The decoder refused the byte stream (the server would send FATAL and close).
        public var framingError: String?
        /// Set when the server's answer broke the protocol: that is a bug, never the client's fault.
        public var violation: String?
        /// DataRow and ErrorResponse messages in the server's answer.
        public var dataRows = 0, errors = 0
    }

    private let database: Database
    private let configuration: ServerConfiguration
    private let users: UserStore
    private let cancels = CancelRegistry()
    /// Statements that run longer than this are cancelled, as a client's `statement_timeout` would.
    public var statementTimeoutMilliseconds = 2_000

    public init(database: Database, configuration: ServerConfiguration) {
        self.database = database
        self.configuration = configuration
        users = UserStore(catalog: database.lake.catalog)
    }

    /// Replays `bytes` as everything one client sent on one connection, then closes the connection.
    public func run(_ bytes: [UInt8]) -> Outcome {
        let output = MemoryOutput()
        let session = ProtocolSession(database: database, configuration: configuration, users: users, cancels: cancels, output: output)
        var decoder = FrontendMessageDecoder(maxMessageLength: configuration.maxMessageLength)
        var buffer = ByteBufferAllocator().buffer(bytes: bytes)
        var outcome = Outcome()
        var startupSeen = false
        var readyExpected = 0
        defer { session.connectionClosed() }
        while session.phase != .closed {
            let message: FrontendMessage
            do {
                guard let next = try decoder.decodeOne(&buffer) else { break }
                message = next
            } catch {
                outcome.framingError = "\(error)"
                session.fatal(error as? ServerError ?? .protocolViolation("\(error)"))
                break
            }
            switch message {
            case .sslRequest where startupSeen:
                session.fatal(.protocolViolation("SSLRequest after the startup message"))
                continue
            case .sslRequest, .gssEncRequest:
                continue  // refused with one unframed byte, as without a certificate; nothing to check
            default:
                startupSeen = true
            }
            if session.phase == .ready {
                switch message {
                case .sync: readyExpected += 1
                case .query where !session.ignoringUntilSync: readyExpected += 1
                default: break
                }
            }
            let wasStartup = session.phase != .ready
            session.handle(message)
            outcome.messagesHandled += 1
            if wasStartup, session.phase == .ready {
                session.compatibility.set("statement_timeout", "\(statementTimeoutMilliseconds)")
                session.session?.settings.threads = 1
            }
        }
        outcome.closed = session.phase == .closed
        let violation = Self.violation(in: output.bytes, readyExpected: readyExpected, outcome: &outcome)
        outcome.violation = violation
        return outcome
    }

    /// Backend message types a PostgreSQL server sends in protocol 3.0.
    static let backendTypes = Set("123cdsACDEGHIKnNRSTtVWZ".utf8)

    /// Checks the server's answer: whole frames of known message types, and one ReadyForQuery for every Sync and
    /// every simple Query the session took (one fewer when the connection was closed by an error). Returns the
    /// first violation, counting the answer's DataRows and ErrorResponses into `outcome` as it reads.
    static func violation(in answer: ByteBuffer, readyExpected: Int, outcome: inout Outcome) -> String? {
        var view = answer
        var ready = 0
        while view.readableBytes > 0 {
            guard let type: UInt8 = view.readInteger(), let length: Int32 = view.readInteger() else {
                return "a message header is cut at byte \(view.readerIndex) of \(answer.readableBytes)"
            }
            guard backendTypes.contains(type) else { return "unknown backend message type \(type)" }
            guard length >= 4, view.readableBytes >= Int(length) - 4 else {
                return "message '\(Character(Unicode.Scalar(type)))' declares \(length) bytes, \(view.readableBytes + 4) remain"
            }
            if type == UInt8(ascii: "Z") {
                guard length == 5, let status: UInt8 = view.getInteger(at: view.readerIndex),
                      "ITE".utf8.contains(status) else { return "malformed ReadyForQuery" }
                ready += 1
            }
            if type == UInt8(ascii: "D") { outcome.dataRows += 1 }
            if type == UInt8(ascii: "E") { outcome.errors += 1 }
            view.moveReaderIndex(forwardBy: Int(length) - 4)
        }
        // The startup's own ReadyForQuery is not counted in readyExpected.
        let answered = max(0, ready - 1)
        if answered > readyExpected { return "\(answered) ReadyForQuery for \(readyExpected) Sync/Query messages" }
        if !outcome.closed, ready > 0, answered < readyExpected {
            return "\(answered) ReadyForQuery for \(readyExpected) Sync/Query messages on an open connection"
        }
        return nil
    }
}

/// `MessageOutput` into memory, for `WireProtocolReplay`.
final class MemoryOutput: MessageOutput {
    var bytes = ByteBufferAllocator().buffer(capacity: 4096)
    /// Stops collecting past this size (a fuzzed query may return many rows); the frames are still whole.
    static let limit = 8 << 20

    func send(_ message: BackendMessage) {
        guard bytes.readableBytes < Self.limit || isReadyForQuery(message) else { return }
        BackendMessageEncoder.write(message, into: &bytes)
    }

    func sendRows(_ batch: Batch, rows: Range<Int>, encoder: RowEncoder) {
        guard bytes.readableBytes < Self.limit else { return }
        encoder.encode(batch, rows: rows, into: &bytes)
    }

    private func isReadyForQuery(_ message: BackendMessage) -> Bool {
        if case .readyForQuery = message { return true }
        return false
    }

    func flush() {}
    var bufferedBytes: Int { 0 }
    func flushIfLarge() throws {}
    func close() {}
}
