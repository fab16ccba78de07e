import Foundation

/// The decoded catalog state of table versions already loaded by this process, keyed by table uuid and version,
/// with the opened data files and the statistics-pruned scan plans of each version.
///
/// A committed version never changes: later commits add new versions (new files get a later `added_version`,
/// removals a later `removed_version`), and VACUUM only deletes files of versions below the table's
/// `oldest_readable_version`, which `Lake.resolveVersion` refuses before the cache is consulted. A table uuid is
/// random per CREATE, so a dropped and re-created table never meets the entries of its predecessor. Reusing an
/// entry saves the per-query catalog reads and the JSON decoding of every file's column statistics (most of a
/// small query's fixed cost). Only lookups outside a write transaction use the cache (a writer may see its own
/// uncommitted version). Bounded (cleared past `limit` entries); thread-safe.
final class SnapshotCache: @unchecked Sendable {
    /// What a table version holds, shared by every `TableSnapshot` of that version.
    final class Entry: @unchecked Sendable {
        let schema: Schema
        let columnIds: [Int32]
        let timestamp: Int64
        let files: [DataFileInfo]
        let readers: DataFileReaderCache
        let plans = ScanPlanCache()

        init(schema: Schema, columnIds: [Int32], timestamp: Int64, files: [DataFileInfo]) {
            self.schema = schema; self.columnIds = columnIds; self.timestamp = timestamp; self.files = files
            readers = DataFileReaderCache(files: files)
        }
    }

    private struct Key: Hashable {
        let tableUUID: String
        let version: Int64
    }

    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]
    private let limit: Int

    /// At most `limit` versions (each entry keeps the readers, hence descriptors, of the files it scanned).
    init(limit: Int = 64) { self.limit = limit }

    func entry(tableUUID: String, version: Int64) -> Entry? {
        lock.lock(); defer { lock.unlock() }
        return entries[Key(tableUUID: tableUUID, version: version)]
    }

    func store(_ entry: Entry, tableUUID: String, version: Int64) {
        lock.lock(); defer { lock.unlock() }
        if entries.count >= limit { entries.removeAll() }
        entries[Key(tableUUID: tableUUID, version: version)] = entry
    }

    /// Number of cached versions (tests).
    var count: Int { lock.lock(); defer { lock.unlock() }; return entries.count }
}

/// Statistics-pruned scan plans of one table version, keyed by the predicates (the files of a version never
/// change, so the plan of a predicate set never does). Thread-safe.
final class ScanPlanCache: @unchecked Sendable {
    private let lock = NSLock()
    private var plans: [String: ScanPlan] = [:]

    /// A key naming each predicate's column, comparison and typed constant (`.integer(5)` and `.bigint(5)`
    /// prune differently, so the value's type is part of the key).
    static func key(_ predicates: [ColumnPredicate]) -> String {
        predicates.map(key).joined(separator: "\u{2}")
    }

    /// One predicate's key; an `anyOf` / `allOf` brackets its operands' keys.
    private static func key(_ p: ColumnPredicate) -> String {
        let text = p.value.description
        let inner = p.operands.isEmpty ? "" : "\u{3}" + p.operands.map(key).joined(separator: "\u{4}") + "\u{5}"
        return "\(p.column)\u{1}\(p.comparison.rawValue)\u{1}\(p.value.dataType)\u{1}\(text.utf8.count):\(text)\(inner)"
    }

    func plan(_ key: String) -> ScanPlan? {
        lock.lock(); defer { lock.unlock() }
        return plans[key]
    }

    func store(_ plan: ScanPlan, _ key: String) {
        lock.lock(); defer { lock.unlock() }
        if plans.count >= 64 { plans.removeAll() }
        plans[key] = plan
    }
}
