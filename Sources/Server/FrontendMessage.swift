import NIOCore

/// One message a PostgreSQL client sends (protocol v3), already framed and parsed.
public enum FrontendMessage: Sendable, Equatable {
    /// Protocol 3.0 startup: `user`, `database`, `application_name`, … as sent.
    case startup(parameters: [String: String])
    /// Request to switch to TLS before the startup message.
    case sslRequest
    /// Request for GSSAPI encryption (always refused).
    case gssEncRequest
    /// Sent on a fresh connection to cancel the query running on another one.
    case cancelRequest(processID: Int32, secretKey: Int32)
    /// `p`: a password, SASLInitialResponse or SASLResponse; interpreted by the authentication state.
    case password(ByteBuffer)
    /// `Q`: simple query, possibly several statements.
    case query(String)
    /// `P`: prepare `query` as statement `name` with the given parameter type OIDs (0 = unspecified).
    case parse(name: String, query: String, parameterTypes: [Int32])
    /// `B`: bind statement to portal with parameter values (nil = NULL) and format codes.
    case bind(portal: String, statement: String, parameterFormats: [Int16], parameters: [ByteBuffer?], resultFormats: [Int16])
    /// `D`: describe a statement (`S`) or portal (`P`).
    case describe(kind: UInt8, name: String)
    /// `E`: run a portal, returning at most `maxRows` rows (0 = all).
    case execute(portal: String, maxRows: Int32)
    /// `C`: close a statement (`S`) or portal (`P`).
    case close(kind: UInt8, name: String)
    /// `S`: end of an extended-query cycle.
    case sync
    /// `H`: send what is pending.
    case flush
    /// `X`: the client is leaving.
    case terminate
}
