import Foundation
import Storage

/// Seed inputs and dictionaries of the fuzz targets, built in (so `tarn-fuzz` needs no files), plus the reference
/// data file the `datafile` target mutates. `seeds(for:extraFolders:)` adds files from corpus folders (for `sql`:
/// the statements of sqllogictest `.test` files and the SQL blocks of Markdown docs).
public enum FuzzCorpus {
    /// The `sql` target's lake: small tables in the shapes the seeds query (sqllogictest's t1, the oracles' t0/t1).
    public static let sqlSetup = """
        CREATE TABLE t1(a INTEGER, b INTEGER, c INTEGER, d INTEGER, e INTEGER);
        INSERT INTO t1 VALUES (104,100,102,101,103), (107,105,106,108,109), (NULL,112,113,114,110), (0,-1,NULL,2147483647,-5);
        CREATE TABLE t0(a0 BIGINT, a1 VARCHAR, a2 DOUBLE, a3 DATE, a4 BOOLEAN);
        INSERT INTO t0 VALUES (1,'a',1.5E0,DATE '2024-01-01',TRUE), (NULL,'',NULL,NULL,NULL), (9223372036854775807,'ü',-0.0E0,DATE '1970-01-01',FALSE), (-3,'a%',1E300,DATE '2000-02-29',TRUE);
        CREATE TABLE t2(b0 VARCHAR, b1 INTEGER, b2 TIMESTAMP);
        INSERT INTO t2 VALUES ('x',1,TIMESTAMP '2024-05-20 10:00:00'), (NULL,NULL,NULL), ('a',-2147483648,TIMESTAMP '1999-12-31 23:59:59');
        CREATE VIEW v1 AS SELECT a, b + c AS s FROM t1 WHERE a IS NOT NULL;
        """

    static let sqlSeeds: [String] = [
        "SELECT * FROM t1", "SELECT a, count(*) FROM t1 GROUP BY a HAVING count(*) > 0 ORDER BY 1",
        "SELECT a0, a1 FROM t0 WHERE a2 BETWEEN -1 AND 2 OR a1 LIKE 'a%' ESCAPE '\\\\'",
        "SELECT CASE WHEN a > b THEN a ELSE b END, coalesce(c, d, 0) FROM t1",
        "SELECT b0, sum(b1) OVER (PARTITION BY b0 ORDER BY b2 ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t2",
        "SELECT DISTINCT a1 FROM t0 t LEFT JOIN t2 u ON t.a1 = u.b0 WHERE NOT (a4 IS NULL)",
        "WITH x AS (SELECT a, b FROM t1) SELECT * FROM x WHERE a IN (SELECT b1 FROM t2) UNION ALL SELECT 1, 2",
        "SELECT CAST(a1 AS INTEGER), TRY_CAST(a1 AS DATE), a3 + INTERVAL '1' DAY, date_trunc('month', b2) FROM t0, t2",
        "SELECT substr(a1, 2, 3), upper(a1) || 'x', length(a1), regexp_like(a1, '^a') FROM t0",
        "SELECT max(a2), min(a3), avg(a0), count(DISTINCT a1), approx_distinct(a1) FROM t0",
        "SELECT a, (SELECT max(b1) FROM t2 WHERE b1 < t1.a) FROM t1 ORDER BY a NULLS FIRST LIMIT 2 OFFSET 1",
        "SELECT * FROM v1 QUALIFY row_number() OVER (ORDER BY s DESC) = 1",
        "EXPLAIN SELECT a FROM t1 WHERE a = 1 AND b > 2", "DESCRIBE t0", "SHOW TABLES",
        "SELECT 1/0", "SELECT 9223372036854775807 + 1", "SELECT (((((1)))))", "VALUES (1, 'a'), (2, NULL)",
        "SELECT * FROM t1 VERSION AS OF 0", "SELECT a0 % 3, a0 // 2, -a0, abs(a0) FROM t0",
    ]

