import Crypto
import Foundation
@testable import Server
#if canImport(Glibc)
import Glibc
#endif

/// A minimal blocking PostgreSQL protocol client for the tests: raw socket, framing, SCRAM.
final class WireClient {
    struct Message {
        var type: Character
        var body: [UInt8]

        /// ErrorResponse / NoticeResponse fields by code.
        var fields: [Character: String] {
            var out: [Character: String] = [:]
            var i = 0
            while i < body.count, body[i] != 0 {
                let code = Character(Unicode.Scalar(body[i]))
                i += 1
                var j = i
                while j < body.count, body[j] != 0 { j += 1 }
                out[code] = String(decoding: body[i..<j], as: UTF8.self)
                i = j + 1
            }
            return out
        }

        /// CommandComplete's tag.
        var tag: String { String(decoding: body.prefix { $0 != 0 }, as: UTF8.self) }

        /// DataRow's fields (nil for NULL).
        var values: [[UInt8]?] {
            guard type == "D" else { return [] }
            var r = Reader(body)
            let n = Int(r.int16())
            return (0..<n).map { _ in
                let len = Int(r.int32())
                return len < 0 ? nil : r.bytes(len)
            }
        }

        var textValues: [String?] { values.map { $0.map { String(decoding: $0, as: UTF8.self) } } }

        /// RowDescription's (name, type OID, format).
        var columns: [(name: String, oid: Int32, format: Int16)] {
            var r = Reader(body)
            let n = Int(r.int16())
            return (0..<n).map { _ in
                let name = r.cString()
                _ = r.int32(); _ = r.int16()
                let oid = r.int32()
                _ = r.int16(); _ = r.int32()
                return (name, oid, r.int16())
            }
        }
    }

