import ArgumentParser
import Foundation
import Storage

/// `tarn check LAKE [--repair]`: verifies every data file the catalog references (present, checksums, size,
/// row count), the catalog's own integrity, and reports orphan files; exit 1 when anything is wrong.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify a lake's files against its catalog; exit 1 when anything is wrong.",
        discussion: """
        Checks the catalog (SQLite integrity check), then every data file any recorded version references: it
        must exist, have the size and row count the catalog recorded, and pass its footer and chunk checksums
        (every chunk is read). Files under data/ that no version references are reported as orphans (a writer
        that crashed leaves them; so does one still running, so check a lake nobody is writing).
        --repair moves the orphans into LAKE/quarantine/ (damaged or missing files cannot be repaired here:
        RESTORE an older version or reload the data).
        """)

    @Argument(help: "The lake folder.") var lake: String
    @Flag(help: "Move orphan files into LAKE/quarantine/.") var repair = false

    func run() throws {
        guard FileManager.default.fileExists(atPath: lake + "/catalog.db") else {
            throw CLIFailure.exit("no lake at \(lake): catalog.db does not exist")
        }
        let opened: Lake
        let report: LakeCheckReport
        do {
            opened = try Lake.open(at: lake, readOnly: !repair)
            report = try opened.check()
        } catch {
            throw CLIFailure.exit("\(lake): \((error as? TarnError)?.message ?? String(describing: error))")
        }
        for problem in report.problems { print(problem.description) }
        var orphansLeft = report.orphans.count
        if repair && orphansLeft > 0 {
            do {
                let moved = try opened.quarantine(report.orphans)
                for target in moved { print("moved to \(target)") }
                orphansLeft -= moved.count
            } catch {
                throw CLIFailure.exit((error as? TarnError)?.message ?? String(describing: error))
            }
        }
        let damage = report.problems.count - report.orphans.count
        print("checked \(report.filesChecked) data files (\(report.bytesChecked) bytes): "
              + "\(damage) damaged or missing, \(report.orphans.count) orphans"
              + (repair && !report.orphans.isEmpty ? " (moved to quarantine/)" : ""))
        if damage > 0 || orphansLeft > 0 { throw ExitCode(1) }
    }
}
