// tarn-fuzz: runs one fuzz target with the deterministic mutation fuzzer (see Sources/Fuzzing).
//   tarn-fuzz TARGET [--seconds N] [--runs N] [--seed N] [--max-len N] [--crash-dir DIR] [CORPUS_DIR_OR_FILE…]
//   tarn-fuzz TARGET --replay FILE…      (runs the given inputs once each, e.g. a saved crash)
//   tarn-fuzz TARGET --export-corpus DIR [--dict FILE] [CORPUS…]   (seeds as files, dictionary for libFuzzer)
// A crash (trap or signal) writes the input to CRASH_DIR/crash-TARGET-<hash> before the process dies;
// an invariant violation is saved the same way and makes the exit status 1.
import Foundation
import Fuzzing

/// The input being run, for the signal handler (set before each run; read only when the process is dying).
nonisolated(unsafe) var currentInput: UnsafeMutablePointer<UInt8>? = nil
nonisolated(unsafe) var currentLength = 0
nonisolated(unsafe) var crashPath: UnsafeMutablePointer<CChar>? = nil

func usage() -> Never {
    FileHandle.standardError.write(Data("""
        usage: tarn-fuzz TARGET [--seconds N] [--runs N] [--seed N] [--max-len N] [--crash-dir DIR] [CORPUS…]
               tarn-fuzz TARGET --replay FILE…
        targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))

        """.utf8))
    exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else { usage() }
arguments.removeFirst()
var seconds = 10.0, runs = Int.max, seed: UInt64 = 1, maxLength = target == .sql ? 2048 : 65_536
var crashDirectory = "fuzz-crashes", replay = false, corpusPaths: [String] = []
var exportDirectory: String? = nil, dictionaryFile: String? = nil
while !arguments.isEmpty {
    let a = arguments.removeFirst()
    func value() -> String { if arguments.isEmpty { usage() }; return arguments.removeFirst() }
    switch a {
    case "--seconds": seconds = Double(value()) ?? { usage() }()
    case "--runs": runs = Int(value()) ?? { usage() }()
    case "--seed": seed = UInt64(value()) ?? { usage() }()
    case "--max-len": maxLength = Int(value()) ?? { usage() }()
    case "--crash-dir": crashDirectory = value()
    case "--replay": replay = true
    case "--export-corpus": exportDirectory = value()
    case "--dict": dictionaryFile = value()
    default: if a.hasPrefix("-") { usage() } else { corpusPaths.append(a) }
    }
}

if let exportDirectory {
    try? FileManager.default.createDirectory(atPath: exportDirectory, withIntermediateDirectories: true)
    let seeds = FuzzCorpus.builtInSeeds(for: target) + FuzzCorpus.seeds(from: corpusPaths, for: target)
    for (i, seed) in seeds.enumerated() {
        FileManager.default.createFile(atPath: exportDirectory + "/seed-\(i)", contents: Data(seed.prefix(maxLength)))
    }
    if let dictionaryFile {
        // libFuzzer dictionary lines: "…" with \\, \" and \xNN escapes.
        let lines = FuzzCorpus.dictionary(for: target).map { token -> String in
            "\"" + token.map { b -> String in
                if b == 0x5C { return "\\\\" }
                if b == 0x22 { return "\\\"" }
                return (0x20..<0x7F).contains(b) ? String(UnicodeScalar(b)) : String(format: "\\x%02X", b)
            }.joined() + "\""
        }
        FileManager.default.createFile(atPath: dictionaryFile, contents: Data((lines.joined(separator: "\n") + "\n").utf8))
    }
    print("exported \(seeds.count) seeds to \(exportDirectory)")
    exit(0)
}

let harness: FuzzHarness
do { harness = try FuzzHarness(target: target) } catch {
    FileHandle.standardError.write(Data("tarn-fuzz: cannot set up \(target.rawValue): \(error)\n".utf8)); exit(2)
}

if replay {
    var violations = 0
    for path in corpusPaths {
        guard let data = FileManager.default.contents(atPath: path) else { print("\(path): cannot read"); continue }
        let outcome = harness.run(Array(data))
        print("\(path): \(outcome)")
        if case .violation = outcome { violations += 1 }
    }
    harness.close()
    exit(violations > 0 ? 1 : 0)
}

try? FileManager.default.createDirectory(atPath: crashDirectory, withIntermediateDirectories: true)
let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(maxLength, FuzzCorpus.builtInSeeds(for: target).map(\.count).max() ?? 0) + 1)
currentInput = buffer
let crashFile = crashDirectory + "/crash-\(target.rawValue)-seed\(seed)"
crashPath = strdup(crashFile)
for signalNumber in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
    signal(signalNumber) { sig in
        if let path = crashPath, let input = currentInput {
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            if fd >= 0 { _ = write(fd, input, currentLength); close(fd) }
            let message = "\ntarn-fuzz: CRASH (signal \(sig)); the input is in the crash file\n"
            message.withCString { _ = write(2, $0, strlen($0)) }
        }
        signal(sig, SIG_DFL)
        raise(sig)
    }
}

var seeds = FuzzCorpus.builtInSeeds(for: target) + FuzzCorpus.seeds(from: corpusPaths, for: target)
seeds = seeds.map { Array($0.prefix(maxLength)) }
var fuzzer = MutationFuzzer(seed: seed, corpus: seeds, dictionary: FuzzCorpus.dictionary(for: target), maxLength: maxLength)
let start = Date()
var executions = 0, accepted = 0, violations = 0
var nextReport = 10.0
var queue = seeds  // every seed runs once, unmutated, first
while executions < runs {
    let elapsed = Date().timeIntervalSince(start)
    if elapsed >= seconds { break }
    if elapsed >= nextReport {
        print("  \(target.rawValue): \(executions) executions in \(Int(elapsed)) s, corpus \(fuzzer.corpus.count)")
        nextReport += 10
    }
    let input = queue.isEmpty ? fuzzer.nextInput() : queue.removeLast()
    input.withUnsafeBufferPointer { if let base = $0.baseAddress { buffer.update(from: base, count: $0.count) } }
    currentLength = input.count
    let outcome = harness.run(input)
    executions += 1
    if outcome == .accepted { accepted += 1 }
    if case let .violation(reason) = outcome {
        violations += 1
        let path = crashDirectory + "/violation-\(target.rawValue)-seed\(seed)-\(executions)"
        FileManager.default.createFile(atPath: path, contents: Data(input))
        print("tarn-fuzz: VIOLATION: \(reason); input saved to \(path)")
    }
    fuzzer.observe(input, outcome: outcome)
}
harness.close()
let elapsed = Date().timeIntervalSince(start)
print("tarn-fuzz \(target.rawValue): \(executions) executions in \(String(format: "%.1f", elapsed)) s "
      + "(\(accepted) accepted, \(executions - accepted - violations) rejected), \(violations) violations, 0 crashes, "
      + "corpus \(fuzzer.corpus.count), seed \(seed)")
exit(violations > 0 ? 1 : 0)
