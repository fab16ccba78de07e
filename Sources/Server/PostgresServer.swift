import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Tarn

/// `tarn serve`: a PostgreSQL protocol v3 server over one open lake. Each connection gets its own
/// Tarn `Session`; statements run on per-connection worker queues, never on the event loop.
public final class PostgresServer: @unchecked Sendable {
    public let database: Database
    public let configuration: ServerConfiguration
    public let users: UserStore
    private let group: MultiThreadedEventLoopGroup
    private var channel: Channel?
    private let cancels = CancelRegistry()
    private let connections = ConnectionCount()
    /// How many reads ran on the event loop (`ProtocolSession+Inline`).
    public let statistics = ServerStatistics()
    private let sslContext: NIOSSLContext?

    public init(database: Database, configuration: ServerConfiguration) throws {
        self.database = database
        self.configuration = configuration
        self.users = UserStore(catalog: database.lake.catalog)
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, min(4, System.coreCount)))
        sslContext = try ServerTLS.context(certificatePath: configuration.tlsCertificatePath, keyPath: configuration.tlsKeyPath)
    }

    /// The port actually bound (useful with port 0).
    public var port: Int { channel?.localAddress?.port ?? configuration.port }

    /// Binds the listening socket; returns once the server accepts connections.
    public func start() throws {
        let configuration = self.configuration
        let database = self.database
        let users = self.users
        let cancels = self.cancels
        let connections = self.connections
        let sslContext = self.sslContext
        let statistics = self.statistics
        let vacuumProbe = VacuumProbe(lakePath: database.lake.path)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let output = ChannelOutput(channel: channel)
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(ByteToMessageHandler(FrontendMessageDecoder(maxMessageLength: configuration.maxMessageLength)))
                    try sync.addHandler(BackendMessageWriter())
                    guard connections.acquire(limit: configuration.maxConnections) else {
                        try sync.addHandler(TooManyConnectionsHandler())
                        return
                    }
                    let session = ProtocolSession(database: database, configuration: configuration, users: users, cancels: cancels, output: output,
                                                  vacuumProbe: vacuumProbe)
                    try sync.addHandler(ConnectionHandler(protocolSession: session, sslContext: sslContext, idleTimeout: configuration.idleTimeout,
                                                           statistics: statistics, onClose: { connections.release() }))
                }
            }
        channel = try bootstrap.bind(host: configuration.host, port: configuration.port).wait()
    }

    /// Blocks until the server is stopped.
    public func wait() throws {
        try channel?.closeFuture.wait()
    }

    /// Stops listening, closes connections and the event loops.
    public func stop() throws {
        try channel?.close().wait()
        try group.syncShutdownGracefully()
    }

    /// Connections currently open.
    public var openConnections: Int { connections.current }
}

/// Open connections, against `--max-connections`.
final class ConnectionCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func acquire(limit: Int) -> Bool {
        lock.withLock {
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    func release() { lock.withLock { count -= 1 } }

    var current: Int { lock.withLock { count } }
}

/// Answers the first message of a connection beyond the limit with FATAL 53300 and closes it.
final class TooManyConnectionsHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = FrontendMessage
    typealias OutboundOut = BackendMessage

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .sslRequest = unwrapInboundIn(data) {
            context.writeAndFlush(wrapOutboundOut(.sslResponse(UInt8(ascii: "N"))), promise: nil)
            return
        }
        let error = ServerError(severity: "FATAL", sqlState: "53300", message: "sorry, too many clients already")
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.errorResponse(error))).whenComplete { _ in channel.close(promise: nil) }
    }
}
