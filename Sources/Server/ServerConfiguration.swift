/// How `tarn serve` listens and whom it lets in.
public struct ServerConfiguration: Sendable {
    /// How clients prove who they are.
    public enum Authentication: Sendable, Equatable {
        /// SCRAM-SHA-256 against the users stored in the lake's catalog.
        case scram
        /// Anyone may connect as any user, without a password (only sensible on loopback).
        case trust
    }

    public var host: String = "127.0.0.1"
    /// 0 picks a free port (see `PostgresServer.port`).
    public var port: Int = 5432
    public var maxConnections: Int = 64
    public var authentication: Authentication = .scram
    /// Largest frontend message accepted, in bytes.
    public var maxMessageLength: Int = 64 << 20
    /// PEM files; TLS is offered on SSLRequest only when both are set.
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    /// A connection that sends nothing for this long while no statement of it runs is closed with
    /// `FATAL 57P05` (nil: never).
    public var idleTimeout: Double?
    /// Folders whose files connections may read and write (COPY, ATTACH, read_*); empty: none (see `FileAccessPolicy`).
    public var allowedPaths: [String] = []
    /// Offer md5 password authentication to users that have an md5 verifier, and store one for users created
    /// or changed while on (see `MD5Password`); off by default.
    public var allowMD5 = false
    /// A prepared query whose last execution took at most this long (and sent few rows) runs its next execution on
    /// the event loop (see `ProtocolSession+Inline`); 0 turns that off.
    public var inlineExecutionSeconds = 0.001
    /// Reported as `server_version`.
    public var serverVersion = "15.0 (Tarn)"

    public init(host: String = "127.0.0.1", port: Int = 5432, maxConnections: Int = 64, authentication: Authentication = .scram) {
        self.host = host; self.port = port; self.maxConnections = maxConnections; self.authentication = authentication
    }
}
