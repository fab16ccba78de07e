// lake-stress: drives a lake from a separate process, for the crash (kill -9) and concurrency tests.
//
//   lake-stress append    LAKE TABLE --batches N --rows R --seed S   N commits (WRITE), each appending R rows
//   lake-stress overwrite LAKE TABLE --batches N --rows R --seed S   N commits (OVERWRITE), each replacing all rows;
//                                                                     conflicts are counted, not fatal
//   lake-stress overwrite-once LAKE TABLE --rows R --seed S --hold-ms M
//                                                                     one OVERWRITE that waits M ms before committing;
//                                                                     exit 3 on a conflict
//   lake-stress verify    LAKE TABLE                                   checks every version's rows against the generator
//
// Rows are a pure function of (seed, batch, row index) (`StressRows`), and every commit records
// {"seed":S,"batch":B,"rows":R} as its parameters, so a checker can recompute every version's expected rows.
// Exit codes: 0 ok, 1 verification failed, 2 usage, 3 conflict, 4 other error.
import Foundation
import Storage

/// The deterministic rows of one commit.
enum StressRows {
    static let schema = Schema([
        Field(name: "id", type: .bigint, nullable: false),
        Field(name: "seed", type: .bigint),
        Field(name: "batch", type: .integer),
        Field(name: "value", type: .double),
        Field(name: "payload", type: .varchar),
    ])

    static func batch(seed: Int64, batch: Int, rows: Int) -> Batch {
        var builders = schema.fields.map { ColumnBuilder(type: $0.type, capacity: rows) }
        for i in 0..<rows {
            for (c, v) in row(seed: seed, batch: batch, index: i).enumerated() { builders[c].append(v) }
        }
        return Batch(columns: builders.indices.map { builders[$0].finish() }, count: rows)
    }

    static func row(seed: Int64, batch: Int, index i: Int) -> [Value] {
        let id = seed * 1_000_000_000 + Int64(batch) * 100_000 + Int64(i)
        let value = Double((seed &* 31 &+ Int64(batch) * 17 + Int64(i) * 7) % 1000) / 10
        return [.bigint(id), .bigint(seed), .integer(Int32(batch)), .double(value),
                i % 13 == 0 ? .null : .varchar("s\(seed)-b\(batch)-r\(i)")]
    }

    static func key(_ row: [Value]) -> String { row.map(\.description).joined(separator: "|") }
}

struct Options {
    var positional: [String] = []
    var named: [String: String] = [:]

    init(_ args: ArraySlice<String>) throws {
        var i = args.startIndex
        while i < args.endIndex {
            let a = args[i]
            if a.hasPrefix("--") {
                guard i + 1 < args.endIndex else { throw TarnError.semantic("option \(a) needs a value") }
                named[String(a.dropFirst(2))] = args[i + 1]
                i += 2
            } else {
                positional.append(a)
                i += 1
            }
        }
    }

    func int(_ name: String, _ fallback: Int) throws -> Int {
        guard let text = named[name] else { return fallback }
        guard let v = Int(text) else { throw TarnError.semantic("--\(name) must be an integer") }
        return v
    }
}

/// Writes one line to stdout unbuffered (the tests read progress while the process may be killed).
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

func parameters(seed: Int64, batch: Int, rows: Int) -> String { "{\"batch\":\(batch),\"rows\":\(rows),\"seed\":\(seed)}" }

func openTable(_ options: Options) throws -> (Lake, TableName) {
    guard options.positional.count >= 2 else { throw TarnError.semantic("usage: lake-stress COMMAND LAKE TABLE [options]") }
    let lake = try Lake.open(at: options.positional[0])
    let table = TableName(name: options.positional[1])
    try lake.createTable(table, schema: StressRows.schema, ifNotExists: true)
    return (lake, table)
}

func append(_ options: Options) throws {
    let (lake, table) = try openTable(options)
    let batches = try options.int("batches", 10), rows = try options.int("rows", 100)
    let seed = Int64(try options.int("seed", 1))
    for b in 0..<batches {
        let writer = try lake.beginWrite(table)
        try writer.append(StressRows.batch(seed: seed, batch: b, rows: rows))
        let info = try writer.commit(operation: "WRITE", parameters: parameters(seed: seed, batch: b, rows: rows))
        say("committed \(info.version)")
    }
}

