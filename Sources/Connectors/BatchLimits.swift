/// How much a PostgreSQL or MySQL scan puts in one batch: at most its `batchRows` rows and about `bytes` of row
/// data (the batch ends after the row that crosses it), so a table of wide rows (JSON documents, long texts) is read
/// in the same bounded memory as a narrow one.
enum BatchLimits {
    static let bytes = 8 << 20
}
