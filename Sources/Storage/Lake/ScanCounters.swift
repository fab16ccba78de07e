import Foundation

/// Running totals of the scans of one `TableSnapshot`, for EXPLAIN ANALYZE. Thread-safe.
///
/// `morsels(matching:)` adds the row groups it considered and skipped; `read(_:columns:)` adds the compressed
/// bytes and rows it read. Counters only grow; take a `snapshot()` before and after a query to get its share.
public final class ScanCounters: @unchecked Sendable {
    /// A copy of the counters at one moment.
    public struct Totals: Sendable, Equatable {
        public var rowGroupsTotal = 0
        public var rowGroupsSkipped = 0
        public var filesSkipped = 0
        public var bytesRead = 0
        public var rowsRead = 0
        public init() {}
    }

    private let lock = NSLock()
    private var totals = Totals()

    public init() {}

    public func snapshot() -> Totals {
        lock.lock(); defer { lock.unlock() }
        return totals
    }

    func add(_ update: (inout Totals) -> Void) {
        lock.lock(); defer { lock.unlock() }
        update(&totals)
    }
}