    /// Tokens the mutators splice into SQL inputs.
    static let sqlDictionary: [String] = [
        "SELECT", "FROM", "WHERE", "GROUP BY", "HAVING", "ORDER BY", "LIMIT", "OFFSET", "UNION ALL", "INTERSECT",
        "EXCEPT", "JOIN", "LEFT JOIN", "FULL JOIN", "CROSS JOIN", "ON", "USING (a)", "AND", "OR", "NOT", "IS NULL",
        "IS NOT DISTINCT FROM", "BETWEEN", "IN (", "LIKE", "CASE WHEN", "THEN", "ELSE", "END", "CAST(", "AS",
        "OVER (", "PARTITION BY", "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW", "DISTINCT", "EXISTS (",
        "WITH", "VALUES", "NULL", "TRUE", "FALSE", "'", "\"", "(", ")", ",", ";", "*", "/", "%", "||", "-", "+",
        "=", "<>", "<=", ">=", "0", "-1", "2147483648", "9223372036854775808", "1E308", "DATE '2024-02-30'",
        "TIMESTAMP '2024-05-20 10:00:00+02:00'", "INTERVAL '1' DAY", "t1", "t0", "t2", "v1", "a", "b", "a0", "a1",
        "a2", "a3", "b0", "b2", "count(*)", "sum(", "avg(", "min(", "max(", "row_number()", "lag(", "coalesce(",
        "nullif(", "substr(", "QUALIFY", "FILTER (WHERE", "GROUPING SETS ((a), ())", "ROLLUP (a, b)", "LATERAL",
        "UNNEST(ARRAY[1, 2])", "DOUBLE", "BIGINT", "VARCHAR", "DECIMAL(38, 10)", "E'\\n'", "--", "/*", "*/",
    ]

    static let jsonSeeds: [String] = [
        "{\"a\": 1, \"b\": \"x\", \"c\": 1.5, \"d\": true, \"e\": null}\n{\"a\": 2, \"b\": \"y\", \"c\": -2, \"d\": false}\n",
        "[{\"id\": 1, \"tags\": [\"a\", \"b\"], \"nested\": {\"k\": 1}}, {\"id\": 2}]",
        "{\"ts\": \"2024-05-20T10:00:00+02:00\", \"day\": \"2024-05-20\", \"n\": 9223372036854775807}\n{\"ts\": \"2024-05-20 10:00:00\"}\n",
        "\u{FEFF}{\"a\": \"\\u00fc\\n\\\"q\\\"\"}\r\n{\"a\": \"line\"}\r\n",
        "{\n  \"pretty\": 1,\n  \"printed\": [1, 2, {\"x\": null}]\n}\n",
    ]

    static let jsonDictionary: [String] = ["{", "}", "[", "]", ":", ",", "\"", "\\u", "\\\"", "null", "true", "false",
                                           "1e999", "-0", "0.0000001", "\n", "\r\n", "\u{FEFF}", "\"a\"", "\u{0}"]

    static let csvSeeds: [String] = [
        "id,name,amount,day\n1,alice,1.5,2024-01-01\n2,\"bob, jr\",-2,2024-02-29\n3,,NaN,\n",
        "a;b;c\n1;2;3\n4;5\n6;7;8;9\n",
        "\u{FEFF}x\ty\n\"multi\nline\"\t2\n\"quote \"\"inside\"\"\"\t3\r\n",
        "only_header\n",
        "n|s\n9223372036854775808|\"unterminated\n",
    ]

    static let csvDictionary: [String] = [",", ";", "\t", "|", "\"", "\"\"", "\n", "\r\n", "\r", "\u{FEFF}", "NULL",
                                          "2024-05-20", "1.5", "-0", "true", "\u{0}"]

    /// The built-in seeds of `target`, as bytes.
    public static func builtInSeeds(for target: FuzzTarget) -> [[UInt8]] {
        switch target {
        case .sql: return sqlSeeds.map { Array($0.utf8) }
        case .json: return jsonSeeds.map { Array($0.utf8) }
        case .csv: return csvSeeds.map { Array($0.utf8) }
        case .datafile: return [referenceFile]
        case .parquet: return [parquetSeed]
        case .pgwire: return WireSeeds.sessions
        }
    }

