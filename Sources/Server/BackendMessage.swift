import NIOCore

/// One message the server sends (protocol v3). `BackendMessageEncoder` puts it on the wire.
public enum BackendMessage: Sendable {
    /// One byte answer to SSLRequest / GSSENCRequest (`S` or `N`), not framed.
    case sslResponse(UInt8)
    case authenticationOK
    /// AuthenticationSASL with the mechanism names offered.
    case authenticationSASL([String])
    /// AuthenticationMD5Password with its 4-byte salt (only with `--allow-md5`).
    case authenticationMD5Password(salt: [UInt8])
    case authenticationSASLContinue([UInt8])
    case authenticationSASLFinal([UInt8])
    case parameterStatus(name: String, value: String)
    case backendKeyData(processID: Int32, secretKey: Int32)
    /// `I` idle, `T` in a transaction block, `E` in a failed transaction block.
    case readyForQuery(UInt8)
    case rowDescription([ColumnDescription])
    case noData
    case parameterDescription([Int32])
    case commandComplete(String)
    case emptyQueryResponse
    case parseComplete
    case bindComplete
    case closeComplete
    case portalSuspended
    case errorResponse(ServerError)
    case noticeResponse(ServerError)
    /// CopyOutResponse: overall format and per-column formats (0 = text).
    case copyOutResponse(columns: Int)
    case copyData([UInt8])
    case copyDone
    /// DataRow messages already encoded by `RowEncoder` (one buffer for many rows).
    case encodedRows(ByteBuffer)
}

/// One field of a RowDescription.
public struct ColumnDescription: Sendable, Equatable {
    public var name: String
    public var typeOID: Int32
    public var typeSize: Int16
    public var typeModifier: Int32
    /// 0 text, 1 binary.
    public var format: Int16

    public init(name: String, typeOID: Int32, typeSize: Int16, typeModifier: Int32 = -1, format: Int16) {
        self.name = name; self.typeOID = typeOID; self.typeSize = typeSize; self.typeModifier = typeModifier; self.format = format
    }
}
