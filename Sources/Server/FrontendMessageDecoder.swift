import NIOCore

/// Frames the client's byte stream into `FrontendMessage`s: first the untyped startup packets
/// (SSLRequest, GSSENCRequest, CancelRequest, StartupMessage), then typed messages. Every length
/// is checked against a bound before any byte is buffered for it, so a peer cannot make the server
/// hold more than `maxMessageLength` bytes of one message.
public struct FrontendMessageDecoder: ByteToMessageDecoder {
    public typealias InboundOut = FrontendMessage

    /// Largest typed message accepted (the length field includes itself).
    public let maxMessageLength: Int
    /// Startup packets are small; PostgreSQL itself refuses more than 10,000 bytes.
    static let maxStartupLength = 10_000
    private var expectingStartup = true

    static let sslRequestCode: Int32 = 80_877_103
    static let gssEncRequestCode: Int32 = 80_877_104
    static let cancelRequestCode: Int32 = 80_877_102
    static let protocolVersion3: Int32 = 196_608

    public init(maxMessageLength: Int = 64 << 20) { self.maxMessageLength = maxMessageLength }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let message = try decodeOne(&buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(message))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }

    /// Decodes one message from the front of `buffer`, or returns nil (consuming nothing) when incomplete.
    public mutating func decodeOne(_ buffer: inout ByteBuffer) throws -> FrontendMessage? {
        if expectingStartup { return try decodeStartup(&buffer) }
        guard let type: UInt8 = buffer.getInteger(at: buffer.readerIndex),
              let length: Int32 = buffer.getInteger(at: buffer.readerIndex + 1) else { return nil }
        guard length >= 4 else { throw ServerError.protocolViolation("invalid message length \(length)") }
        guard Int(length) <= maxMessageLength else {
            throw ServerError.protocolViolation("message of \(length) bytes exceeds the limit of \(maxMessageLength) bytes")
        }
        guard buffer.readableBytes >= 1 + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 5)
        guard var body = buffer.readSlice(length: Int(length) - 4) else { return nil }
        return try Self.parseTyped(type, &body)
    }

    private mutating func decodeStartup(_ buffer: inout ByteBuffer) throws -> FrontendMessage? {
        guard let length: Int32 = buffer.getInteger(at: buffer.readerIndex) else { return nil }
        guard length >= 8, Int(length) <= Self.maxStartupLength else {
            throw ServerError.protocolViolation("invalid startup packet length \(length)")
        }
        guard buffer.readableBytes >= Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        guard var body = buffer.readSlice(length: Int(length) - 4), let code: Int32 = body.readInteger() else { return nil }
        switch code {
        case Self.sslRequestCode: return .sslRequest
        case Self.gssEncRequestCode: return .gssEncRequest
        case Self.cancelRequestCode:
            guard let pid: Int32 = body.readInteger(), let key: Int32 = body.readInteger() else {
                throw ServerError.protocolViolation("malformed cancel request")
            }
            return .cancelRequest(processID: pid, secretKey: key)
        case Self.protocolVersion3:
            var parameters: [String: String] = [:]
            while let name = try body.readCString(), !name.isEmpty {
                guard let value = try body.readCString() else { throw ServerError.protocolViolation("malformed startup packet") }
                parameters[name] = value
            }
            expectingStartup = false
            return .startup(parameters: parameters)
        default:
            throw ServerError(severity: "FATAL", sqlState: "0A000",
                              message: "unsupported frontend protocol \(code >> 16).\(code & 0xFFFF): server supports 3.0")
        }
    }

    static func parseTyped(_ type: UInt8, _ body: inout ByteBuffer) throws -> FrontendMessage {
        switch type {
        case UInt8(ascii: "Q"):
            return .query(try body.requireCString())
        case UInt8(ascii: "P"):
            let name = try body.requireCString(), query = try body.requireCString()
            let n = try body.requireInt16()
            var types: [Int32] = []
            for _ in 0..<max(0, Int(n)) { types.append(try body.requireInt32()) }
            return .parse(name: name, query: query, parameterTypes: types)
        case UInt8(ascii: "B"):
            let portal = try body.requireCString(), statement = try body.requireCString()
            let nf = try body.requireInt16()
            var formats: [Int16] = []
            for _ in 0..<max(0, Int(nf)) { formats.append(try body.requireInt16()) }
            let np = try body.requireInt16()
            var params: [ByteBuffer?] = []
            for _ in 0..<max(0, Int(np)) {
                let len = try body.requireInt32()
                if len < 0 { params.append(nil); continue }
                guard let slice = body.readSlice(length: Int(len)) else { throw ServerError.protocolViolation("truncated Bind parameter") }
                params.append(slice)
            }
            let nr = try body.requireInt16()
            var resultFormats: [Int16] = []
            for _ in 0..<max(0, Int(nr)) { resultFormats.append(try body.requireInt16()) }
            return .bind(portal: portal, statement: statement, parameterFormats: formats, parameters: params, resultFormats: resultFormats)
        case UInt8(ascii: "D"), UInt8(ascii: "C"):
            guard let kind: UInt8 = body.readInteger(), kind == UInt8(ascii: "S") || kind == UInt8(ascii: "P") else {
                throw ServerError.protocolViolation("Describe/Close needs 'S' or 'P'")
            }
            let name = try body.requireCString()
            return type == UInt8(ascii: "D") ? .describe(kind: kind, name: name) : .close(kind: kind, name: name)
        case UInt8(ascii: "E"):
            let portal = try body.requireCString()
            return .execute(portal: portal, maxRows: try body.requireInt32())
        case UInt8(ascii: "S"): return .sync
        case UInt8(ascii: "H"): return .flush
        case UInt8(ascii: "X"): return .terminate
        case UInt8(ascii: "p"): return .password(body)
        default:
            throw ServerError.protocolViolation("unsupported message type '\(Character(Unicode.Scalar(type)))'")
        }
    }
}

extension ByteBuffer {
    /// Reads a NUL-terminated UTF-8 string; nil at the end of the buffer, an error when the NUL is missing.
    mutating func readCString() throws -> String? {
        guard readableBytes > 0 else { return nil }
        guard let nul = readableBytesView.firstIndex(of: 0) else { throw ServerError.protocolViolation("string without terminator") }
        let length = nul - readerIndex
        let s = readString(length: length) ?? ""
        moveReaderIndex(forwardBy: 1)
        return s
    }

    mutating func requireCString() throws -> String {
        guard let s = try readCString() else { throw ServerError.protocolViolation("missing string field") }
        return s
    }

    mutating func requireInt16() throws -> Int16 {
        guard let v: Int16 = readInteger() else { throw ServerError.protocolViolation("truncated message") }
        return v
    }

    mutating func requireInt32() throws -> Int32 {
        guard let v: Int32 = readInteger() else { throw ServerError.protocolViolation("truncated message") }
        return v
    }
}
