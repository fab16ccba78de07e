import Foundation

/// Keeps VACUUM from deleting files that a running statement still needs: a snapshot being read (its files
/// may already be removed from the newest version) or a write whose files are on disk but not yet committed
/// (they look like a crashed writer's orphans).
///
/// Statements hold a shared `flock` on `LAKE/activity.lock` while they run; VACUUM takes it exclusively before
/// it changes the catalog or deletes a file, waiting (up to a timeout) for the running statements to finish,
/// as PostgreSQL's VACUUM leaves rows that open transactions can see. A second lock, `vacuum.intent`, makes a
/// waiting VACUUM hold back statements that start after it, so a steady stream of short queries cannot starve
/// it. The locks are the kernel's, per open file, so a killed process releases them, and they work across the
/// processes and the sessions of one process that share a lake.
public final class LakeActivityLock: Sendable {
    private let activityPath: String
    private let intentPath: String

    init(lakePath: String) {
        activityPath = lakePath + "/activity.lock"
        intentPath = lakePath + "/vacuum.intent"
    }

    /// A held lock; released by `release()` or when the holder is freed.
    public final class Holder: @unchecked Sendable {
        private var descriptor: Int32
        init(descriptor: Int32) { self.descriptor = descriptor }
        /// Releases the lock (closing the descriptor drops it). Safe to call more than once.
        public func release() {
            if descriptor >= 0 { close(descriptor); descriptor = -1 }
        }
        deinit { release() }
    }

    /// For one statement: waits while a VACUUM is deleting, then holds the lake against the next one. Nil when
    /// the lock files cannot be opened (a read-only lake folder), where no VACUUM can run either.
    public func shared() -> Holder? {
        guard let activity = open(activityPath) else { return nil }
        if let intent = open(intentPath) {
            // Blocks only while a VACUUM holds the intent (it waits for us at most its timeout).
            while flock(intent, LOCK_SH) != 0 && errno == EINTR {}
            while flock(activity, LOCK_SH) != 0 && errno == EINTR {}
            close(intent)
        } else {
            while flock(activity, LOCK_SH) != 0 && errno == EINTR {}
        }
        return Holder(descriptor: activity)
    }

    /// For VACUUM: the lake with no statement running, or an error after `timeout` seconds (nothing changed).
    func exclusive(timeout: Double) throws -> Holder {
        guard let intent = open(intentPath), let activity = open(activityPath) else {
            throw TarnError.io("cannot open the lock files of the lake (\(activityPath)) to VACUUM it")
        }
        let intentHolder = Holder(descriptor: intent)
        let activityHolder = Holder(descriptor: activity)
        let deadline = Date().addingTimeInterval(timeout)
        try wait(intent, until: deadline)
        try wait(activity, until: deadline)
        intentHolder.release()
        return activityHolder
    }

    private func wait(_ descriptor: Int32, until deadline: Date) throws {
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                throw TarnError.io("cannot lock \(activityPath) for VACUUM: \(String(cString: strerror(errno)))")
            }
            guard Date() < deadline else {
                throw TarnError(.conflict, "VACUUM waited for running statements on the lake to finish and gave up; "
                                + "nothing was deleted — run it again when they are done")
            }
            usleep(5_000)
        }
    }

    private func open(_ path: String) -> Int32? {
        let fd = Foundation.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if fd >= 0 { return fd }
        let readOnly = Foundation.open(path, O_RDONLY | O_CLOEXEC)
        return readOnly >= 0 ? readOnly : nil
    }
}
