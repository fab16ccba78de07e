/// An error or notice as the protocol reports it: severity, SQLSTATE, message and optional position.
public struct ServerError: Error, Sendable, Equatable, CustomStringConvertible {
    public var severity: String
    public var sqlState: String
    public var message: String
    /// 1-based character position in the query text, when known.
    public var position: Int?
    public var detail: String?

    public init(severity: String = "ERROR", sqlState: String, message: String, position: Int? = nil, detail: String? = nil) {
        self.severity = severity; self.sqlState = sqlState; self.message = message; self.position = position; self.detail = detail
    }

    public var description: String { "\(severity) \(sqlState): \(message)" }

    static func protocolViolation(_ m: String) -> ServerError { ServerError(severity: "FATAL", sqlState: "08P01", message: m) }
    static func featureNotSupported(_ m: String) -> ServerError { ServerError(sqlState: "0A000", message: m) }
}
