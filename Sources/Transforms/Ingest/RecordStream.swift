import Foundation
import Storage

/// Reads one file's records in bounded memory: fixed-size blocks into a buffer that holds the current block
/// (and a record cut by the block boundary), decoded record by record into a sink. Tracks line numbers for
/// rejects and hashes the content while reading (the same hash `ContentHasher.hashFile` gives).
final class RecordStream {
    /// What one step produced.
    enum Event {
        case record
        case rejected(IngestReject)
        case end
    }

    let file: SourceFile
    let format: IngestFormat
    private let source: BlockFile
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var filled = 0
    private var begin = 0
    private var atEOF = false
    private var line = 1
    private var lineCountedTo = 0
    private(set) var hasher = ContentHasher()
    private var json = JSONRecordDecoder()
    private var csv: CSVRecordDecoder
    /// CSV: the first line is read as column names (given, or sniffed when not).
    private(set) var readsHeader: Bool
    /// CSV column names (after `readHeader`); nil for JSON or a CSV without header.
    private(set) var header: [String]?

    /// Largest record accepted (a record larger than this is a malformed file, not a reason to use all memory).
    static let maxRecordBytes = 256 << 20

    init(file: SourceFile, format: IngestFormat, options: IngestOptions) throws {
        guard format != .parquet else {
            throw TarnError.unsupported("\(file.displayPath): Parquet files are read with read_parquet (or loaded with COPY INTO … FORMAT parquet)")
        }
        self.file = file
        self.format = format
        source = try BlockFile(path: file.path)
        capacity = ContentHasher.blockSize * 2
        buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        csv = CSVRecordDecoder(delimiter: options.delimiter, quote: options.quote)
        // Objects stay whole for `nested => true` and for declared ROW / MAP columns (which read them as values).
        json.keepsObjects = options.nested || (options.columns?.fields.contains { $0.type.containsRowOrMap } ?? false)
        readsHeader = format == .csv && options.header
        try fill()
        // A UTF-8 byte order mark is not part of the first record (it would end up in the first column's name).
        if filled >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF {
            begin = 3
            lineCountedTo = 3
        }
        if format == .csv {
            let sample = UnsafeBufferPointer(start: buffer + begin, count: filled - begin)
            let (delimiter, quote) = CSVDelimiterSniffer.dialect(sample, complete: atEOF, delimiter: options.delimiterGiven ? options.delimiter : nil,
                                                                 quote: options.quoteGiven ? options.quote : nil)
            csv = CSVRecordDecoder(delimiter: delimiter, quote: quote)
            if options.header, !options.headerGiven {
                readsHeader = CSVHeaderSniffer.firstLineIsHeader(sample, delimiter: delimiter, quote: quote, complete: atEOF)
            }
        }
    }

    deinit {
        buffer.deallocate()
        source.close()
    }

    /// Fields every CSV record must have.
    var expectedFields: Int? {
        get { csv.expectedFields }
        set { csv.expectedFields = newValue }
    }

    /// Reads the CSV header line (once); returns the names (empty for an empty file).
    func readHeader() throws -> [String] {
        if let header { return header }
        guard readsHeader else { return [] }
        while true {
            if let (fields, end) = csv.header(buffer, start: begin, count: filled, atEOF: atEOF) {
                if fields.isEmpty && end > begin && !(atEOF && end >= filled) { begin = end; continue }
                begin = end
                header = fields
                return fields
            }
            try fill()
        }
    }

    /// Decodes the next record into `sink`.
    func next<S: IngestRecordSink>(_ sink: S, columnName: (Int) -> String) throws -> Event {
        if readsHeader && header == nil { _ = try readHeader() }
        while true {
            if begin >= filled && atEOF {
                if format == .json, json.takeUnclosedArray() {
                    countLines(upTo: min(begin, filled))
                    return .rejected(IngestReject(file: file.displayPath, line: line, column: nil, raw: "",
                                                  reason: "the file ends inside a JSON array: its closing ']' is missing (truncated file?)"))
                }
                return .end
            }
            let start = begin
            let outcome: IngestRecordOutcome
            switch format {
            case .json: outcome = json.decode(buffer, start: start, count: filled, atEOF: atEOF, into: sink, columnName: columnName)
            case .csv: outcome = csv.decode(buffer, start: start, count: filled, atEOF: atEOF, into: sink, columnName: columnName)
            case .parquet: return .end  // never: init refuses Parquet
            }
            switch outcome {
            case let .record(end):
                begin = end
                return .record
            case let .skipped(end):
                begin = end
            case .incomplete:
                try fill()
            case let .rejected(end, reason, column, offset):
                begin = max(end, start + 1)
                countLines(upTo: start)
                let problemAt = start + max(0, offset)
                let problemLine = problemAt >= begin ? line : line + newlines(from: start, to: min(problemAt, filled))
                var rawEnd = min(begin, filled)
                while rawEnd > start, buffer[rawEnd - 1] == 0x0A || buffer[rawEnd - 1] == 0x0D { rawEnd -= 1 }
                let rawBytes = UnsafeBufferPointer(start: buffer + start, count: min(rawEnd - start, IngestReject.maxRawBytes))
                let where_ = format == .json && column == nil ? " (at byte \(offset + 1) of the record)" : ""
                return .rejected(IngestReject(file: file.displayPath, line: problemLine, column: column,
                                              raw: String(decoding: rawBytes, as: UTF8.self), reason: reason + where_))
            }
        }
    }

    /// Line number of the record that starts at the current position.
    var currentLine: Int {
        countLines(upTo: begin)
        return line
    }

    private func countLines(upTo position: Int) {
        guard position > lineCountedTo else { return }
        line += newlines(from: lineCountedTo, to: position)
        lineCountedTo = position
    }

    private func newlines(from a: Int, to b: Int) -> Int {
        var count = 0
        var p = UnsafeRawPointer(buffer + a)
        var remaining = b - a
        while remaining > 0, let hit = memchr(p, 0x0A, remaining) {
            count += 1
            let consumed = UnsafeRawPointer(hit) - p + 1
            p = UnsafeRawPointer(hit) + 1
            remaining -= consumed
        }
        return count
    }

    /// Moves the unread bytes to the front and reads the next block after them.
    private func fill() throws {
        guard !atEOF else { return }
        countLines(upTo: begin)
        if begin > 0 {
            let keep = filled - begin
            if keep > 0 { memmove(buffer, buffer + begin, keep) }
            lineCountedTo = max(0, lineCountedTo - begin)
            filled = keep
            begin = 0
        }
        if capacity - filled < ContentHasher.blockSize {
            guard filled <= Self.maxRecordBytes else {
                throw TarnError.io("\(file.displayPath): a record at line \(line) is larger than \(Self.maxRecordBytes >> 20) MB")
            }
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            bigger.update(from: buffer, count: filled)
            buffer.deallocate()
            buffer = bigger
            capacity *= 2
        }
        let block = UnsafeMutableRawBufferPointer(start: buffer + filled, count: ContentHasher.blockSize)
        let n: Int
        do { n = try source.readBlock(into: block) } catch let e as TarnError { throw TarnError.io("\(file.displayPath): \(e.message)") }
        if n > 0 { hasher.add(UnsafeRawBufferPointer(rebasing: block[0..<n])) }
        filled += n
        if n < ContentHasher.blockSize { atEOF = true }
    }
}
