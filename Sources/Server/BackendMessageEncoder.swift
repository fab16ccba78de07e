import NIOCore

/// Writes `BackendMessage`s in protocol v3 framing: a type byte, an Int32 length that includes itself, the body.
public struct BackendMessageEncoder: MessageToByteEncoder {
    public typealias OutboundIn = BackendMessage

    public init() {}

    public func encode(data: BackendMessage, out: inout ByteBuffer) throws {
        Self.write(data, into: &out)
    }

    /// Appends `message` to `out` (also used to batch several messages into one buffer).
    public static func write(_ message: BackendMessage, into out: inout ByteBuffer) {
        switch message {
        case let .sslResponse(byte):
            out.writeInteger(byte)
        case .authenticationOK:
            frame("R", &out) { $0.writeInteger(Int32(0)) }
        case let .authenticationSASL(mechanisms):
            frame("R", &out) { b in
                b.writeInteger(Int32(10))
                for m in mechanisms { b.writeCString(m) }
                b.writeInteger(UInt8(0))
            }
        case let .authenticationMD5Password(salt):
            frame("R", &out) { $0.writeInteger(Int32(5)); $0.writeBytes(salt) }
        case let .authenticationSASLContinue(data):
            frame("R", &out) { $0.writeInteger(Int32(11)); $0.writeBytes(data) }
        case let .authenticationSASLFinal(data):
            frame("R", &out) { $0.writeInteger(Int32(12)); $0.writeBytes(data) }
        case let .parameterStatus(name, value):
            frame("S", &out) { $0.writeCString(name); $0.writeCString(value) }
        case let .backendKeyData(pid, key):
            frame("K", &out) { $0.writeInteger(pid); $0.writeInteger(key) }
        case let .readyForQuery(status):
            frame("Z", &out) { $0.writeInteger(status) }
        case let .rowDescription(columns):
            frame("T", &out) { b in
                b.writeInteger(Int16(truncatingIfNeeded: columns.count))
                for c in columns {
                    b.writeCString(c.name)
                    b.writeInteger(Int32(0))
                    b.writeInteger(Int16(0))
                    b.writeInteger(c.typeOID)
                    b.writeInteger(c.typeSize)
                    b.writeInteger(c.typeModifier)
                    b.writeInteger(c.format)
                }
            }
        case .noData: frame("n", &out) { _ in }
        case let .parameterDescription(types):
            frame("t", &out) { b in
                b.writeInteger(Int16(truncatingIfNeeded: types.count))
                for t in types { b.writeInteger(t) }
            }
        case let .commandComplete(tag): frame("C", &out) { $0.writeCString(tag) }
        case .emptyQueryResponse: frame("I", &out) { _ in }
        case .parseComplete: frame("1", &out) { _ in }
        case .bindComplete: frame("2", &out) { _ in }
        case .closeComplete: frame("3", &out) { _ in }
        case .portalSuspended: frame("s", &out) { _ in }
        case let .errorResponse(e): frame("E", &out) { writeFields(e, &$0) }
        case let .noticeResponse(e): frame("N", &out) { writeFields(e, &$0) }
        case let .copyOutResponse(columns):
            frame("H", &out) { b in
                b.writeInteger(UInt8(0))
                b.writeInteger(Int16(truncatingIfNeeded: columns))
                for _ in 0..<columns { b.writeInteger(Int16(0)) }
            }
        case let .copyData(bytes): frame("d", &out) { $0.writeBytes(bytes) }
        case .copyDone: frame("c", &out) { _ in }
        case var .encodedRows(rows): out.writeBuffer(&rows)
        }
    }

    private static func writeFields(_ e: ServerError, _ b: inout ByteBuffer) {
        func field(_ code: Character, _ value: String) {
            b.writeInteger(UInt8(ascii: code.unicodeScalars.first ?? "M"))
            b.writeCString(value)
        }
        field("S", e.severity)
        field("V", e.severity)
        field("C", e.sqlState)
        field("M", e.message)
        if let d = e.detail { field("D", d) }
        if let p = e.position { field("P", String(p)) }
        b.writeInteger(UInt8(0))
    }

    /// Writes the type byte, a length placeholder, the body, then patches the length.
    static func frame(_ type: Unicode.Scalar, _ out: inout ByteBuffer, _ body: (inout ByteBuffer) -> Void) {
        out.writeInteger(UInt8(ascii: type))
        let lengthIndex = out.writerIndex
        out.writeInteger(Int32(0))
        body(&out)
        out.setInteger(Int32(truncatingIfNeeded: out.writerIndex - lengthIndex), at: lengthIndex)
    }
}

extension ByteBuffer {
    /// Writes `s` as UTF-8 followed by a NUL byte.
    mutating func writeCString(_ s: String) {
        writeString(s)
        writeInteger(UInt8(0))
    }
}

/// The connection's outbound handler: a buffer of messages the session already encoded (`encodedRows`, every
/// flush of `ChannelOutput`) goes to the socket as it is; any other message is encoded into a buffer of its own.
/// (NIO's `MessageToByteHandler` would copy every flushed buffer once more.)
final class BackendMessageWriter: ChannelOutboundHandler, Sendable {
    typealias OutboundIn = BackendMessage
    typealias OutboundOut = ByteBuffer

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let message = unwrapOutboundIn(data)
        if case let .encodedRows(buffer) = message {
            context.write(wrapOutboundOut(buffer), promise: promise)
            return
        }
        var buffer = context.channel.allocator.buffer(capacity: 256)
        BackendMessageEncoder.write(message, into: &buffer)
        context.write(wrapOutboundOut(buffer), promise: promise)
    }
}
