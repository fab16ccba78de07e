/// Receives the fields of parsed records. Implemented by the loader (values into columns) and by the schema
/// sampler (types of values). Decoders are generic over it, so calls are direct.
protocol IngestRecordSink: AnyObject {
    func beginRecord()
    /// A named field (JSON). Returns `.accepted`, or why the record cannot be loaded.
    func field(key: UnsafeBufferPointer<UInt8>, kind: IngestFieldKind, text: UnsafeBufferPointer<UInt8>) -> IngestFieldVerdict
    /// The field at `position` of a delimited record (CSV).
    func field(position: Int, kind: IngestFieldKind, text: UnsafeBufferPointer<UInt8>) -> IngestFieldVerdict
    func commitRecord()
    func abortRecord()
}

/// What a sink made of one field.
enum IngestFieldVerdict {
    case accepted
    /// The field names no column of the target.
    case unknownField
    /// The value does not fit its column; the payload is the column's index.
    case doesNotFit(column: Int)
    /// The text is not well-formed UTF-8; the payload is the column's index.
    case invalidUTF8(column: Int)
}

/// How a decoder's attempt at one record ended. Positions are offsets into the decoder's buffer.
enum IngestRecordOutcome {
    /// A record was given to the sink and committed; the next one starts at `end`.
    case record(end: Int)
    /// Only separators or blank space up to `end`.
    case skipped(end: Int)
    /// The buffer ends inside a record: more input is needed.
    case incomplete
    /// The record cannot be loaded; input resumes at `end`. `offset` is where in the record the problem is.
    case rejected(end: Int, reason: String, column: String?, offset: Int)
}
