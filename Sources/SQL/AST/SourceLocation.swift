/// A position in SQL text: 1-based line and column, and the 0-based UTF-8 offset.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var offset: Int
    public init(line: Int, column: Int, offset: Int) { self.line = line; self.column = column; self.offset = offset }
    public static let unknown = SourceLocation(line: 0, column: 0, offset: 0)
    public var description: String { "line \(line), column \(column)" }
}
