import NIOSSL

/// The TLS context both listeners of `tarn serve` (the wire protocol and HTTP) build from `--tls-cert` / `--tls-key`.
public enum ServerTLS {
    /// A server context from PEM files, or nil when no certificate is given (plain TCP).
    public static func context(certificatePath: String?, keyPath: String?) throws -> NIOSSLContext? {
        guard let certificatePath, let keyPath else { return nil }
        let chain = try NIOSSLCertificate.fromPEMFile(certificatePath).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        return try NIOSSLContext(configuration: TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key)))
    }
}
