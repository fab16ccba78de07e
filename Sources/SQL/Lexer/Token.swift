import Storage

/// The kinds of token the SQL lexer produces.
enum TokenKind: UInt8, Sendable {
    /// A bare word: an identifier or a keyword (see `Token.keyword`).
    case word
    /// A `"double-quoted"` or `` `back-quoted` `` identifier; never a keyword.
    case quotedWord
    /// A `'string'` literal; `text` holds the value with `''` collapsed.
    case string
    /// `42`
    case integer
    /// `12.5`, `.5`, `1.`
    case decimal
    /// `1E0`, `2.5e-3`
    case double
    /// Punctuation and operators: `(`, `,`, `<=`, `||`, `::`, `=>` …
    case symbol
    /// The end of the input (always the last token).
    case end
}

/// One lexical token with its place in the source.
struct Token: Sendable {
    var kind: TokenKind
    /// Identifier text as written (quotes removed), string value, number text or symbol.
    var text: String
    /// Upper-cased text for bare words, empty for every other kind.
    var keyword: String
    /// Where the token starts.
    var location: SourceLocation
    /// UTF-8 offset just past the token's last byte.
    var endOffset: Int

    /// How the token is shown in error messages.
    var display: String {
        switch kind {
        case .end: return "end of input"
        case .string: return "'\(text.replacing("'", with: "''"))'"
        case .quotedWord: return "'\"\(text)\"'"
        default: return "'\(text)'"
        }
    }
}
