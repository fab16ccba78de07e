import Foundation

/// What the demo is doing, on stderr (stdout keeps the results), and how long each part took.
final class DemoProgress {
    private var lapStarted = Date()

    /// Announces the next part on stderr.
    func say(_ text: String) {
        let err = OutputChannel.standardError
        err.write(text + "\n")
        err.flush()
    }

    /// Seconds since the previous lap (or since creation), as `2.3 s`, and starts a new lap.
    func lap() -> String {
        let now = Date()
        defer { lapStarted = now }
        return String(format: "%.1f s", now.timeIntervalSince(lapStarted))
    }
}
