/// One unit of scan work: a row group of a data file.
public struct ScanMorsel: Sendable {
    /// Index into the snapshot's file list.
    public var fileIndex: Int
    public var rowGroup: Int
    public var rowCount: Int
    /// Compressed bytes of the whole row group (for progress and skipping figures).
    public var byteSize: Int
    public init(fileIndex: Int, rowGroup: Int, rowCount: Int, byteSize: Int) {
        self.fileIndex = fileIndex; self.rowGroup = rowGroup; self.rowCount = rowCount; self.byteSize = byteSize
    }
}