    struct Reader {
        let b: [UInt8]
        var i = 0
        init(_ b: [UInt8]) { self.b = b }
        mutating func int16() -> Int16 { defer { i += 2 }; return Int16(bitPattern: UInt16(b[i]) << 8 | UInt16(b[i + 1])) }
        mutating func int32() -> Int32 {
            defer { i += 4 }
            return Int32(bitPattern: UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3]))
        }
        mutating func bytes(_ n: Int) -> [UInt8] { defer { i += n }; return Array(b[i..<(i + n)]) }
        mutating func cString() -> String {
            var j = i
            while b[j] != 0 { j += 1 }
            defer { i = j + 1 }
            return String(decoding: b[i..<j], as: UTF8.self)
        }
    }

    enum Failure: Error { case connect, closed }

    private let fd: Int32
    private var inbox: [UInt8] = []
    /// Where the unread bytes of `inbox` start (consumed bytes are dropped in bulk, not one message at a time).
    private var head = 0

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard ok == 0 else { close(fd); throw Failure.connect }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func sendRaw(_ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            sent += n
        }
    }

    /// Messages collected by `inOneWrite`, nil when each message is written at once.
    private var corked: [UInt8]?

    /// Sends the messages `body` sends in one write (one packet), as drivers send Bind / Describe / Execute / Sync.
    func inOneWrite(_ body: () -> Void) {
        corked = []
        body()
        let bytes = corked ?? []
        corked = nil
        sendRaw(bytes)
    }

    /// Sends a typed message (`type` nil: an untyped startup packet).
    func send(_ type: Character?, _ body: [UInt8]) {
        var out: [UInt8] = []
        if let type { out.append(UInt8(ascii: type.unicodeScalars.first ?? "?")) }
        out += be32(Int32(body.count + 4)) + body
        if corked != nil { corked? += out } else { sendRaw(out) }
    }

    func readByte() throws -> UInt8 {
        try fill(1)
        head += 1
        return inbox[head - 1]
    }

    private func fill(_ n: Int) throws {
        if head > 0, inbox.count - head < n {
            inbox.removeFirst(head)
            head = 0
        }
        while inbox.count - head < n {
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let got = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if got <= 0 { throw Failure.closed }
            inbox += chunk[0..<got]
        }
    }

    func read() throws -> Message {
        try fill(5)
        let type = Character(Unicode.Scalar(inbox[head]))
        var r = Reader(Array(inbox[(head + 1)..<(head + 5)]))
        let length = Int(r.int32())
        try fill(1 + length)
        let body = Array(inbox[(head + 5)..<(head + 1 + length)])
        head += 1 + length
        return Message(type: type, body: body)
    }

    /// Messages up to and including ReadyForQuery.
    func readUntilReady() throws -> [Message] {
        var out: [Message] = []
        while true {
            let m = try read()
            out.append(m)
            if m.type == "Z" { return out }
        }
    }

    /// Startup plus SCRAM-SHA-256 (or trust); returns the messages after authentication up to ReadyForQuery,
    /// or the ErrorResponse that ended it.
    func startup(user: String, password: String, database: String = "tarn", parameters: [(String, String)] = []) throws -> [Message] {
        var body = be32(196_608)
        for (k, v) in [("user", user), ("database", database)] + parameters { body += cstr(k) + cstr(v) }
        body.append(0)
        send(nil, body)
        let first = try read()
        guard first.type == "R" else { return [first] }
        var r = Reader(first.body)
        if r.int32() == 0 { return [first] + (try readUntilReady()) }
        let clientNonce = "fyko+d2lbbFgONRv9qkxdawL"
        let clientFirstBare = "n=,r=\(clientNonce)"
        let initial = Array("n,,\(clientFirstBare)".utf8)
        send("p", cstr("SCRAM-SHA-256") + be32(Int32(initial.count)) + initial)
        let cont = try read()
        guard cont.type == "R" else { return [cont] }
        let serverFirst = String(decoding: cont.body.dropFirst(4), as: UTF8.self)
        let attrs = ScramExchange.attributes(serverFirst)
        let salt = Array(Data(base64Encoded: attrs["s"] ?? "") ?? Data())
        let iterations = Int(attrs["i"] ?? "") ?? 0
        let nonce = attrs["r"] ?? ""
        let salted = PBKDF2.sha256(password: Array(password.utf8), salt: salt, iterations: iterations)
        let clientKey = Array(HMAC<SHA256>.authenticationCode(for: Array("Client Key".utf8), using: SymmetricKey(data: salted)))
        let storedKey = Array(SHA256.hash(data: clientKey))
        let withoutProof = "c=biws,r=\(nonce)"
        let authMessage = Array("\(clientFirstBare),\(serverFirst),\(withoutProof)".utf8)
        let signature = Array(HMAC<SHA256>.authenticationCode(for: authMessage, using: SymmetricKey(data: storedKey)))
        let proof = zip(clientKey, signature).map { $0 ^ $1 }
        send("p", Array("\(withoutProof),p=\(Data(proof).base64EncodedString())".utf8))
        let final = try read()
        guard final.type == "R" else { return [final] }
        return try readUntilReady()
    }

    func query(_ sql: String) throws -> [Message] {
        send("Q", cstr(sql))
        return try readUntilReady()
    }

    func parse(_ name: String, _ sql: String, types: [Int32] = []) {
        send("P", cstr(name) + cstr(sql) + be16(Int16(types.count)) + types.flatMap(be32))
    }

    func bind(portal: String = "", statement: String = "", formats: [Int16] = [], parameters: [[UInt8]?], resultFormats: [Int16] = []) {
        var body = cstr(portal) + cstr(statement) + be16(Int16(formats.count)) + formats.flatMap(be16)
        body += be16(Int16(parameters.count))
        for p in parameters {
            if let p { body += be32(Int32(p.count)) + p } else { body += be32(-1) }
        }
        body += be16(Int16(resultFormats.count)) + resultFormats.flatMap(be16)
        send("B", body)
    }

    func describe(_ kind: Character, _ name: String = "") { send("D", [UInt8(ascii: kind.unicodeScalars.first ?? "S")] + cstr(name)) }
    func execute(_ portal: String = "", maxRows: Int32 = 0) { send("E", cstr(portal) + be32(maxRows)) }
    func sync() { send("S", []) }

    func cstr(_ s: String) -> [UInt8] { Array(s.utf8) + [0] }
    func be16(_ v: Int16) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }
    func be32(_ v: Int32) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }
}
