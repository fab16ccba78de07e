/// How the HTTP side of `tarn serve` listens: address, TLS, request limits and the dashboards folder.
public struct WebConfiguration: Sendable {
    /// Loopback unless told otherwise; anything else needs TLS (passwords travel in HTTP Basic or a login form).
    public var host: String = "127.0.0.1"
    /// 0 picks a free port (see `WebServer.port`).
    public var port: Int = 8080
    /// Largest request body accepted (bytes); larger ones get 413.
    public var maxBodyBytes: Int = 1 << 20
    /// PEM files; HTTPS when both are set.
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    /// A folder of Markdown dashboards (`NAME.md` served as `/dashboards/NAME`), beside the built-in ones.
    public var dashboardsFolder: String?
    /// Anyone may read without a password (`tarn serve --trust`).
    public var trust = false
    /// Folders whose files queries may read (`tarn serve --allow-path`); none by default, as on the wire.
    public var allowedPaths: [String] = []
    /// Rows of one result shown in a table block at most.
    public var maxTableRows = 200

    public init(host: String = "127.0.0.1", port: Int = 8080) { self.host = host; self.port = port }

    /// True for addresses only this machine can reach.
    public static func isLoopback(_ host: String) -> Bool {
        host == "127.0.0.1" || host == "::1" || host == "localhost" || host.hasPrefix("127.")
    }

    /// Whether credentials may be sent to this listener: over TLS, or on loopback.
    public var credentialsSafe: Bool { (tlsCertificatePath != nil && tlsKeyPath != nil) || Self.isLoopback(host) }
}
