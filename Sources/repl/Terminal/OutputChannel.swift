import Foundation

/// A buffered text sink on a file descriptor (stdout, stderr or a file opened by `.output`).
final class OutputChannel: TextOutputStream, @unchecked Sendable {
    let descriptor: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8] = []

    init(descriptor: Int32, ownsDescriptor: Bool = false) {
        self.descriptor = descriptor
        self.ownsDescriptor = ownsDescriptor
        buffer.reserveCapacity(1 << 16)
    }

    /// Opens (truncating) `path` for writing.
    static func file(_ path: String) throws -> OutputChannel {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CLIError("cannot open \(path): \(String(cString: strerror(errno)))") }
        return OutputChannel(descriptor: fd, ownsDescriptor: true)
    }

    static let standardOutput = OutputChannel(descriptor: 1)
    static let standardError = OutputChannel(descriptor: 2)

    var isTerminal: Bool { isatty(descriptor) == 1 }

    func write(_ string: String) {
        buffer.append(contentsOf: string.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        var start = 0
        while start < buffer.count {
            let n = buffer[start...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; break }
            start += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() {
        flush()
        if ownsDescriptor { Foundation.close(descriptor) }
    }

    deinit { flush() }
}
