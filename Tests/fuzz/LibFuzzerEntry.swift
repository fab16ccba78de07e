// libFuzzer's entry point for the Tarn fuzz targets (Sources/Fuzzing). Not part of the Swift package: scripts/fuzz
// compiles the package's modules with `-sanitize=fuzzer,address` into .build-fuzz/ and links this file against
// them with `swiftc -sanitize=fuzzer,address`. The target comes from $TARN_FUZZ_TARGET (sql, datafile, json, csv).
import Foundation
import Fuzzing

nonisolated(unsafe) var harness: FuzzHarness? = nil

@_cdecl("LLVMFuzzerTestOneInput")
public func tarnFuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    if harness == nil {
        let name = ProcessInfo.processInfo.environment["TARN_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name), let made = try? FuzzHarness(target: target) else {
            fputs("set TARN_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n", stderr)
            exit(2)
        }
        harness = made
    }
    guard let harness else { return 0 }
    let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if case let .violation(reason) = harness.run(input) {
        fputs("tarn fuzz VIOLATION: \(reason)\n", stderr)
        abort()  // libFuzzer saves the input as a crash
    }
    return 0
}
