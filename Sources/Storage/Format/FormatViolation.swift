/// A structural problem found while parsing file bytes; the reader wraps it into a
/// `TarnError(.corruption, …)` naming the file and the chunk.
struct FormatViolation: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
