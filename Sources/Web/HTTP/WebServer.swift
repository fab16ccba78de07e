import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Server
import Tarn

/// The HTTP side of `tarn serve`: dashboards, `/query` and table pages over one open lake, on SwiftNIO's HTTP/1.1.
/// Requests are read whole (bounded by `maxBodyBytes`) on the event loop and answered on worker threads.
public final class WebServer: @unchecked Sendable {
    public let configuration: WebConfiguration
    public let router: WebRouter
    private let group: MultiThreadedEventLoopGroup
    private var channel: Channel?
    private let sslContext: NIOSSLContext?

    public init(database: Database, users: UserStore, configuration: WebConfiguration) throws {
        self.configuration = configuration
        self.router = WebRouter(database: database, users: users, configuration: configuration)
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        sslContext = try ServerTLS.context(certificatePath: configuration.tlsCertificatePath, keyPath: configuration.tlsKeyPath)
    }

    /// The port actually bound (useful with port 0).
    public var port: Int { channel?.localAddress?.port ?? configuration.port }

    /// Binds the listening socket; returns once requests are accepted.
    public func start() throws {
        let router = self.router
        let sslContext = self.sslContext
        let limit = configuration.maxBodyBytes
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let sslContext { try sync.addHandler(NIOSSLServerHandler(context: sslContext)) }
                    try sync.configureHTTPServerPipeline(withErrorHandling: true)
                    try sync.addHandler(HTTPRequestHandler(router: router, maxBodyBytes: limit))
                }
            }
        channel = try bootstrap.bind(host: configuration.host, port: configuration.port).wait()
    }

    /// Stops listening and closes the event loop.
    public func stop() throws {
        try channel?.close().wait()
        try group.syncShutdownGracefully()
    }
}

/// Collects one request (head and body up to the limit) and hands it to the router on a worker queue.
final class HTTPRequestHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let router: WebRouter
    private let maxBodyBytes: Int
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var tooLarge = false
    private static let workers = DispatchQueue(label: "tarn.web.requests", attributes: .concurrent)

    init(router: WebRouter, maxBodyBytes: Int) {
        self.router = router
        self.maxBodyBytes = maxBodyBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(h):
            head = h
            body = []
            tooLarge = false
            if let length = h.headers.first(name: "content-length").flatMap(Int.init), length > maxBodyBytes { tooLarge = true }
        case var .body(buffer):
            guard !tooLarge else { return }
            if body.count + buffer.readableBytes > maxBodyBytes { tooLarge = true; body = []; return }
            body.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
        case .end:
            guard let head else { return }
            self.head = nil
            let channel = context.channel
            let keepAlive = head.isKeepAlive && !tooLarge
            if tooLarge {
                Self.write(.text("request body larger than \(maxBodyBytes) bytes\n", status: 413), version: head.version, keepAlive: false, on: channel)
                return
            }
            var headers: [String: String] = [:]
            for (name, value) in head.headers { headers[name.lowercased()] = value }
            let request = WebRequest(method: head.method.rawValue, uri: head.uri, headers: headers, body: body)
            body = []
            let router = self.router
            let version = head.version
            Self.workers.async {
                let response = router.handle(request)
                Self.write(response, version: version, keepAlive: keepAlive, on: channel)
            }
        }
    }

    static func write(_ response: WebResponse, version: HTTPVersion, keepAlive: Bool, on channel: Channel) {
        var headers = HTTPHeaders()
        for (name, value) in response.headers { headers.add(name: name, value: value) }
        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
        headers.replaceOrAdd(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        headers.replaceOrAdd(name: "Cache-Control", value: "no-store")
        let head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        var buffer = channel.allocator.buffer(capacity: response.body.count)
        buffer.writeBytes(response.body)
        channel.write(HTTPServerResponsePart.head(head), promise: nil)
        channel.write(HTTPServerResponsePart.body(.byteBuffer(buffer)), promise: nil)
        let done = channel.writeAndFlush(HTTPServerResponsePart.end(nil))
        if !keepAlive { done.whenComplete { _ in channel.close(promise: nil) } }
    }
}
