import Crypto
import Foundation

/// What the server keeps of a password (RFC 5802 / 7677): salt, iteration count, StoredKey and ServerKey,
/// stored as PostgreSQL does: `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` (base64).
public struct ScramVerifier: Sendable, Equatable {
    public var salt: [UInt8]
    public var iterations: Int
    public var storedKey: [UInt8]
    public var serverKey: [UInt8]

    public static let defaultIterations = 4096

    /// Derives a verifier from `password` with a fresh random salt.
    public static func make(password: String, iterations: Int = defaultIterations) -> ScramVerifier {
        var rng = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
        return make(password: password, salt: salt, iterations: iterations)
    }

    public static func make(password: String, salt: [UInt8], iterations: Int) -> ScramVerifier {
        let salted = PBKDF2.sha256(password: Array(password.utf8), salt: salt, iterations: iterations)
        let key = SymmetricKey(data: salted)
        let clientKey = Array(HMAC<SHA256>.authenticationCode(for: Array("Client Key".utf8), using: key))
        let serverKey = Array(HMAC<SHA256>.authenticationCode(for: Array("Server Key".utf8), using: key))
        return ScramVerifier(salt: salt, iterations: iterations, storedKey: Array(SHA256.hash(data: clientKey)), serverKey: serverKey)
    }

    public var encoded: String {
        "SCRAM-SHA-256$\(iterations):\(Data(salt).base64EncodedString())$\(Data(storedKey).base64EncodedString()):\(Data(serverKey).base64EncodedString())"
    }

    public init(salt: [UInt8], iterations: Int, storedKey: [UInt8], serverKey: [UInt8]) {
        self.salt = salt; self.iterations = iterations; self.storedKey = storedKey; self.serverKey = serverKey
    }

    /// Parses the stored form; nil when it is not a SCRAM-SHA-256 verifier.
    public init?(encoded: String) {
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "SCRAM-SHA-256" else { return nil }
        let a = parts[1].split(separator: ":"), b = parts[2].split(separator: ":")
        guard a.count == 2, b.count == 2, let i = Int(a[0]), i > 0,
              let salt = Data(base64Encoded: String(a[1])), let stored = Data(base64Encoded: String(b[0])),
              let server = Data(base64Encoded: String(b[1])), stored.count == 32, server.count == 32 else { return nil }
        self.init(salt: Array(salt), iterations: i, storedKey: Array(stored), serverKey: Array(server))
    }
}
