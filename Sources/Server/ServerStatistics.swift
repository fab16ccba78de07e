import Foundation

/// Counts of the server's inline runs (tests and diagnostics).
public final class ServerStatistics: @unchecked Sendable {
    private let lock = NSLock()
    private var inline = 0
    private var handedOver = 0

    /// Reads whose messages ran on the event loop.
    public var inlineRuns: Int { lock.withLock { inline } }
    /// Of those, the ones whose Execute ran out of budget and finished on the worker queue.
    public var inlineHandOvers: Int { lock.withLock { handedOver } }

    func countInlineRun(handedOver: Bool) {
        lock.withLock {
            inline += 1
            if handedOver { self.handedOver += 1 }
        }
    }
}
