import Foundation

/// Facts about the terminal the shell writes to.
enum TerminalInfo {
    static var stdinIsTerminal: Bool { isatty(0) == 1 }
    static var stderrIsTerminal: Bool { isatty(2) == 1 }

    /// Width for charts and progress bars: `$COLUMNS`, else 80.
    static var width: Int {
        if let text = ProcessInfo.processInfo.environment["COLUMNS"], let n = Int(text), n >= 20 { return n }
        return 80
    }
}
