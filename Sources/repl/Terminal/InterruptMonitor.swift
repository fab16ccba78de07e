import Foundation
import Synchronization

/// Ctrl-C handling for the interactive shell.
///
/// A SIGINT handler (async-signal-safe: an atomic increment and a `write` to a pipe) replaces the default
/// "terminate". The query runner compares the counter to cancel a running statement; the line editor
/// polls the pipe next to stdin and treats a byte there as "clear the line".
enum InterruptMonitor {
    private static let counter = Atomic<Int>(0)
    nonisolated(unsafe) private static var pipeDescriptors: (read: Int32, write: Int32) = (-1, -1)

    /// Installs the handler once; scripts keep the default (Ctrl-C ends the process).
    static func install() {
        guard pipeDescriptors.read < 0 else { return }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return }
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        pipeDescriptors = (fds[0], fds[1])
        signal(SIGINT) { _ in
            InterruptMonitor.counter.add(1, ordering: .sequentiallyConsistent)
            var byte: UInt8 = 3
            _ = write(InterruptMonitor.pipeDescriptors.write, &byte, 1)
        }
    }

    /// Number of Ctrl-Cs received so far.
    static var count: Int { counter.load(ordering: .sequentiallyConsistent) }

    /// The pipe's read end (for `poll`), or -1 when not installed.
    static var readDescriptor: Int32 { pipeDescriptors.read }

    /// Empties the pipe; returns true when a Ctrl-C was pending.
    @discardableResult
    static func drain() -> Bool {
        guard pipeDescriptors.read >= 0 else { return false }
        var any = false
        var byte: UInt8 = 0
        while read(pipeDescriptors.read, &byte, 1) == 1 { any = true }
        return any
    }
}
