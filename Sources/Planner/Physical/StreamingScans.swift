import Execution

/// Finds the table scan of a plan whose rows stream straight out — only projections, filters and a LIMIT between
/// the scan and the client — and turns off its filling of the chunk cache (`TableScanOperator.fillsChunkCache`).
///
/// Such a query (`SELECT * FROM t` into a pipe, `COPY t TO …`, `INSERT … SELECT * FROM t`) reads a table once at
/// the speed the rows are formatted and written; keeping its decompressed chunks would hold as much memory as the
/// table and push out the chunks that aggregations, joins and dashboards read again and again (PostgreSQL gives
/// bulk reads a small ring of buffers for the same reason). Scans under an aggregate, join, sort or window keep
/// filling the cache, and so do scans with a filter: lookups and filtered pages read the same few row groups again
/// and again (a point lookup would otherwise decompress its row group on every execution).
enum StreamingScans {
    static func mark(_ root: PhysicalOperator) {
        var node = root
        while true {
            if let scan = node as? TableScanOperator {
                scan.fillsChunkCache = scan.filter != nil
                return
            }
            guard node is ProjectionOperator || node is FilterOperator || node is LimitOperator, node.children.count == 1 else { return }
            node = node.children[0]
        }
    }
}
