/// A record that was not loaded: where it is, what it was and why.
public struct IngestReject: Sendable {
    /// The file as given (relative to the folder loaded).
    public var file: String
    /// 1-based line of the problem.
    public var line: Int
    /// The table column the problem concerns, when it is one value.
    public var column: String?
    /// The record's text (at most `maxRawBytes` bytes).
    public var raw: String
    public var reason: String

    public static let maxRawBytes = 4096

    public init(file: String, line: Int, column: String?, raw: String, reason: String) {
        self.file = file; self.line = line; self.column = column; self.raw = raw; self.reason = reason
    }
}
