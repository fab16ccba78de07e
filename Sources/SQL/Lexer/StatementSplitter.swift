import Storage

/// Splits SQL text into statements at `;` outside strings, quoted identifiers and comments, without parsing it.
///
/// Used by the interactive shell: `isComplete` says whether typed text ends with a finished statement,
/// `split` cuts a script into statement texts with their start positions. Never throws: unterminated
/// strings or comments simply leave the text incomplete.
public enum StatementSplitter {
    /// A byte that can be part of a word (so `xe'…'` is not an escape string).
    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F || b == 0x24 || b >= 0x80
    }

    /// One statement's text (trimmed, without its `;`) and where it starts.
    public struct Piece: Sendable, Equatable {
        public var text: String
        public var location: SourceLocation
        /// True if a `;` ended the statement (false for trailing text without one).
        public var terminated: Bool
        public init(text: String, location: SourceLocation, terminated: Bool) {
            self.text = text; self.location = location; self.terminated = terminated
        }
    }

    /// True if `text` holds at least one statement and ends with a `;` outside any string, quoted identifier or
    /// comment, followed only by whitespace and complete comments.
    public static func isComplete(_ text: String) -> Bool {
        let pieces = split(text)
        guard let last = pieces.last else { return false }
        return last.terminated
    }

    /// The statements of `text`. Pieces holding only whitespace and comments are dropped.
    /// A final piece without `;` is included with `terminated == false`.
    public static func split(_ text: String) -> [Piece] {
        let bytes = Array(text.utf8)
        var pieces: [Piece] = []
        var index = 0
        var line = 1
        var column = 1
        // Start of the current piece's first significant byte, if any.
        var pieceStart: (offset: Int, line: Int, column: Int)?
        var lastSignificantEnd = 0

        func advance(_ count: Int) {
            for _ in 0..<count where index < bytes.count {
                let byte = bytes[index]
                if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
                index += 1
            }
        }

        func markSignificant() {
            if pieceStart == nil { pieceStart = (index, line, column) }
        }

        while index < bytes.count {
            let byte = bytes[index]
            let next: UInt8 = index + 1 < bytes.count ? bytes[index + 1] : 0
            switch byte {
            case UInt8(ascii: "-") where next == UInt8(ascii: "-"):
                while index < bytes.count, bytes[index] != 0x0A { advance(1) }
            case UInt8(ascii: "/") where next == UInt8(ascii: "*"):
                let start = (index, line, column)
                advance(2)
                var closed = false
                while index < bytes.count {
                    if bytes[index] == UInt8(ascii: "*"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/") {
                        advance(2); closed = true; break
                    }
                    advance(1)
                }
                if !closed {
                    // An unterminated comment makes the current piece (or a new one) unterminated.
                    if pieceStart == nil { pieceStart = start }
                    lastSignificantEnd = bytes.count
                }
            case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"):
                markSignificant()
                let quote = byte
                // `E'…'` escape strings: a backslash escapes the next byte (the quote too).
                let escapes = quote == UInt8(ascii: "'") && index > 0 && bytes[index - 1] | 0x20 == UInt8(ascii: "e")
                    && (index < 2 || !Self.isWordByte(bytes[index - 2]))
                advance(1)
                while index < bytes.count {
                    if escapes, bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count { advance(2); continue }
                    if bytes[index] == quote {
                        if index + 1 < bytes.count, bytes[index + 1] == quote { advance(2); continue }
                        advance(1)
                        break
                    }
                    advance(1)
                }
                lastSignificantEnd = index
            case UInt8(ascii: ";"):
                if let start = pieceStart {
                    let body = String(decoding: bytes[start.offset..<lastSignificantEnd], as: UTF8.self)
                    pieces.append(Piece(text: body, location: SourceLocation(line: start.line, column: start.column, offset: start.offset),
                                        terminated: true))
                }
                pieceStart = nil
                advance(1)
            case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C:
                advance(1)
            default:
                markSignificant()
                advance(1)
                lastSignificantEnd = index
            }
        }
        if let start = pieceStart {
            let body = String(decoding: bytes[start.offset..<max(start.offset, lastSignificantEnd)], as: UTF8.self)
            pieces.append(Piece(text: body, location: SourceLocation(line: start.line, column: start.column, offset: start.offset),
                                terminated: false))
        }
        return pieces
    }
}
