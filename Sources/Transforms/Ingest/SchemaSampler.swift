import Storage

/// Infers the columns of JSON / CSV files from a sample of their first records: names in order of first
/// appearance, types by `InferredType`. Records that do not parse are skipped while sampling.
public enum SchemaSampler {
    /// The schema of `files`, from their first `options.sampleRecords` records (taken file after file).
    public static func infer(files: [SourceFile], format: IngestFormat, options: IngestOptions) throws -> Schema {
        if format == .parquet {
            // A Parquet footer states the schema: the union of the files' columns, in order of first appearance.
            var fields: [Field] = []
            for file in files {
                for field in try ParquetLoadReader.fields(of: file) where !fields.contains(where: { $0.name.lowercased() == field.name.lowercased() }) {
                    fields.append(field)
                }
            }
            return Schema(fields)
        }
        let sink = SamplingSink(format: format, nested: options.nested)
        var remaining = options.sampleRecords
        for file in files where remaining > 0 {
            remaining -= try sample(file, format: format, options: options, into: sink, records: remaining)
        }
        guard !sink.names.isEmpty else {
            throw TarnError.semantic("cannot infer columns: no records in \(files.first?.displayPath ?? "the files given")"
                                     + (files.count > 1 ? " (\(files.count) files)" : "") + "; give them with columns => 'name TYPE, …'")
        }
        return Schema(zip(sink.names, sink.types).map { Field(name: $0, type: $1.resolved) })
    }

    /// The field names (and sampled types) of one file's first `records` records.
    public static func fields(of file: SourceFile, format: IngestFormat, options: IngestOptions, records: Int) throws -> [Field] {
        if format == .parquet { return try ParquetLoadReader.fields(of: file) }
        let sink = SamplingSink(format: format, nested: options.nested)
        _ = try sample(file, format: format, options: options, into: sink, records: records)
        return zip(sink.names, sink.types).map { Field(name: $0, type: $1.resolved) }
    }

    private static func sample(_ file: SourceFile, format: IngestFormat, options: IngestOptions, into sink: SamplingSink, records: Int) throws -> Int {
        let stream = try RecordStream(file: file, format: format, options: options)
        if format == .csv {
            let header = stream.readsHeader ? try stream.readHeader() : []
            sink.positionNames = header
            for name in header where !name.isEmpty { _ = sink.index(of: name) }
            // A ragged record (more or fewer fields than the header) is skipped here, as the load rejects it.
            if !header.isEmpty { stream.expectedFields = header.count }
        }
        var taken = 0
        while taken < records {
            switch try stream.next(sink, columnName: { "#\($0)" }) {
            case .record: taken += 1
            case .rejected: continue
            case .end: return taken
            }
        }
        return taken
    }
}

/// Collects field names and types while sampling.
private final class SamplingSink: IngestRecordSink {
    let format: IngestFormat
    var names: [String] = []
    var types: [InferredType] = []
    var indexByName: [String: Int] = [:]
    /// CSV header names by position (positions beyond are `columnN`).
    var positionNames: [String] = []

    /// read_json's `nested => true`: JSON objects and arrays are typed as ROW / ARRAY values.
    let nested: Bool

    init(format: IngestFormat, nested: Bool) { self.format = format; self.nested = nested }

    func index(of name: String) -> Int {
        if let i = indexByName[name.lowercased()] { return i }
        names.append(name)
        types.append(InferredType())
        indexByName[name.lowercased()] = names.count - 1
        return names.count - 1
    }

    func beginRecord() {}

    func field(key: UnsafeBufferPointer<UInt8>, kind: IngestFieldKind, text: UnsafeBufferPointer<UInt8>) -> IngestFieldVerdict {
        let i = index(of: String(decoding: key, as: UTF8.self))
        types[i].observe(kind, text, nested: nested)
        return .accepted
    }

    func field(position: Int, kind: IngestFieldKind, text: UnsafeBufferPointer<UInt8>) -> IngestFieldVerdict {
        // Past the header's last field: a ragged record, rejected by the load, so it names no column.
        if !positionNames.isEmpty && position >= positionNames.count { return .unknownField }
        let name = position < positionNames.count && !positionNames[position].isEmpty ? positionNames[position] : "column\(position)"
        let i = index(of: name)
        types[i].observeText(text, empty: kind == .null)
        return .accepted
    }

    func commitRecord() {}
    func abortRecord() {}
}