func overwrite(_ options: Options) throws {
    let (lake, table) = try openTable(options)
    let batches = try options.int("batches", 10), rows = try options.int("rows", 100)
    let seed = Int64(try options.int("seed", 1))
    var conflicts = 0
    for b in 0..<batches {
        let writer = try lake.beginWrite(table)
        try writer.removeAllFiles()
        try writer.append(StressRows.batch(seed: seed, batch: b, rows: rows))
        do {
            let info = try writer.commit(operation: "OVERWRITE", parameters: parameters(seed: seed, batch: b, rows: rows))
            say("committed \(info.version)")
        } catch let e as TarnError where e.kind == .conflict {
            conflicts += 1
        }
    }
    say("conflicts \(conflicts)")
}

func overwriteOnce(_ options: Options) throws {
    let (lake, table) = try openTable(options)
    let rows = try options.int("rows", 100), hold = try options.int("hold-ms", 0)
    let seed = Int64(try options.int("seed", 1))
    let writer = try lake.beginWrite(table)
    try writer.removeAllFiles()
    try writer.append(StressRows.batch(seed: seed, batch: 0, rows: rows))
    say("base \(writer.base.version)")
    if hold > 0 { usleep(useconds_t(hold * 1000)) }
    let info = try writer.commit(operation: "OVERWRITE", parameters: parameters(seed: seed, batch: 0, rows: rows))
    say("committed \(info.version)")
}

/// Checks that every version holds exactly the rows its history says it should.
func verify(_ options: Options) throws -> Bool {
    guard options.positional.count >= 2 else { throw TarnError.semantic("usage: lake-stress verify LAKE TABLE") }
    let lake = try Lake.open(at: options.positional[0])
    let table = TableName(name: options.positional[1])
    let history = try lake.history(of: table).reversed()
    var expected: [String] = []
    var ok = true
    for info in history {
        if info.operation == "OVERWRITE" { expected = [] }
        if info.operation == "WRITE" || info.operation == "OVERWRITE" {
            guard let data = info.parameters.data(using: .utf8),
                  let p = try JSONSerialization.jsonObject(with: data) as? [String: Int] ,
                  let seed = p["seed"], let batch = p["batch"], let rows = p["rows"] else {
                say("version \(info.version): unreadable parameters \(info.parameters)")
                return false
            }
            for i in 0..<rows { expected.append(StressRows.key(StressRows.row(seed: Int64(seed), batch: batch, index: i))) }
        }
        let snapshot = try lake.snapshot(of: table, at: .version(info.version))
        let all = try snapshot.readAll()
        let actual = (0..<all.count).map { StressRows.key(all.row($0)) }
        if actual.sorted() != expected.sorted() {
            say("version \(info.version): \(actual.count) rows, expected \(expected.count)")
            ok = false
        }
    }
    say(ok ? "ok versions \(history.count) rows \(expected.count)" : "FAILED")
    return ok
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: lake-stress append|overwrite|overwrite-once|verify LAKE TABLE [--batches N] [--rows R] [--seed S] [--hold-ms M]\n".utf8))
    exit(2)
}
do {
    let options = try Options(arguments.dropFirst(2))
    switch arguments[1] {
    case "append": try append(options)
    case "overwrite": try overwrite(options)
    case "overwrite-once": try overwriteOnce(options)
    case "verify": exit(try verify(options) ? 0 : 1)
    default:
        FileHandle.standardError.write(Data("lake-stress: unknown command \(arguments[1])\n".utf8))
        exit(2)
    }
} catch let e as TarnError {
    FileHandle.standardError.write(Data("lake-stress: \(e)\n".utf8))
    exit(e.kind == .conflict ? 3 : 4)
} catch {
    FileHandle.standardError.write(Data("lake-stress: \(error)\n".utf8))
    exit(4)
}
