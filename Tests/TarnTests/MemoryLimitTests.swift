import XCTest
import Foundation
@testable import Tarn
import Execution
import Storage

/// `SET memory_limit` / `temp_directory`, the external merge sort against the in-memory sort, spill files removed
/// at the end of every statement (success, error, cancel), and the out-of-memory error of operators that cannot spill.
final class MemoryLimitTests: XCTestCase {
    private var spillRoot = ""

    override func setUp() {
        spillRoot = NSTemporaryDirectory() + "tarn-spill-test-" + UUID().uuidString
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: spillRoot) }

    /// Spill files under the test's temp directory now.
    private func spillFiles() -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: spillRoot) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".tspill") }
    }

    /// Statement folders (`tarn-<pid>-<n>`) under the test's temp directory now.
    private func spillFolders() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: spillRoot)) ?? []).filter { $0.hasPrefix("tarn-") }
    }

    private func makeTable(_ db: TestLake, rows: Int) throws {
        // Duplicates in every key (ties), NULLs, negative numbers, strings of varying length, doubles with NaN.
        try db.run("""
            CREATE TABLE t AS SELECT generate_series AS id,
                CASE WHEN generate_series % 11 = 0 THEN NULL ELSE (generate_series * 7919) % 1000 - 500 END AS k,
                CASE WHEN generate_series % 13 = 0 THEN NULL ELSE 'name ' || ((generate_series * 31) % 977) END AS s,
                CASE WHEN generate_series % 17 = 0 THEN CAST('NaN' AS DOUBLE) ELSE (generate_series % 101) / 7.0 END AS d
            FROM generate_series(1, \(rows))
            """)
    }

    func testSettingsParseShowAndReset() throws {
        let db = try TestLake()
        XCTAssertEqual(db.session.settings.memoryLimit, MemorySize.defaultLimit)
        try db.run("SET memory_limit = '2GB'")
        XCTAssertEqual(db.session.settings.memoryLimit, 2_000_000_000)
        XCTAssertEqual(SessionSettingsCatalog.current("memory_limit", of: db.session), "2GB")
        XCTAssertEqual(try db.rows("SELECT value FROM duckdb_settings() WHERE name = 'memory_limit'"), [["2GB"]])
        XCTAssertLessThanOrEqual(ChunkPayloadCache.shared.budget, 250_000_000, "the chunk cache keeps to an eighth of the limit")
        try db.run("SET memory_limit = '512MiB'")
        XCTAssertEqual(db.session.settings.memoryLimit, 536_870_912)
        try db.run("SET memory_limit = '64kb'")
        XCTAssertEqual(db.session.settings.memoryLimit, 64_000)
        try db.run("SET max_memory = 1000000")
        XCTAssertEqual(db.session.settings.memoryLimit, 1_000_000)
        try db.run("RESET memory_limit")
        XCTAssertEqual(db.session.settings.memoryLimit, MemorySize.defaultLimit)
        let e = db.error("SET memory_limit = 'lots'")
        XCTAssertEqual(e?.kind, .semantic)
        XCTAssertTrue(e?.message.contains("'2GB'") ?? false, e?.message ?? "")
        XCTAssertEqual(db.session.settings.memoryLimit, MemorySize.defaultLimit, "a failed SET changes nothing")
        try db.run("SET temp_directory = '\(spillRoot)'")
        XCTAssertEqual(db.session.settings.tempDirectory, spillRoot)
        try db.run("RESET temp_directory")
        XCTAssertNil(db.session.settings.tempDirectory)
    }

    func testExternalSortEqualsInMemorySortAndRemovesItsFiles() throws {
        let db = try TestLake()
        try makeTable(db, rows: 20_000)
        let queries = [
            "SELECT * FROM t ORDER BY k, s DESC NULLS FIRST",
            "SELECT id, s, k FROM t ORDER BY s NULLS LAST, d DESC",
            "SELECT k, id, s FROM t ORDER BY k DESC NULLS LAST",   // many ties: stability across runs
            "SELECT * FROM t ORDER BY d, id DESC",
            "SELECT id % 5 AS m, s FROM t ORDER BY m, length(s) DESC, s",
            "SELECT * FROM t ORDER BY s DESC, k LIMIT 15000 OFFSET 3000",   // a large TopN hands its rows to the sort
        ]
        let unlimited = try queries.map { try db.rows($0) }
        try db.run("SET temp_directory = '\(spillRoot)'")
        try db.run("SET memory_limit = '1MB'")
        for (query, expected) in zip(queries, unlimited) {
            let explained = try db.rows("EXPLAIN ANALYZE " + query).map { $0.joined() }.joined(separator: "\n")
            XCTAssertTrue(explained.contains("spilled_runs=") || explained.contains("spilled_to_sort="), "no spill under 1MB:\n\(explained)")
            XCTAssertEqual(try db.rows(query), expected, query)
            XCTAssertEqual(spillFiles(), [], "spill files left after \(query)")
            XCTAssertEqual(spillFolders(), [], "spill folder left after \(query)")
        }
        // A tiny limit: every batch is its own run, merged in several passes.
        try db.run("SET memory_limit = '16KB'")
        XCTAssertEqual(try db.rows(queries[0]), unlimited[0])
        XCTAssertEqual(spillFolders(), [])
    }

    func testSpillFilesExistWhileStreamingAndGoAfterEndErrorAndCancel() throws {
        let db = try TestLake()
        try makeTable(db, rows: 20_000)
        try db.run("SET temp_directory = '\(spillRoot)'")
        try db.run("SET memory_limit = '1MB'")

        // Success: files exist while the stream is open, none after its end.
        let stream = try XCTUnwrap(db.session.openQuery(try XCTUnwrap(db.session.parse("SELECT * FROM t ORDER BY s, id").first)))
        XCTAssertGreaterThan(spillFiles().count, 1, "the sorted runs are on disk while the merge reads them")
        var rows = 0
        while let b = try stream.next() { rows += b.count }
        XCTAssertEqual(rows, 20_000)
        XCTAssertEqual(spillFiles(), [])
        XCTAssertEqual(spillFolders(), [])

        // Error after the spill: the division fails on a row the merge emits.
        let failing = db.error("SELECT 1 / (k - k) FROM (SELECT k FROM t ORDER BY k NULLS FIRST) x")
        XCTAssertEqual(failing?.kind, .execution)
        XCTAssertEqual(spillFolders(), [], "spill files left after an error")

        // Cancel (Ctrl-C) after the spill.
        let progress = QueryProgress()
        let cancelled = try XCTUnwrap(db.session.openQuery(try XCTUnwrap(db.session.parse("SELECT * FROM t ORDER BY d").first), progress: progress))
        XCTAssertGreaterThan(spillFiles().count, 1)
        _ = try cancelled.next()
        progress.cancel()
        XCTAssertThrowsError(try cancelled.next()) { XCTAssertEqual(($0 as? TarnError)?.kind, .cancelled) }
        XCTAssertEqual(spillFolders(), [], "spill files left after cancel")

        // A statement run by execute (not streamed) removes them too.
        XCTAssertEqual(try db.rows("SELECT count(*) FROM (SELECT * FROM t ORDER BY s) x"), [["20000"]])
        XCTAssertEqual(spillFolders(), [])
    }

    func testWindowsOverSpilledPartitionsEqualTheInMemoryAnswer() throws {
        let db = try TestLake()
        try makeTable(db, rows: 12_000)
        let queries = [
            "SELECT id, k, row_number() OVER (PARTITION BY k ORDER BY s, id), sum(d) OVER (PARTITION BY k ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM t",
            "SELECT id, lag(s) OVER (PARTITION BY s, k % 3 ORDER BY id DESC), rank() OVER (PARTITION BY s, k % 3 ORDER BY d NULLS FIRST, id) FROM t",
        ]
        let unlimited = try queries.map { try db.rows($0).sorted { $0.lexicographicallyPrecedes($1) } }
        try db.run("SET temp_directory = '\(spillRoot)'")
        try db.run("SET memory_limit = '1MB'")
        for (query, expected) in zip(queries, unlimited) {
            let explained = try db.rows("EXPLAIN ANALYZE " + query).map { $0.joined() }.joined(separator: "\n")
            XCTAssertTrue(explained.contains("spilled_partitions="), "no spill under 1MB:\n\(explained)")
            XCTAssertEqual(try db.rows(query).sorted { $0.lexicographicallyPrecedes($1) }, expected, query)
            XCTAssertEqual(spillFolders(), [], "spill folder left after \(query)")
        }
    }

    func testOperatorsThatCannotSpillFailWithAClearOutOfMemoryError() throws {
        let db = try TestLake()
        try makeTable(db, rows: 60_000)
        try db.run("SET memory_limit = '256KB'")
        for (query, owner) in [
            ("SELECT id, sum(k) OVER (ORDER BY id) FROM t", "window"),    // no PARTITION BY to split by
            ("SELECT DISTINCT id, s FROM t", "DISTINCT"),
            ("SELECT id, s FROM t EXCEPT SELECT id, s FROM t WHERE id < 10", "EXCEPT"),
        ] {
            let e = db.error(query)
            XCTAssertEqual(e?.kind, .outOfMemory, query)
            XCTAssertTrue(e?.message.hasPrefix("out of memory: \(owner) needs more than memory_limit 256KB; raise it with SET memory_limit") ?? false,
                          "\(query): \(e?.message ?? "")")
        }
        try db.run("RESET memory_limit")
        XCTAssertEqual(try db.rows("SELECT count(*) FROM (SELECT DISTINCT id, s FROM t) x"), [["60000"]], "fits without the limit")
    }
}
