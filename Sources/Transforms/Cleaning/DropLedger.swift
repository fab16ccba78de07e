import Foundation

/// Where table functions account for what they change beyond their output: rows they dropped (by function and
/// rule) and surrogate keys they assigned. One ledger per session; a writing statement drains it and commits
/// the records with the table version, the pipeline runner reports them per step. Thread-safe.
public final class DropLedger: @unchecked Sendable {
    /// Rows one rule of one table function dropped.
    public struct Drop: Sendable, Hashable {
        public var function: String
        public var rule: String
        public var rows: Int
        public init(function: String, rule: String, rows: Int) { self.function = function; self.rule = rule; self.rows = rows }
    }

    /// Surrogate keys given to new natural keys of a dimension by this statement.
    public struct KeyAssignment: Sendable, Hashable {
        public var dimension: String
        public var naturalKey: String
        public var key: Int64
        public init(dimension: String, naturalKey: String, key: Int64) { self.dimension = dimension; self.naturalKey = naturalKey; self.key = key }
    }

    private let lock = NSLock()
    private var drops: [Drop] = []
    private var keys: [KeyAssignment] = []

    public init() {}

    /// Records that `function` dropped `rows` rows because of `rule` (zero counts are recorded too, so a
    /// report shows every rule that ran).
    public func recordDrop(function: String, rule: String, rows: Int) {
        lock.lock(); defer { lock.unlock() }
        if let i = drops.firstIndex(where: { $0.function == function && $0.rule == rule }) { drops[i].rows += rows }
        else { drops.append(Drop(function: function, rule: rule, rows: rows)) }
    }

    public func recordKeys(_ assignments: [KeyAssignment]) {
        lock.lock(); defer { lock.unlock() }
        keys.append(contentsOf: assignments)
    }

    /// Everything recorded since the last drain, and clears it.
    public func drain() -> (drops: [Drop], keys: [KeyAssignment]) {
        lock.lock(); defer { lock.unlock() }
        let out = (drops, keys)
        drops = []; keys = []
        return out
    }
}
