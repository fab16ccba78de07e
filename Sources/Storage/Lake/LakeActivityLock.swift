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
public final class LakeActivityLock: @unchecked Sendable {
    private let activityPath: String
    private let intentPath: String
    /// The process's descriptors of the two lock files, opened by the first statement and kept (opening them per
    /// statement was two path lookups and two closes per small query); -2 before that, -1 when they cannot be
    /// opened. The kernel's lock belongs to the open file, so the statements of this process share one shared lock
    /// on it, counted by `holders`: taken by the first, dropped by the last. VACUUM opens its own descriptors, so
    /// it still waits for every statement of this process as for another process's.
    private var activityDescriptor: Int32 = -2
    private var intentDescriptor: Int32 = -2
    private var holders = 0
    private let mutex = NSLock()

    init(lakePath: String) {
        activityPath = lakePath + "/activity.lock"
        intentPath = lakePath + "/vacuum.intent"
    }

    deinit {
        if activityDescriptor >= 0 { close(activityDescriptor) }
        if intentDescriptor >= 0 { close(intentDescriptor) }
    }

    /// A held lock; released by `release()` or when the holder is freed.
    public final class Holder: @unchecked Sendable {
        private var onRelease: (() -> Void)?
        init(onRelease: @escaping () -> Void) { self.onRelease = onRelease }
        /// Releases the lock. Safe to call more than once.
        public func release() {
            if let onRelease { self.onRelease = nil; onRelease() }
        }
        deinit { release() }
    }

    /// For one statement: waits while a VACUUM is deleting, then holds the lake against the next one. Nil when
    /// the lock files cannot be opened (a read-only lake folder), where no VACUUM can run either.
    public func shared() -> Holder? {
        mutex.lock()
        if activityDescriptor == -2 {
            activityDescriptor = open(activityPath) ?? -1
            intentDescriptor = activityDescriptor >= 0 ? open(intentPath) ?? -1 : -1
        }
        let activity = activityDescriptor, intent = intentDescriptor
        mutex.unlock()
        guard activity >= 0 else { return nil }
        // Blocks only while a VACUUM holds the intent (it waits for us at most its timeout). Another statement of
        // this process may pass the same gate at once: it is the same lock, so the first to unlock opens it for
        // both, which only lets a statement start beside a VACUUM that then waits for it.
        if intent >= 0 { while flock(intent, LOCK_SH) != 0 && errno == EINTR {} }
        mutex.lock()
        if holders == 0 { while flock(activity, LOCK_SH) != 0 && errno == EINTR {} }
        holders += 1
        mutex.unlock()
        if intent >= 0 { flock(intent, LOCK_UN) }
        return Holder { [self] in
            mutex.lock()
            holders -= 1
            if holders == 0 { flock(activity, LOCK_UN) }
            mutex.unlock()
        }
    }

    /// For VACUUM: the lake with no statement running, or an error after `timeout` seconds (nothing changed).
    func exclusive(timeout: Double) throws -> Holder {
        guard let intent = open(intentPath), let activity = open(activityPath) else {
            throw TarnError.io("cannot open the lock files of the lake (\(activityPath)) to VACUUM it")
        }
        let intentHolder = Holder { close(intent) }
        let activityHolder = Holder { close(activity) }
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