    /// Tokens to splice into inputs of `target`.
    public static func dictionary(for target: FuzzTarget) -> [[UInt8]] {
        switch target {
        case .sql: return sqlDictionary.map { Array($0.utf8) }
        case .json: return jsonDictionary.map { Array($0.utf8) }
        case .csv: return csvDictionary.map { Array($0.utf8) }
        case .datafile: return [[0], [0xFF], [0x7F], [0x80], Array("TARN".utf8), [0xFF, 0xFF, 0xFF, 0x7F]]
        case .parquet: return [[0], [0xFF], [0x7F], [0x80], Array("PAR1".utf8), [0xFF, 0xFF, 0xFF, 0x7F], [0x15], [0x19, 0x1C], [0x26]]
        case .pgwire: return WireSeeds.dictionary
        }
    }

    /// Seeds from files: every file in each folder (recursively); `.test` files give their statements and queries,
    /// `.md` files their ```sql blocks, other files their whole bytes (for sql: `.sql` scripts split at `;`).
    public static func seeds(from folders: [String], for target: FuzzTarget, limit: Int = 2000) -> [[UInt8]] {
        var out: [[UInt8]] = []
        let fm = FileManager.default
        for folder in folders {
            var files: [String] = []
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: folder, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                files = ((fm.enumerator(atPath: folder)?.allObjects as? [String]) ?? []).sorted().map { folder + "/" + $0 }
            } else {
                files = [folder]
            }
            for file in files where out.count < limit {
                guard let data = fm.contents(atPath: file), data.count < 4_000_000 else { continue }
                if target != .sql { out.append(Array(data.prefix(65_536))); continue }
                let text = String(decoding: data, as: UTF8.self)
                for statement in sqlStatements(in: text, fileName: file) where out.count < limit {
                    out.append(Array(statement.utf8))
                }
            }
        }
        return out
    }

    static func sqlStatements(in text: String, fileName: String) -> [String] {
        if fileName.hasSuffix(".test") {
            // sqllogictest: a `statement`/`query` line, then the SQL up to a blank line or `----`.
            var out: [String] = [], current: [String] = [], inSQL = false
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("statement") || line.hasPrefix("query") { inSQL = true; current = []; continue }
                if inSQL && (line.isEmpty || line == "----") {
                    if !current.isEmpty { out.append(current.joined(separator: "\n")) }
                    inSQL = false; continue
                }
                if inSQL { current.append(String(line)) }
            }
            return out
        }
        if fileName.hasSuffix(".md") {
            var out: [String] = [], block: [String] = [], inBlock = false
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("```") {
                    if inBlock { out += block.joined(separator: "\n").split(separator: ";").map { String($0) } }
                    inBlock = line.hasPrefix("```sql"); block = []; continue
                }
                if inBlock { block.append(String(line)) }
            }
            return out.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        }
        if fileName.hasSuffix(".sql") {
            return text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        }
        return []
    }

    // MARK: the reference data file

    static let referenceSchema = Schema([
        Field(name: "id", type: .bigint, nullable: false), Field(name: "name", type: .varchar),
        Field(name: "score", type: .double), Field(name: "day", type: .date), Field(name: "flag", type: .boolean),
        Field(name: "n", type: .integer),
    ])

    /// 300 rows with NULLs, repeats (dictionary and run-length encodings) and extreme values.
    static func referenceBatch() -> Batch {
        var id = ColumnBuilder(type: .bigint), name = ColumnBuilder(type: .varchar), score = ColumnBuilder(type: .double)
        var day = ColumnBuilder(type: .date), flag = ColumnBuilder(type: .boolean), n = ColumnBuilder(type: .integer)
        for i in 0..<300 {
            id.append(.bigint(i == 7 ? Int64.max : Int64(i) * 3 - 100))
            name.append(i % 7 == 0 ? .null : .varchar(["alpha", "beta", "", "ü", "gamma delta"][i % 5]))
            score.append(i % 11 == 0 ? .null : .double(Double(i) / 4 - 20))
            day.append(i % 13 == 0 ? .null : .date(Int32(19_000 + i % 40)))
            flag.append(i % 3 == 0 ? .null : .boolean(i % 2 == 0))
            n.append(.integer(i < 150 ? 5 : Int32(i)))
        }
        return Batch(columns: [id.finish(), name.finish(), score.finish(), day.finish(), flag.finish(), n.finish()], count: 300)
    }

    /// The bytes of a data file holding `referenceBatch()` in three row groups.
    /// A small Parquet file written by pyarrow
    /// (BIGINT, VARCHAR, DOUBLE and DATE columns with nulls, two row groups, statistics, dictionary pages,
    /// uncompressed so mutations reach the pages), the parquet target's built-in seed.
    static let parquetSeed: [UInt8] = {
        let base64 = [
        "UEFSMRUEFSAVIEwVBBUAEgAAAQAAAAAAAAACAAAAAAAAABUAFRIVEiwVBBUQFQYVBhwYCAIAAAAAAAAAGAgBAAAAAAAAABYAKAgC",
        "AAAAAAAAABgIAQAAAAAAAAAREQAAAAIAAAAEAQEDAhUEFQoVCkwVAhUAEgAAAQAAAGEVABUSFRIsFQQVEBUGFQYcNgIoAWEYAWER",
        "EQAAAAIAAAADAQECABUEFRAVEEwVAhUAEgAAAAAAAAAA+D8VABUSFRIsFQQVEBUGFQYcGAgAAAAAAAD4PxgIAAAAAAAA+D8WAigI",
        "AAAAAAAA+D8YCAAAAAAAAPg/EREAAAACAAAAAwEBAgAVBBUQFRBMFQQVABIAADhKAAA5SgAAFQAVEhUSLBUEFRAVBhUGHBgEOUoA",
        "ABgEOEoAABYAKAQ5SgAAGAQ4SgAAEREAAAACAAAABAEBAwIVBBUQFRBMFQIVABIAAAQAAAAAAAAAFQAVEhUSLBUEFRAVBhUGHBgI",
        "BAAAAAAAAAAYCAQAAAAAAAAAFgIoCAQAAAAAAAAAGAgEAAAAAAAAABERAAAAAgAAAAMCAQIAFQQVGBUYTBUEFQASAAADAAAAY2Nj",
        "AQAAAGEVABUSFRIsFQQVEBUGFQYcNgAoA2NjYxgBYRERAAAAAgAAAAQBAQMCFQQVIBUgTBUEFQASAAAAAAAAAAAAwAAAAAAAAAAA",
        "FQAVEhUSLBUEFRAVBhUGHBgIAAAAAAAAAAAYCAAAAAAAAADAFgAoCAAAAAAAAAAAGAgAAAAAAAAAwBERAAAAAgAAAAQBAQMCFQQV",
        "CBUITBUCFQASAAA7SgAAFQAVEhUSLBUEFRAVBhUGHBgEO0oAABgEO0oAABYCKAQ7SgAAGAQ7SgAAEREAAAACAAAAAwIBAgAVBBlc",
        "NQAYBnNjaGVtYRUIABUEJQIYAmlkABUMJQIYBG5hbWUlAEwcAAAAFQolAhgBeAAVAiUCGAFkJQxMbAAAABYIGSwZTCYAHBUEGTUA",
        "BhAZGAJpZBUAFgQWzAEWzAEmRCYIHBgIAgAAAAAAAAAYCAEAAAAAAAAAFgAoCAIAAAAAAAAAGAgBAAAAAAAAABERABksFQQVABUC",
        "ABUAFRAVAgA8KQYZJgAEAAAAJgAcFQwZNQAGEBkYBG5hbWUVABYEFnIWcib6ASbUARw2AigBYRgBYRERABksFQQVABUCABUAFRAV",
        "AgA8FgIZBhkmAgIAAAAmABwVChk1AAYQGRgBeBUAFgQWvAEWvAEm8gImxgIcGAgAAAAAAAD4PxgIAAAAAAAA+D8WAigIAAAAAAAA",
        "+D8YCAAAAAAAAPg/EREAGSwVBBUAFQIAFQAVEBUCADwpBhkmAgIAAAAmABwVAhk1AAYQGRgBZBUAFgQWnAEWnAEmrgQmggQcGAQ5",
        "SgAAGAQ4SgAAFgAoBDlKAAAYBDhKAAAREQAZLBUEFQAVAgAVABUQFQIAPCkGGSYABAAAABaWBRYEJggWlgUAGUwmABwVBBk1AAYQ",
        "GRgCaWQVABYEFrwBFrwBJsoFJp4FHBgIBAAAAAAAAAAYCAQAAAAAAAAAFgIoCAQAAAAAAAAAGAgEAAAAAAAAABERABksFQQVABUC",
        "ABUAFRAVAgA8KQYZJgICAAAAJgAcFQwZNQAGEBkYBG5hbWUVABYEFoQBFoQBJo4HJtoGHDYAKANjY2MYAWEREQAZLBUEFQAVAgAV",
        "ABUQFQIAPBYIGQYZJgAEAAAAJgAcFQoZNQAGEBkYAXgVABYEFswBFswBJpoIJt4HHBgIAAAAAAAAAAAYCAAAAAAAAADAFgAoCAAA",
        "AAAAAAAAGAgAAAAAAAAAwBERABksFQQVABUCABUAFRAVAgA8KQYZJgAEAAAAJgAcFQIZNQAGEBkYAWQVABYEFpQBFpQBJs4JJqoJ",
        "HBgEO0oAABgEO0oAABYCKAQ7SgAAGAQ7SgAAEREAGSwVBBUAFQIAFQAVEBUCADwpBhkmAgIAAAAWoAUWBCaeBRagBQAZHBgMQVJS",
        "T1c6c2NoZW1hGOwCLy8vLy93Z0JBQUFRQUFBQUFBQUtBQXdBQmdBRkFBZ0FDZ0FBQUFBQkJBQU1BQUFBQ0FBSUFBQUFCQUFJQUFB",
        "QUJBQUFBQVFBQUFDZ0FBQUFZQUFBQURBQUFBQUVBQUFBZ1AvLy93QUFBUWdRQUFBQUZBQUFBQVFBQUFBQUFBQUFBUUFBQUdRQUFB",
        "RGEvLy8vQUFBQUFLai8vLzhBQUFFREVBQUFBQmdBQUFBRUFBQUFBQUFBQUFFQUFBQjRBQVlBQ0FBR0FBWUFBQUFBQUFJQTFQLy8v",
        "d0FBQVFVUUFBQUFIQUFBQUFRQUFBQUFBQUFBQkFBQUFHNWhiV1VBQUFBQUJBQUVBQVFBQUFBUUFCUUFDQUFHQUFjQURBQUFBQkFB",
        "RUFBQUFBQUFBUUlRQUFBQUhBQUFBQVFBQUFBQUFBQUFBZ0FBQUdsa0FBQUlBQXdBQ0FBSEFBZ0FBQUFBQUFBQlFBQUFBQUFBQUFB",
        "PQAYIHBhcnF1ZXQtY3BwLWFycm93IHZlcnNpb24gMjYuMC4xGUwcAAAcAAAcAAAcAAAA5wQAAFBBUjE=",
        ].joined()
        return Data(base64Encoded: base64).map { Array($0) } ?? Array("PAR1PAR1".utf8)
    }()

    static let referenceFile: [UInt8] = {
        let path = NSTemporaryDirectory() + "tarn-fuzz-reference-\(getpid())-\(UUID().uuidString.prefix(8)).tarn"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var options = WriterOptions()
        options.rowGroupSize = 100
        do {
            let writer = try DataFileWriter(path: path, schema: referenceSchema, options: options)
            try writer.append(referenceBatch())
            _ = try writer.finish()
            return Array(FileManager.default.contents(atPath: path) ?? Data())
        } catch {
            return []
        }
    }()
}
