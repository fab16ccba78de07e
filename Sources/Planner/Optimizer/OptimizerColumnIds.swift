import Foundation

/// Column ids for columns that optimizer rules create (the binder's per-statement generator is gone by then).
/// They come from a process-wide counter far above any id a binder hands out, so they never collide with
/// the ids of the plan they are added to.
enum OptimizerColumnIds {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var next = 1 << 40

    static func make() -> Int {
        lock.lock()
        defer { lock.unlock() }
        next += 1
        return next
    }
}
