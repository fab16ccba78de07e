import Foundation
import NIOCore
import NIOSSL
import Tarn

/// The last handler of a connection's pipeline: answers SSLRequest / GSSENCRequest on the event loop
/// (TLS has to be spliced in before the next byte arrives) and hands every other message to the
/// connection's serial worker queue, where `ProtocolSession` runs statements off the event loop — except the
/// short prepared executions it runs on the event loop itself while that queue is idle (`ProtocolSession+Inline`).
/// Reading pauses while too many messages wait, so a pipelining client cannot queue without bound.
final class ConnectionHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = FrontendMessage
    typealias OutboundOut = BackendMessage

    private let protocolSession: ProtocolSession
    private let queue = DispatchQueue(label: "tarn.server.connection")
    private let sslContext: NIOSSLContext?
    private let pending: PendingMessages
    private let onClose: @Sendable () -> Void
    private let statistics: ServerStatistics
    private var tlsActive = false
    /// Set by the first message that is not an SSL or GSS request; TLS can no longer start after it.
    private var startupSeen = false

    /// Messages waiting before reading pauses, and the level at which it resumes.
    static let pauseAt = 256

    private let idleTimer: IdleTimer?

    init(protocolSession: ProtocolSession, sslContext: NIOSSLContext?, idleTimeout: Double? = nil, statistics: ServerStatistics = ServerStatistics(),
         onClose: @escaping @Sendable () -> Void) {
        self.protocolSession = protocolSession
        self.statistics = statistics
        self.sslContext = sslContext
        self.onClose = onClose
        let pending = PendingMessages()
        self.pending = pending
        idleTimer = idleTimeout.map { IdleTimer(seconds: $0, pending: pending) }
    }

    func handlerAdded(context: ChannelHandlerContext) {
        idleTimer?.arm(context.channel)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        idleTimer?.arm(context.channel)
        let message = unwrapInboundIn(data)
        switch message {
        case .sslRequest where startupSeen:
            context.fireErrorCaught(ServerError.protocolViolation("SSLRequest after the startup message"))
            return
        case .sslRequest:
            if let sslContext, !tlsActive {
                tlsActive = true
                context.writeAndFlush(wrapOutboundOut(.sslResponse(UInt8(ascii: "S"))), promise: nil)
                do {
                    try context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext), position: .first)
                } catch {
                    context.close(promise: nil)
                }
            } else {
                context.writeAndFlush(wrapOutboundOut(.sslResponse(UInt8(ascii: "N"))), promise: nil)
            }
            return
        case .gssEncRequest:
            context.writeAndFlush(wrapOutboundOut(.sslResponse(UInt8(ascii: "N"))), promise: nil)
            return
        default:
            startupSeen = true
        }
        if pending.increment() >= Self.pauseAt {
            context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
        }
        received.append(message)
        if received.count >= Self.batchLimit { handOver(context.channel) }
    }

    /// The messages of one read go to the worker queue together: a client's Bind, Describe, Execute and Sync
    /// arrive in one packet, and one hand-over (one wake-up of the worker) per packet instead of one per message
    /// saves a tenth of a small lookup's server time.
    func channelReadComplete(context: ChannelHandlerContext) {
        if !received.isEmpty, pending.waiting == received.count, protocolSession.canRunInline(received) {
            runInline(context.channel)
        } else {
            handOver(context.channel)
        }
        context.fireChannelReadComplete()
    }

    /// Runs the messages of one read here on the event loop (the worker queue is idle, so the session is not in
    /// use; see `ProtocolSession+Inline`). When an Execute's budget runs out, what it has buffered is written and the
    /// worker queue sends the rest of its rows and handles the messages after it.
    private func runInline(_ channel: Channel) {
        let messages = received
        received.removeAll(keepingCapacity: true)
        let session = protocolSession
        session.inlineBudget = .startingNow(short: session.inlineNanoseconds)
        var next = 0
        while next < messages.count, session.resumption == nil {
            session.handle(messages[next])
            next += 1
            if pending.decrement() {
                channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
            }
        }
        session.inlineBudget = nil
        let handedOver = session.resumption != nil || next < messages.count
        statistics.countInlineRun(handedOver: handedOver)
        guard handedOver else { return }
        session.output.flush()
        let rest = messages[next...]
        let counter = pending
        queue.async {
            session.resumeExecute()
            for message in rest {
                session.handle(message)
                if counter.decrement() {
                    channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
                }
            }
        }
    }

    /// Messages read but not yet handed to the worker queue (event loop only).
    private var received: [FrontendMessage] = []
    /// Most messages handed over at once (a pipelining client's long read is split).
    static let batchLimit = 64

    private func handOver(_ channel: Channel) {
        guard !received.isEmpty else { return }
        let messages = received
        received.removeAll(keepingCapacity: true)
        let session = protocolSession
        let pending = self.pending
        queue.async {
            for message in messages {
                session.handle(message)
                if pending.decrement() {
                    channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
                }
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        idleTimer?.stop()
        handOver(context.channel)
        let session = protocolSession
        queue.async { session.connectionClosed() }
        onClose()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let e = error as? ServerError {
            var fatal = e
            fatal.severity = "FATAL"
            context.writeAndFlush(wrapOutboundOut(.errorResponse(fatal)), promise: nil)
        }
        context.close(promise: nil)
    }
}

/// Closes a connection that has sent nothing for `seconds` while none of its messages is being handled
/// (a long query or a result being streamed is not idleness): `FATAL 57P05`, as PostgreSQL's
/// `idle_session_timeout`. Re-armed by every message; runs on the channel's event loop.
final class IdleTimer: @unchecked Sendable {
    private let amount: TimeAmount
    private let pending: PendingMessages
    private var task: Scheduled<Void>?

    init(seconds: Double, pending: PendingMessages) {
        amount = .nanoseconds(Int64(max(seconds, 0.001) * 1e9))
        self.pending = pending
    }

    func arm(_ channel: Channel) {
        task?.cancel()
        task = channel.eventLoop.scheduleTask(in: amount) { [weak self] in self?.expired(channel) }
    }

    func stop() {
        task?.cancel()
        task = nil
    }

    private func expired(_ channel: Channel) {
        guard channel.isActive else { return }
        if pending.isBusy { return arm(channel) }
        let error = ServerError(severity: "FATAL", sqlState: "57P05", message: "terminating connection due to idle-session timeout")
        channel.writeAndFlush(BackendMessage.errorResponse(error)).whenComplete { _ in channel.close(promise: nil) }
    }
}

/// Count of messages handed to the worker and not yet handled; tells when reading must resume.
final class PendingMessages: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private var paused = false

    /// Returns the new count; marks reading paused when it reaches `ConnectionHandler.pauseAt`.
    func increment() -> Int {
        lock.withLock {
            count += 1
            if count >= ConnectionHandler.pauseAt { paused = true }
            return count
        }
    }

    /// Whether a message is waiting or being handled.
    var isBusy: Bool { lock.withLock { count > 0 } }

    /// Messages counted and not yet handled.
    var waiting: Int { lock.withLock { count } }

    /// True when reading was paused and the queue has drained to half.
    func decrement() -> Bool {
        lock.withLock {
            count -= 1
            if paused, count <= ConnectionHandler.pauseAt / 2 { paused = false; return true }
            return false
        }
    }
}
