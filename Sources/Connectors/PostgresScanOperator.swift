import Foundation
import CLibPQ
import Storage
import Execution

/// Streams one PostgreSQL table with `COPY (SELECT projected columns FROM t WHERE pushed-down conjuncts) TO STDOUT
/// (FORMAT binary)`, decoded straight into column builders. A table of at least `parallelPages` pages is read in
/// ctid ranges by one connection per thread, every connection in the same exported snapshot (repeatable read),
/// so the parallel read sees one consistent state of the table. Reader threads hand batches over a bounded queue:
/// memory holds a few batches, never the table.
public final class PostgresScanOperator: PhysicalOperator {
    public let table: PostgresTable
    /// Positions in `table.columns`, in output order.
    public let projection: [Int]
    /// Conjuncts to send to the server (columns are positions in `table.columns`).
    public let predicates: [ColumnPredicate]
    public let statistics = OperatorStatistics()
    let batchRows: Int
    let parallelPages: Int64
    private var queue: BatchQueue?
    private var threads: [Thread] = []
    private var coordinator: PostgresConnection?
    private var context = ExecutionContext()

    public init(table: PostgresTable, projection: [Int], predicates: [ColumnPredicate], batchRows: Int = 32_768, parallelPages: Int64 = 2_048) {
        self.table = table
        self.projection = projection
        self.predicates = predicates
        self.batchRows = batchRows
        self.parallelPages = parallelPages
    }

    deinit { close() }

    public var outputTypes: [DataType] { projection.map { table.columns[$0].type.tarnType } }
    public var children: [PhysicalOperator] { [] }

    /// The conjuncts the server evaluates (the rest only in Tarn).
    public var pushedConditions: [String] {
        predicates.compactMap { SourcePredicateSQL.postgres($0, table.columns[$0.column]) }
    }

    /// The SELECT sent inside COPY (without the ctid range of a parallel read).
    public var selectSQL: String {
        let columns = projection.map { i -> String in
            let c = table.columns[i]
            return c.type == .castToText ? "\(PostgresConnection.quote(c.name))::text" : PostgresConnection.quote(c.name)
        }
        var sql = "SELECT \(columns.joined(separator: ", ")) FROM \(table.quotedName)"
        let conditions = pushedConditions
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        return sql
    }

    public var explainLine: String { "PostgresScan \(table.dsn.redacted) \(table.displayName) sql=[\(selectSQL)]" }

    public func open(_ context: ExecutionContext) throws {
        close()
        self.context = context
        let connection = try PostgresConnection(table.dsn)
        coordinator = connection
        let workers = table.isPlainTable && table.pages >= parallelPages ? max(1, context.settings.threads) : 1
        let queue = BatchQueue(capacity: 2 * workers, producers: workers)
        self.queue = queue
        let base = selectSQL
        let hasWhere = !pushedConditions.isEmpty
        let columns = projection.map { table.columns[$0] }
        let name = table.displayName
        let batchRows = self.batchRows
        let statistics = self.statistics
        if workers == 1 {
            threads = [Self.startReader(connection: { connection }, ranges: { nil }, sql: { _ in base }, columns: columns,
                                        tableName: name, batchRows: batchRows, queue: queue, statistics: statistics)]
            return
        }
        // One snapshot for every reader: exported by the coordinator, adopted by each reader connection.
        try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        guard let snapshot = try connection.query("SELECT pg_export_snapshot()").first?.first ?? nil else {
            throw TarnError.io("PostgreSQL \(table.dsn.redacted): pg_export_snapshot returned nothing")
        }
        let pages = table.pages
        let chunk = max(256, pages / Int64(workers * 8))
        let ranges = RangeCursor(pages: pages, chunk: chunk)
        let dsn = table.dsn
        statistics.add("parallel_readers", workers)
        threads = (0..<workers).map { _ in
            Self.startReader(connection: {
                let c = try PostgresConnection(dsn)
                try c.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                try c.execute("SET TRANSACTION SNAPSHOT \(PostgresConnection.literal(snapshot))")
                return c
            }, ranges: { ranges.next() }, sql: { range in
                guard let (start, end) = range else { return base }
                var condition = "ctid >= '(\(start),0)'::tid"
                if let end { condition += " AND ctid < '(\(end),0)'::tid" }
                return base + (hasWhere ? " AND " : " WHERE ") + condition
            }, columns: columns, tableName: name, batchRows: batchRows, queue: queue, statistics: statistics)
        }
    }

