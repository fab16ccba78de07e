import Foundation

/// Tells, without waiting, whether a statement starting now would wait for a VACUUM of the lake: VACUUM holds
/// `LAKE/vacuum.intent` exclusively while it waits for running statements and `LAKE/activity.lock` exclusively while
/// it deletes (Storage's `LakeActivityLock`, whose files these are). The probe takes a shared `flock` on each with
/// `LOCK_NB` through descriptors of its own and drops it at once, so it never holds anything back. Used before
/// running a statement on the event loop, which must not block (`ProtocolSession+Inline`).
final class VacuumProbe: @unchecked Sendable {
    private let paths: [String]
    /// -1 until the file could be opened (the lake's first statement creates it).
    private var descriptors: [Int32] = [-1, -1]
    private let lock = NSLock()

    init(lakePath: String) {
        paths = [lakePath + "/vacuum.intent", lakePath + "/activity.lock"]
    }

    deinit {
        for d in descriptors where d >= 0 { close(d) }
    }

    /// True when a VACUUM holds either lock (a statement would wait); false when free or the files cannot be opened
    /// (a read-only lake, where no VACUUM runs).
    func vacuumInProgress() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        for i in paths.indices where descriptors[i] < 0 { descriptors[i] = open(paths[i], O_RDONLY | O_CLOEXEC) }
        for d in descriptors where d >= 0 {
            guard flock(d, LOCK_SH | LOCK_NB) == 0 else { return true }
            flock(d, LOCK_UN)
        }
        return false
    }
}
