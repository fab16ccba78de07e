import Crypto
import Foundation
import Server

/// Who may read: HTTP Basic credentials checked against the lake's users (the SCRAM verifier is derived again
/// from the stored salt and iteration count and compared), or the cookie a login form handed out.
/// Every web session is read-only, whatever the user's own flag.
public final class WebAuthenticator: @unchecked Sendable {
    let users: UserStore
    let trust: Bool
    private let lock = NSLock()
    /// Login cookies → user name.
    private var sessions: [String: String] = [:]
    /// Digests of credentials already verified against a verifier (so a page's requests skip PBKDF2).
    private var verified: Set<[UInt8]> = []

    public static let cookieName = "tarn_session"
    /// Login sessions kept at most.
    static let maxSessions = 10_000

    init(users: UserStore, trust: Bool) { self.users = users; self.trust = trust }

    /// The user behind the request, or nil when it brings no valid credentials.
    func user(for request: WebRequest) -> String? {
        if trust { return "trust" }
        if let token = request.cookie(Self.cookieName), let name = lock.withLock({ sessions[token] }) { return name }
        guard let header = request.headers["authorization"], header.lowercased().hasPrefix("basic "),
              let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
              let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":") else { return nil }
        let name = String(text[..<colon]), password = String(text[text.index(after: colon)...])
        return check(name, password) ? name : nil
    }

    /// Whether `password` is `name`'s: SCRAM's StoredKey derived from it equals the stored one.
    func check(_ name: String, _ password: String) -> Bool {
        guard let stored = try? users.user(name) else { return false }
        let digest = Array(SHA256.hash(data: Array("\(name)\u{0}\(password)\u{0}\(stored.verifier.encoded)".utf8)))
        if lock.withLock({ verified.contains(digest) }) { return true }
        let derived = ScramVerifier.make(password: password, salt: stored.verifier.salt, iterations: stored.verifier.iterations)
        guard Self.constantTimeEqual(derived.storedKey, stored.verifier.storedKey) else { return false }
        lock.withLock { _ = verified.insert(digest) }
        return true
    }

    /// Starts a cookie session for a checked user; returns the cookie value.
    func startSession(user: String) -> String {
        var rng = SystemRandomNumberGenerator()
        let token = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined()
        lock.withLock {
            // Bounded: beyond the limit an arbitrary older session is forgotten (its user logs in again).
            if sessions.count >= Self.maxSessions, let victim = sessions.keys.first { sessions.removeValue(forKey: victim) }
            sessions[token] = user
        }
        return token
    }

    func endSession(_ token: String) { lock.withLock { _ = sessions.removeValue(forKey: token) } }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in a.indices { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}
