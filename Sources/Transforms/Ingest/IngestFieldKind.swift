/// What a parsed field's text is, as the reader saw it: JSON distinguishes strings, numbers, booleans and nested
/// values; CSV fields are `.text` (or `.null` for an empty unquoted field).
public enum IngestFieldKind: Sendable, Equatable {
    case null
    /// A JSON string or a quoted CSV field (content only, unescaped).
    case string
    /// An unquoted CSV field.
    case text
    case number
    case boolean
    /// A nested JSON array or object, kept as its JSON text.
    case nested
}
