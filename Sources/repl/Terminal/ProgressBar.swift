import Foundation
import Execution

/// A one-line progress display on stderr for statements running over a second:
/// rows and bytes scanned, scan rate and (when the total is known) a bar and an ETA.
struct ProgressBar {
    private var drawn = false
    let width: Int

    init(width: Int = TerminalInfo.width) { self.width = width }

    /// The line for the current state of `progress` after `elapsed` seconds (pure; testable).
    static func line(rows: Int, bytes: Int, total: Int, elapsed: Double, width: Int) -> String {
        let rate = elapsed > 0 ? Double(rows) / elapsed : 0
        var text = "\(compact(Double(rows))) rows, \(byteText(bytes)) scanned, \(compact(rate)) rows/s"
        if total > 0 {
            let fraction = min(1, Double(rows) / Double(total))
            if rate > 0, rows < total { text += ", ETA \(duration(Double(total - rows) / rate))" }
            let barWidth = max(10, min(40, width - text.count - 10))
            let filled = Int(fraction * Double(barWidth))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled)
            return "\(bar) \(Int(fraction * 100))% \(text)"
        }
        return "\(duration(elapsed)) \(text)"
    }

    mutating func draw(_ progress: QueryProgress, elapsed: Double) {
        let text = Self.line(rows: progress.rowsScanned, bytes: progress.bytesScanned, total: progress.rowsTotal,
                             elapsed: elapsed, width: width)
        OutputChannel.standardError.write("\r\u{1B}[K" + String(text.prefix(max(10, width - 1))))
        OutputChannel.standardError.flush()
        drawn = true
    }

    mutating func clear() {
        guard drawn else { return }
        OutputChannel.standardError.write("\r\u{1B}[K")
        OutputChannel.standardError.flush()
        drawn = false
    }

    static func compact(_ v: Double) -> String {
        switch v {
        case ..<1_000: return String(Int(v))
        case ..<1_000_000: return String(format: "%.1fK", v / 1_000)
        case ..<1_000_000_000: return String(format: "%.1fM", v / 1_000_000)
        default: return String(format: "%.1fG", v / 1_000_000_000)
        }
    }

    static func byteText(_ bytes: Int) -> String {
        let v = Double(bytes)
        switch v {
        case ..<1024: return "\(bytes) B"
        case ..<(1024 * 1024): return String(format: "%.1f KiB", v / 1024)
        case ..<(1024 * 1024 * 1024): return String(format: "%.1f MiB", v / 1_048_576)
        default: return String(format: "%.1f GiB", v / 1_073_741_824)
        }
    }

    static func duration(_ seconds: Double) -> String {
        if seconds < 60 { return String(format: "%.0fs", seconds.rounded(.up)) }
        let s = Int(seconds)
        return s < 3600 ? "\(s / 60)m\(s % 60)s" : "\(s / 3600)h\(s / 60 % 60)m"
    }
}
