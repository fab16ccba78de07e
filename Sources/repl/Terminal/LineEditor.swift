import Foundation
import CLineEdit

/// Line editing, history and tab completion through libedit's readline-compatible API.
///
/// Input is read by our own `getc` that polls stdin and the Ctrl-C pipe: a Ctrl-C at the prompt
/// ends the line, which the shell then discards ("clears the line"). History is loaded from and
/// saved to `historyPath` after every entry, so it survives crashes and restarts.
final class LineEditor {
    let historyPath: String
    nonisolated(unsafe) private static var interruptedLine = false
    /// Completion: the word at the cursor and the text before it on this line.
    nonisolated(unsafe) fileprivate static var completionSource: (@Sendable (String, String) -> [String])?
    nonisolated(unsafe) fileprivate static var candidates: [String] = []
    nonisolated(unsafe) fileprivate static var candidateIndex = 0

    init(historyPath: String, completions: @escaping @Sendable (_ word: String, _ lineBefore: String) -> [String]) {
        self.historyPath = historyPath
        Self.completionSource = completions
        tarn_rl_set_catch_signals(0)
        tarn_rl_set_getc_function { _ in LineEditor.readCharacter() }
        tarn_rl_set_readline_name(strdup("tarn"))
        Self.useUTF8CharacterLocale()
        rl_initialize()
        tarn_rl_set_word_break_characters(strdup(" \t\n\"\\'`@$><=;|&{(,.*+-/"))
        tarn_rl_set_completion_append_character(0)
        tarn_rl_set_completion_entry_function { text, state in
            if state == 0 {
                let prefix = text.map { String(cString: $0) } ?? ""
                var before = ""
                if let line = tarn_rl_line_buffer() {
                    let bytes = Array(String(cString: line).utf8)
                    let end = max(0, min(bytes.count, Int(tarn_rl_point()) - prefix.utf8.count))
                    before = String(decoding: bytes[0..<end], as: UTF8.self)
                }
                LineEditor.candidates = LineEditor.completionSource?(prefix, before) ?? []
                LineEditor.candidateIndex = 0
            }
            guard LineEditor.candidateIndex < LineEditor.candidates.count else { return nil }
            defer { LineEditor.candidateIndex += 1 }
            return strdup(LineEditor.candidates[LineEditor.candidateIndex])
        }
        using_history()
        stifle_history(5000)
        _ = read_history(historyPath)
    }

    /// The next line (without newline), or nil at end of input (Ctrl-D).
    /// `interrupted` is true when Ctrl-C ended the line.
    func readLine(prompt: String) -> (text: String, interrupted: Bool)? {
        InterruptMonitor.drain()
        Self.interruptedLine = false
        guard let raw = readline(prompt) else { return nil }
        defer { free(raw) }
        let text = String(cString: raw)
        return (text, Self.interruptedLine)
    }

    /// libedit turns the characters it read back into bytes with the C library's character locale; in the default "C"
    /// locale every non-ASCII character is dropped (`'Saint-Étienne'` became `'Saint-tienne'`). Use the environment's
    /// locale when it is UTF-8, else C.UTF-8. Only LC_CTYPE: numbers keep printing with a decimal point.
    static func useUTF8CharacterLocale() {
        if let name = setlocale(LC_CTYPE, ""), Self.isUTF8(String(cString: name)) { return }
        for candidate in ["C.UTF-8", "C.utf8", "en_US.UTF-8"] {
            if let name = setlocale(LC_CTYPE, candidate), Self.isUTF8(String(cString: name)) { return }
        }
    }

    private static func isUTF8(_ locale: String) -> Bool {
        let lower = locale.lowercased()
        return lower.contains("utf-8") || lower.contains("utf8")
    }

    func addHistory(_ entry: String) {
        let line = entry.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        guard !line.isEmpty else { return }
        add_history(line)
        _ = write_history(historyPath)
    }

    /// Reads one character (decoding UTF-8) from stdin, or reports Ctrl-C as an end of line.
    private static func readCharacter() -> Int32 {
        guard let first = readByte() else { return -1 }
        if first == -2 { interruptedLine = true; return 10 }
        let lead = UInt8(truncatingIfNeeded: first)
        let extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0
        guard extra > 0 else { return first }
        var bytes = [lead]
        for _ in 0..<extra {
            guard let next = readByte(), next >= 0 else { break }
            bytes.append(UInt8(truncatingIfNeeded: next))
        }
        let scalar = String(decoding: bytes, as: UTF8.self).unicodeScalars.first?.value ?? 0xFFFD
        return Int32(bitPattern: scalar)
    }

    /// A byte from stdin; -2 for a pending Ctrl-C; nil at end of input.
    private static func readByte() -> Int32? {
        while true {
            var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: InterruptMonitor.readDescriptor, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, InterruptMonitor.readDescriptor >= 0 ? 2 : 1, -1)
            if ready < 0 { if errno == EINTR { continue }; return nil }
            if fds[1].revents & Int16(POLLIN) != 0, InterruptMonitor.drain() { return -2 }
            if fds[0].revents != 0 {
                var byte: UInt8 = 0
                let n = read(0, &byte, 1)
                if n == 1 { return Int32(byte) }
                if n < 0 && errno == EINTR { continue }
                return nil
            }
        }
    }
}
