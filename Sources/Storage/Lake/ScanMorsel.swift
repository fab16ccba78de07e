/// One unit of scan work: a row group of a data file.
public struct ScanMorsel: Sendable {
    /// Index into the snapshot's file list.
    public var fileIndex: Int
    public var rowGroup: Int
    public var rowCount: Int
    /// Compressed bytes of the whole row group (for progress and skipping figures).
    public var byteSize: Int
    /// Bit `p` set: statistics prove that every row satisfies predicate `p` of the plan's predicate list (for
    /// the first 64 predicates), so a filter conjunct stating exactly that predicate can be skipped here.
    public var provenPredicates: UInt64
    public init(fileIndex: Int, rowGroup: Int, rowCount: Int, byteSize: Int, provenPredicates: UInt64 = 0) {
        self.fileIndex = fileIndex; self.rowGroup = rowGroup; self.rowCount = rowCount; self.byteSize = byteSize
        self.provenPredicates = provenPredicates
    }
}
