import Foundation

/// The campaign pipeline `tarn demo` runs (raw JSON → bronze → silver by the four cleaning rules → the three Athena
/// views → the weekly channel table the marketing-mix model reads): the package resource
/// `Sources/repl/Resources/campaign_pipeline.sql`, which `examples/campaigns/pipeline.sql` links to. Relative COPY
/// paths resolve against the demo lake's folder, so `raw/` is `DIR/raw/`.
enum DemoPipelineSQL {
    static let resourceFolder = "Tarn_repl.resources"
    static let resourceName = "campaign_pipeline.sql"

    /// The pipeline's text, read from the resources folder SwiftPM places beside the `tarn` binary. Looked up by hand
    /// rather than through `Bundle.module`, whose accessor stops the process when the folder is missing.
    static func text() throws -> String {
        for folder in candidateFolders() {
            let url = folder.appendingPathComponent(resourceFolder).appendingPathComponent(resourceName)
            if let text = try? String(contentsOf: url, encoding: .utf8) { return text }
        }
        let places = candidateFolders().map(\.path).joined(separator: ", ")
        throw CLIFailure.exit("the demo pipeline \(resourceFolder)/\(resourceName) is not beside the tarn binary (looked in \(places)); "
                              + "keep the \(resourceFolder) folder next to tarn when you copy it")
    }

    /// The binary's folder as Foundation sees it and as the resolved `/proc/self/exe` (a link to tarn) gives it.
    private static func candidateFolders() -> [URL] {
        var folders = [Bundle.main.bundleURL]
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            folders.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        if let first = CommandLine.arguments.first, first.contains("/") {
            folders.append(URL(fileURLWithPath: first).resolvingSymlinksInPath().deletingLastPathComponent())
        }
        var seen = Set<String>()
        return folders.filter { seen.insert($0.standardizedFileURL.path).inserted }
    }
}
