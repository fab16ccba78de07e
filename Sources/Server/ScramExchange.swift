import Crypto
import Foundation

/// The server side of one SCRAM-SHA-256 exchange (no channel binding): client-first → server-first,
/// client-final → server-final or failure. An unknown user gets a mock verifier so the exchange looks
/// the same and fails only at the proof, as PostgreSQL does.
struct ScramExchange {
    static let mechanism = "SCRAM-SHA-256"

    enum Failure: Error, Equatable {
        /// The messages are malformed (a protocol violation, 08P01).
        case malformed(String)
        /// The proof does not match (28P01).
        case authenticationFailed
    }

    private let verifier: ScramVerifier
    private let userKnown: Bool
    private var clientFirstBare = ""
    private var serverFirst = ""
    private var nonce = ""

    init(verifier: ScramVerifier?) {
        self.userKnown = verifier != nil
        self.verifier = verifier ?? ScramVerifier(salt: (0..<16).map { _ in UInt8.random(in: 0...255) },
                                                   iterations: ScramVerifier.defaultIterations,
                                                   storedKey: [UInt8](repeating: 0, count: 32), serverKey: [UInt8](repeating: 0, count: 32))
    }

    /// Handles SASLInitialResponse's data; returns server-first-message.
    mutating func receiveClientFirst(_ message: String) throws -> String {
        // gs2-header: "n,," (no binding) or "y,," (client supports it, server does not); "p=" is refused.
        guard message.hasPrefix("n,") || message.hasPrefix("y,") else {
            throw Failure.malformed("channel binding is not supported")
        }
        let afterFlag = message.dropFirst(2)
        guard let comma = afterFlag.firstIndex(of: ",") else { throw Failure.malformed("malformed SCRAM client-first-message") }
        clientFirstBare = String(afterFlag[afterFlag.index(after: comma)...])
        let attributes = Self.attributes(clientFirstBare)
        guard let clientNonce = attributes["r"], !clientNonce.isEmpty, clientNonce.count <= 1024 else {
            throw Failure.malformed("SCRAM client nonce missing")
        }
        var rng = SystemRandomNumberGenerator()
        let serverNonce = Data((0..<18).map { _ in UInt8.random(in: 0...255, using: &rng) }).base64EncodedString()
        nonce = clientNonce + serverNonce
        serverFirst = "r=\(nonce),s=\(Data(verifier.salt).base64EncodedString()),i=\(verifier.iterations)"
        return serverFirst
    }

    /// Handles SASLResponse's data; returns server-final-message when the proof is right.
    func receiveClientFinal(_ message: String) throws -> String {
        guard let proofRange = message.range(of: ",p=") else { throw Failure.malformed("SCRAM proof missing") }
        let withoutProof = String(message[..<proofRange.lowerBound])
        let attributes = Self.attributes(message)
        guard attributes["r"] == nonce else { throw Failure.malformed("SCRAM nonce mismatch") }
        guard let binding = attributes["c"], binding == "biws" || binding == "eSws" else {
            throw Failure.malformed("unexpected SCRAM channel binding")
        }
        guard let proofText = attributes["p"], let proof = Data(base64Encoded: proofText), proof.count == 32 else {
            throw Failure.malformed("malformed SCRAM proof")
        }
        let authMessage = Array("\(clientFirstBare),\(serverFirst),\(withoutProof)".utf8)
        let clientSignature = Array(HMAC<SHA256>.authenticationCode(for: authMessage, using: SymmetricKey(data: verifier.storedKey)))
        let clientKey = zip(proof, clientSignature).map { $0 ^ $1 }
        let computedStored = Array(SHA256.hash(data: clientKey))
        var difference: UInt8 = 0
        for (a, b) in zip(computedStored, verifier.storedKey) { difference |= a ^ b }
        guard userKnown, difference == 0 else { throw Failure.authenticationFailed }
        let serverSignature = HMAC<SHA256>.authenticationCode(for: authMessage, using: SymmetricKey(data: verifier.serverKey))
        return "v=\(Data(serverSignature).base64EncodedString())"
    }

    /// `a=1,b=2` → ["a": "1", "b": "2"] (values may contain `=`).
    static func attributes(_ s: String) -> [String: String] {
        var out: [String: String] = [:]
        for part in s.split(separator: ",") {
            guard let eq = part.firstIndex(of: "="), eq > part.startIndex else { continue }
            out[String(part[..<eq])] = String(part[part.index(after: eq)...])
        }
        return out
    }
}
