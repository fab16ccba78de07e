import Foundation
import Storage

/// Settings that change SQL semantics for one session.
public struct SessionSettings: Sendable {
    /// Trino: integer division by zero is an error. SQLite compat (`SET division_by_zero = 'null'`): NULL.
    public var divisionByZeroIsNull: Bool = false
    /// Trino: integer overflow is an error. SQLite compat promotes to DOUBLE; kept as error unless set.
    public var overflowIsError: Bool = true
    /// SQLite dialect (`SET dialect = 'sqlite'`): decimal literals are DOUBLE, `/` on integers truncates,
    /// comparisons follow SQLite affinity, `CAST(x AS SIGNED)` etc. accepted.
    public var sqliteCompatible: Bool = false
    /// Worker threads for parallel scans and aggregation (default: all cores).
    public var threads: Int = SessionSettings.processorCount
    /// The cores available, read once: `ProcessInfo.activeProcessorCount` reads /proc and the cgroup files on Linux
    /// at every call, and settings are made for every statement (a server's point lookup spent 5 % there).
    public static let processorCount = ProcessInfo.processInfo.activeProcessorCount
    /// "Now" for current_date / current_timestamp, fixed for a whole statement (microseconds since epoch, UTC).
    public var statementTimestamp: Int64 = Int64(Date().timeIntervalSince1970 * 1_000_000)
    /// WITH RECURSIVE: most iterations of a recursive term before the statement fails (`SET max_recursion_depth`).
    public var maxRecursionDepth: Int = 10_000
    /// Bytes one statement may hold in large operator state before spilling or failing with `.outOfMemory`
    /// (`SET memory_limit = '2GB'`, `tarn --memory-limit`); default 80% of physical memory.
    public var memoryLimit: Int = MemorySize.defaultLimit
    /// Where spill files go (`SET temp_directory`); nil: `<system tmp>/tarn-spill`.
    public var tempDirectory: String? = nil
    /// The session time zone (`SET TIME ZONE 'Europe/Paris'`, default UTC): TIMESTAMP WITH TIME ZONE values are shown,
    /// cast to and from TIMESTAMP / DATE / VARCHAR, truncated and split into fields in it.
    public var timeZone: TimeZoneRules = .utc
    public init() {}
}

/// Counters an operator updates for EXPLAIN ANALYZE and progress reporting. Thread-safe.
public final class OperatorStatistics: @unchecked Sendable {
    private let lock = NSLock()
    private var _rows: Int = 0
    private var _nanos: UInt64 = 0
    private var _extra: [String: Int] = [:]
    public init() {}
    public func add(rows: Int, nanos: UInt64) { lock.lock(); _rows += rows; _nanos += nanos; lock.unlock() }
    public func add(_ key: String, _ n: Int) { lock.lock(); _extra[key, default: 0] += n; lock.unlock() }
    public var rows: Int { lock.lock(); defer { lock.unlock() }; return _rows }
    public var nanos: UInt64 { lock.lock(); defer { lock.unlock() }; return _nanos }
    public var extra: [String: Int] { lock.lock(); defer { lock.unlock() }; return _extra }

    private var _estimate: (@Sendable () -> Double)?
    /// Records how the planner estimates this operator's output rows; evaluated only when EXPLAIN ANALYZE prints it.
    public func setEstimate(_ estimate: @escaping @Sendable () -> Double) { lock.lock(); _estimate = estimate; lock.unlock() }
    /// The planner's estimate of the rows this operator produces (nil: none recorded).
    public var estimatedRows: Double? {
        lock.lock(); let estimate = _estimate; lock.unlock()
        return estimate?()
    }
}

/// Progress of a running statement, read by the REPL's progress bar from another thread.
public final class QueryProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var _rowsScanned = 0
    private var _bytesScanned = 0
    private var _rowsTotal = 0
    private var _cancelled = false
    public init() {}
    public func scanned(rows: Int, bytes: Int) { lock.lock(); _rowsScanned += rows; _bytesScanned += bytes; lock.unlock() }
    public func expect(rows: Int) { lock.lock(); _rowsTotal += rows; lock.unlock() }
    public var rowsScanned: Int { lock.lock(); defer { lock.unlock() }; return _rowsScanned }
    public var bytesScanned: Int { lock.lock(); defer { lock.unlock() }; return _bytesScanned }
    public var rowsTotal: Int { lock.lock(); defer { lock.unlock() }; return _rowsTotal }
    /// Set from another thread (Ctrl-C); operators check it between batches and throw `.cancelled`.
    public func cancel() { lock.lock(); _cancelled = true; lock.unlock() }
    public var isCancelled: Bool { lock.lock(); defer { lock.unlock() }; return _cancelled }
    public func checkCancelled() throws {
        if isCancelled { throw TarnError(.cancelled, "query cancelled") }
    }
}

/// What an executing plan may consult: settings, parameters of a correlated subquery, progress, and the
/// statement's memory budget and spill directory.
public final class ExecutionContext: @unchecked Sendable {
    public let settings: SessionSettings
    public let progress: QueryProgress
    /// Values of `.parameter(i)` (outer row of a correlated subquery).
    public var parameters: [Value]
    /// The statement's memory budget (from `settings.memoryLimit`), shared by every operator of the statement.
    public let memory: MemoryBudget
    /// The statement's spill files (under `settings.tempDirectory`); whoever runs the statement calls
    /// `spill.removeAll()` when it ends.
    public let spill: SpillDirectory

    public init(settings: SessionSettings = SessionSettings(), progress: QueryProgress = QueryProgress(), parameters: [Value] = [],
                memory: MemoryBudget? = nil, spill: SpillDirectory? = nil) {
        self.settings = settings
        self.progress = progress
        self.parameters = parameters
        self.memory = memory ?? MemoryBudget(limit: settings.memoryLimit)
        self.spill = spill ?? SpillDirectory(root: settings.tempDirectory)
    }

    /// A context for a nested (subquery) execution with other parameter values (same budget and spill directory).
    public func with(parameters: [Value]) -> ExecutionContext {
        ExecutionContext(settings: settings, progress: progress, parameters: parameters, memory: memory, spill: spill)
    }
}
