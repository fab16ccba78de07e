import Foundation
import Storage
import SQL

/// One statement of a pipeline file, classified: what it writes and what it reads.
struct PipelineStep {
    /// What a step does.
    enum Kind: String {
        /// `CREATE OR REFRESH TABLE … AS` (or CREATE [OR REPLACE] TABLE … AS): recomputed from its sources.
        case table
        /// `CREATE OR REFRESH INCREMENTAL TABLE … AS`: appends what its sources gained since its last run.
        case incrementalTable = "incremental table"
        case view
        /// `COPY INTO t FROM 'folder'`.
        case copy
        /// Any other statement that writes a table (CREATE TABLE (…), INSERT): runs once per run, in order.
        case statement
        /// `COPY (…) TO 'file'`: an export after its sources are built.
        case export
    }

    let index: Int
    let parsed: ParsedStatement
    let kind: Kind
    /// The table or view written (nil for exports).
    let target: TableName?
    /// The targets this step reads (resolved names, from the query's text).
    var reads: Set<TableName>

    var label: String { "step \(index + 1) (\(kind.rawValue)\(target.map { " \($0)" } ?? ""))" }

    /// A stable hash of the statement text (whitespace-normalised), to notice a changed definition.
    var statementHash: String {
        let normalized = parsed.text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in normalized.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16)
    }
}
