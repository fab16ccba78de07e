import Crypto

/// PBKDF2 with HMAC-SHA-256 (RFC 8018), one output block: what SCRAM-SHA-256 needs for SaltedPassword.
enum PBKDF2 {
    static func sha256(password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
        let key = SymmetricKey(data: password)
        var block = salt
        block.append(contentsOf: [0, 0, 0, 1])
        var u = Array(HMAC<SHA256>.authenticationCode(for: block, using: key))
        var result = u
        if iterations > 1 {
            for _ in 1..<iterations {
                u = Array(HMAC<SHA256>.authenticationCode(for: u, using: key))
                for i in result.indices { result[i] ^= u[i] }
            }
        }
        return result
    }
}