    /// Hands out page ranges `[start, end)`; the last one is open-ended (nil end).
    final class RangeCursor: @unchecked Sendable {
        private let lock = NSLock()
        private var next_: Int64 = 0
        let pages: Int64, chunk: Int64
        init(pages: Int64, chunk: Int64) { self.pages = pages; self.chunk = chunk }
        func next() -> (Int64, Int64?)? {
            lock.lock(); defer { lock.unlock() }
            guard next_ >= 0 else { return nil }
            let start = next_
            if start + chunk >= pages { next_ = -1; return (start, nil) }
            next_ = start + chunk
            return (start, start + chunk)
        }
    }

    /// A thread that takes ranges until none is left (`ranges` nil at once: one unranged read), copying each.
    private static func startReader(connection: @escaping @Sendable () throws -> PostgresConnection, ranges: @escaping @Sendable () -> (Int64, Int64?)?,
                                    sql: @escaping @Sendable ((Int64, Int64?)?) -> String, columns: [PostgresColumn], tableName: String,
                                    batchRows: Int, queue: BatchQueue, statistics: OperatorStatistics) -> Thread {
        let thread = Thread {
            defer { queue.producerFinished() }
            do {
                let c = try connection()
                var first = true
                while !queue.isCancelled {
                    let range = ranges()
                    if range == nil && !first { break }
                    first = false
                    let label: @Sendable (Int) -> String = { row in
                        guard let (s, e) = range else { return "row \(row)" }
                        return "row \(row) of pages \(s)…\(e.map(String.init) ?? "end")"
                    }
                    try copy(c, "COPY (\(sql(range))) TO STDOUT (FORMAT binary)", columns: columns, tableName: tableName,
                             batchRows: batchRows, label: label, queue: queue, statistics: statistics)
                    if range == nil { break }
                }
            } catch {
                queue.fail(error)
            }
        }
        thread.stackSize = 1 << 20
        thread.start()
        return thread
    }

    private static func copy(_ c: PostgresConnection, _ sql: String, columns: [PostgresColumn], tableName: String, batchRows: Int,
                             label: @escaping @Sendable (Int) -> String, queue: BatchQueue, statistics: OperatorStatistics) throws {
        try c.startCopy(sql)
        var decoder = PostgresBinaryDecoder(columns: columns, tableName: tableName, capacity: batchRows, rowLabel: label)
        var buffer: UnsafeMutablePointer<CChar>?
        defer { if let b = buffer { PQfreemem(b) } }
        var bytes = 0, pendingBytes = 0
        let start = DispatchTime.now().uptimeNanoseconds
        while let message = try c.nextCopyMessage(&buffer) {
            bytes += message.count
            pendingBytes += message.count
            try decoder.decode(message)
            // A batch ends at batchRows rows or BatchLimits.bytes of row data: wide rows do not make batches huge.
            if decoder.pendingRows >= batchRows || pendingBytes >= BatchLimits.bytes {
                let batch = decoder.takeBatch(capacity: batchRows)
                pendingBytes = 0
                guard queue.push(batch) else { c.cancelCopy(); return }
            }
        }
        if decoder.pendingRows > 0 {
            let batch = decoder.takeBatch(capacity: batchRows)
            _ = queue.push(batch)
        }
        statistics.add(rows: decoder.rowNumber, nanos: DispatchTime.now().uptimeNanoseconds &- start)
        statistics.add("bytes_received", bytes)
    }

    public func next() throws -> Batch? {
        guard let queue else { return nil }
        try context.progress.checkCancelled()
        guard let batch = try queue.pop() else { return nil }
        context.progress.scanned(rows: batch.count, bytes: 0)
        return batch
    }

    public func close() {
        if let queue {
            queue.cancel()
            queue.waitForProducers()
        }
        queue = nil
        threads = []
        coordinator = nil
    }
}
