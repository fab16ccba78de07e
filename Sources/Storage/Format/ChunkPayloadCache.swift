import Foundation

/// A process-wide cache of verified, decompressed column-chunk payloads, keyed by data file path and chunk
/// offset, bounded by a byte budget (least recently used entries are dropped first).
///
/// Data files are immutable once committed (new versions write new files with fresh names), so a payload
/// read once can be reused by every later scan of any snapshot: repeated queries skip the `pread`, the
/// checksum and the zstd decompression, like a database's buffer pool. Only the encoded payload is kept
/// (bit-packed codes, dictionaries), not decoded vectors, so the cache stays close to the on-disk size; and only
/// payloads that were zstd-compressed: an uncompressed chunk is already in the operating system's page cache,
/// and a second copy here would double its memory to save one `pread` and a checksum.
/// The budget is `TARN_CHUNK_CACHE_MB` (0 disables the cache), default 1/8 of physical memory. Thread-safe.
public final class ChunkPayloadCache: @unchecked Sendable {
    /// The cache shared by every reader of the process.
    public static let shared = ChunkPayloadCache(budget: ChunkPayloadCache.defaultBudget())

    private struct Key: Hashable {
        let path: String
        let offset: Int
    }

    private final class Entry {
        let payload: [UInt8]
        var lastUse: UInt64
        init(payload: [UInt8], lastUse: UInt64) { self.payload = payload; self.lastUse = lastUse }
    }

    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]
    private var bytes = 0
    private var clock: UInt64 = 0
    private var budgetBytes: Int
    /// Maximum bytes of payload kept.
    public var budget: Int { lock.lock(); defer { lock.unlock() }; return budgetBytes }

    /// A cache holding at most `budget` bytes of payload (0: never caches).
    public init(budget: Int) { budgetBytes = max(0, budget) }

    /// Lowers the budget to at most `bytes` (never raises it), dropping least recently used payloads to fit:
    /// `SET memory_limit` keeps the cache to a share of the limit, so a process under a limit stays near it.
    public func lowerBudget(to bytes: Int) {
        lock.lock(); defer { lock.unlock() }
        guard bytes < budgetBytes else { return }
        budgetBytes = max(0, bytes)
        if self.bytes > budgetBytes { evict() }
    }

    /// Sets the budget to `bytes` whatever it was (tests: `SET memory_limit` elsewhere in the process lowers the
    /// shared cache's budget for good).
    func resetBudget(to bytes: Int) {
        lock.lock(); defer { lock.unlock() }
        budgetBytes = max(0, bytes)
        if self.bytes > budgetBytes { evict() }
    }

    static func defaultBudget() -> Int {
        if let text = ProcessInfo.processInfo.environment["TARN_CHUNK_CACHE_MB"], let mb = Int(text), mb >= 0 {
            return mb << 20
        }
        return Int(min(ProcessInfo.processInfo.physicalMemory / 8, UInt64(Int.max)))
    }

    /// The cached payload of the chunk at `offset` in `path`, or the result of `load` (then cached when it fits,
    /// `load` says it is worth keeping and `admit` is true: a scan whose rows stream straight out reads through the
    /// cache without filling it, like PostgreSQL's ring buffer for bulk reads).
    func payload(path: String, offset: Int, admit: Bool = true, load: () throws -> (payload: [UInt8], keep: Bool)) rethrows -> [UInt8] {
        guard budget > 0 else { return try load().payload }
        let key = Key(path: path, offset: offset)
        lock.lock()
        clock &+= 1
        if let entry = entries[key] {
            entry.lastUse = clock
            lock.unlock()
            return entry.payload
        }
        lock.unlock()
        let (loaded, keep) = try load()
        guard keep, admit, loaded.count <= budget / 4 else { return loaded }
        lock.lock(); defer { lock.unlock() }
        if entries[key] == nil {
            entries[key] = Entry(payload: loaded, lastUse: clock)
            bytes += loaded.count
            if bytes > budgetBytes { evict() }
        }
        return loaded
    }

    /// Drops the least recently used entries until the cache is at 3/4 of its budget.
    private func evict() {
        let target = budgetBytes / 4 * 3
        for (key, entry) in entries.sorted(by: { $0.value.lastUse < $1.value.lastUse }) {
            if bytes <= target { break }
            entries[key] = nil
            bytes -= entry.payload.count
        }
    }

    /// Forgets every payload (tests; after files are deleted).
    public func removeAll() {
        lock.lock(); defer { lock.unlock() }
        entries = [:]
        bytes = 0
    }

    /// Bytes of payload currently cached.
    public var cachedBytes: Int { lock.lock(); defer { lock.unlock() }; return bytes }
}
