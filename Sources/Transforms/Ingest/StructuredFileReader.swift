import Storage

/// Reads one JSON or CSV file into batches of a target schema, streaming (memory bounded by the batch size and
/// one block of input). Fields map to columns by name (CSV: by header name, or by position without a header);
/// missing fields are NULL. A record that does not parse or fit is rejected: collected in `rejects`, or thrown
/// as an error naming file, line and column when `rejectsAreErrors`.
public final class StructuredFileReader: LoadFileReader {
    /// What to do with a JSON field the target schema does not have.
    public enum UnknownFieldPolicy: Sendable {
        /// Skip the field (queries: the columns are fixed when the query is planned).
        case ignore
        /// Reject the record (loads: a field is never dropped silently).
        case reject
    }

    public let file: SourceFile
    public let schema: Schema
    public private(set) var rejects: [IngestReject] = []
    public private(set) var rejectedCount = 0
    public private(set) var rowsRead = 0
    public private(set) var finished = false
    /// Records to collect in `rejects` before counting only (a wholly broken file must not exhaust memory).
    public var rejectLimit = 100_000

    private let stream: RecordStream
    private let assembler: RowAssembler
    private let sink: AssemblerSink
    private let batchRows: Int
    private let rejectsAreErrors: Bool
    private let dropsRejects: Bool

    public init(file: SourceFile, format: IngestFormat, schema: Schema, options: IngestOptions,
                unknownFields: UnknownFieldPolicy, rejectsAreErrors: Bool) throws {
        self.file = file
        self.schema = schema
        batchRows = options.batchRows
        self.rejectsAreErrors = rejectsAreErrors && !options.ignoreErrors
        dropsRejects = options.ignoreErrors
        stream = try RecordStream(file: file, format: format, options: options)
        assembler = RowAssembler(schema: schema, batchCapacity: options.batchRows)
        sink = AssemblerSink(assembler: assembler, unknownFields: unknownFields)
        if format == .csv {
            if stream.readsHeader {
                let names = try stream.readHeader()
                sink.positions = names.map { schema.index(of: $0) ?? -1 }
                stream.expectedFields = names.isEmpty ? nil : names.count
            } else {
                sink.positions = Array(schema.fields.indices)
                stream.expectedFields = schema.count
            }
        }
    }

    /// The content hash (complete once `nextBatch` returned nil).
    public var contentHash: UInt64 { stream.hasher.value }

    /// The next batch of up to `batchRows` rows; nil at the end of the file.
    public func nextBatch() throws -> Batch? {
        guard !finished else { return nil }
        let names = schema.names
        while assembler.rows < batchRows {
            switch try stream.next(sink, columnName: { names.indices.contains($0) ? names[$0] : "#\($0)" }) {
            case .record:
                rowsRead += 1
            case let .rejected(reject):
                if rejectsAreErrors {
                    let column = reject.column.map { ", column '\($0)'" } ?? ""
                    throw TarnError(.execution, "\(reject.file) line \(reject.line)\(column): \(reject.reason)")
                }
                rejectedCount += 1
                if !dropsRejects && rejects.count < rejectLimit { rejects.append(reject) }
            case .end:
                finished = true
                return assembler.rows > 0 ? assembler.takeBatch() : nil
            }
        }
        return assembler.takeBatch()
    }
}

/// Sends decoded fields into a `RowAssembler`.
final class AssemblerSink: IngestRecordSink {
    let assembler: RowAssembler
    let unknownFields: StructuredFileReader.UnknownFieldPolicy
    /// CSV: the column of each field position (-1: not loaded).
    var positions: [Int] = []

    init(assembler: RowAssembler, unknownFields: StructuredFileReader.UnknownFieldPolicy) {
        self.assembler = assembler
        self.unknownFields = unknownFields
    }

    func beginRecord() {}

    @inline(__always)
    func field(key: UnsafeBufferPointer<UInt8>, kind: IngestFieldKind, text: UnsafeBufferPointer<UInt8>) -> IngestFieldVerdict {
        guard let c = assembler.column(forKey: key) else {
            return unknownFields == .reject && kind != .null ? .unknownField : .accepted
        }
        if (kind == .string || kind == .text || kind == .nested) && !UTF8Validation.isValid(text) { return .invalidUTF8(column: c) }
        return assembler.set(c, kind, text) ? .accepted : .doesNotFit(column: c)
    }

    @inline(__always)
    func field(position: Int, kind: IngestFieldKind, text: UnsafeBufferPointer<UInt8>) -> IngestFieldVerdict {
        guard position < positions.count else { return .unknownField }
        let c = positions[position]
        if c < 0 { return .accepted }
        if kind != .null && !UTF8Validation.isValid(text) { return .invalidUTF8(column: c) }
        return assembler.set(c, kind, text) ? .accepted : .doesNotFit(column: c)
    }

    func commitRecord() { assembler.commitRow() }
    func abortRecord() { assembler.abortRow() }
}
