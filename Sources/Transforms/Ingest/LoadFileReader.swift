import Storage

/// What `IncrementalLoader` reads one file with: batches in the table's schema, the records it rejected, and
/// the file's content hash (recorded so an unchanged file is never loaded twice).
public protocol LoadFileReader: AnyObject {
    /// The next batch in the target schema; nil at the end of the file.
    func nextBatch() throws -> Batch?
    var rejects: [IngestReject] { get }
    var rejectedCount: Int { get }
    /// The content hash (complete once `nextBatch` returned nil).
    var contentHash: UInt64 { get }
}
