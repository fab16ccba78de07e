import Foundation
import XCTest

/// Runs the built `tarn` binary as a child process (script mode and the pty driver need a real process).
enum TarnProcess {
    /// What a run produced.
    struct Output {
        var stdout: String
        var stderr: String
        var status: Int32
    }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `$TARN_BINARY`, else the newest `tarn` under `.build*/debug` (or `.build*/<triple>/debug`) of the package.
    static func binary() throws -> String {
        if let path = ProcessInfo.processInfo.environment["TARN_BINARY"], FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        var candidates: [String] = []
        let root = packageRoot.path
        let fm = FileManager.default
        // Next to the test bundle first: the binary built together with these tests.
        let bundleDirectory = Bundle(for: GeneratorTests.self).bundleURL.deletingLastPathComponent().path
        candidates.append((bundleDirectory as NSString).appendingPathComponent("tarn"))
        for entry in (try? fm.contentsOfDirectory(atPath: root)) ?? [] where entry.hasPrefix(".build") {
            let base = (root as NSString).appendingPathComponent(entry)
            candidates.append((base as NSString).appendingPathComponent("debug/tarn"))
            for sub in (try? fm.contentsOfDirectory(atPath: base)) ?? [] {
                candidates.append((base as NSString).appendingPathComponent("\(sub)/debug/tarn"))
            }
        }
        let existing = candidates.filter { fm.isExecutableFile(atPath: $0) }
        func modified(_ path: String) -> Date {
            ((try? fm.attributesOfItem(atPath: path))?[.modificationDate] as? Date) ?? .distantPast
        }
        guard let newest = existing.max(by: { modified($0) < modified($1) }) else {
            throw XCTSkip("the tarn binary was not found (looked in \(candidates.prefix(3).joined(separator: ", ")) …); "
                          + "build it first: swift build --scratch-path .build-cli --product tarn")
        }
        return newest
    }

    /// Runs `tarn arguments…` (or another copy of it, `executable`) with `stdin` as its standard input.
    @discardableResult
    static func run(_ arguments: [String], stdin: String = "", environment: [String: String] = [:],
                    executable: String? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable ?? binary())
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let input = Pipe(), out = Pipe(), err = Pipe()
        process.standardInput = input
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let writer = Thread {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        final class Box: @unchecked Sendable { var data = Data() }
        let errBox = Box()
        let errReader = Thread { errBox.data = err.fileHandleForReading.readDataToEndOfFile() }
        errReader.start()
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while errReader.isExecuting || !errReader.isFinished { usleep(1000) }
        return Output(stdout: String(decoding: stdoutData, as: UTF8.self), stderr: String(decoding: errBox.data, as: UTF8.self),
                      status: process.terminationStatus)
    }

    /// A fresh empty directory under the temporary directory.
    static func temporaryDirectory(_ name: String) -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("tarn-cli-\(name)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
