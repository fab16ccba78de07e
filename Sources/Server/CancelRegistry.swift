import Execution
import Foundation

/// Running statements by backend key, so a CancelRequest on another connection can stop one.
final class CancelRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var running: [Int32: (secret: Int32, progress: QueryProgress?)] = [:]
    private var nextProcessID: Int32 = 1000

    /// A fresh (process ID, secret key) pair for a new connection.
    func register() -> (Int32, Int32) {
        lock.lock(); defer { lock.unlock() }
        nextProcessID &+= 1
        let secret = Int32.random(in: Int32.min...Int32.max)
        running[nextProcessID] = (secret, nil)
        return (nextProcessID, secret)
    }

    func setRunning(_ pid: Int32, _ progress: QueryProgress?) {
        lock.lock(); defer { lock.unlock() }
        if let entry = running[pid] { running[pid] = (entry.secret, progress) }
    }

    func unregister(_ pid: Int32) {
        lock.lock(); defer { lock.unlock() }
        running[pid] = nil
    }

    /// Cancels what `pid` runs if `secret` matches; silently ignores anything else, as PostgreSQL does.
    func cancel(_ pid: Int32, secret: Int32) {
        lock.lock(); defer { lock.unlock() }
        guard let entry = running[pid], entry.secret == secret else { return }
        entry.progress?.cancel()
    }
}
