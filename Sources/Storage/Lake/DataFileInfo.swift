/// One data file of a table snapshot, as the catalog records it (no need to open the file).
public struct DataFileInfo: Sendable {
    /// Absolute path of the file.
    public var path: String
    /// Path relative to the lake directory, as stored in the catalog (`data/<table-uuid>/<file-uuid>.tarn`).
    public var relativePath: String
    public var rowCount: Int
    /// Size of the file in bytes.
    public var byteSize: Int
    public var rowGroupCount: Int
    /// The version that added the file.
    public var addedVersion: Int64
    /// File-level statistics keyed by column id (see `TableSnapshot.columnIds`). A column missing here is
    /// either all NULL in this file (added after it was written) or has no statistics.
    public var columnStatistics: [Int32: ColumnStatistics]
    /// Catalog row id.
    var fileId: Int64
    /// Rows of the file this version no longer holds (nil: none). `rowCount` counts only the other rows; a reader
    /// must leave these out (`TableSnapshot` does).
    public var deletionVector: DeletionVector? = nil

    /// Rows stored in the file, deleted ones included.
    public var physicalRowCount: Int { rowCount + (deletionVector?.count ?? 0) }

    /// Identifies the rows this entry stands for: the path, and the deletion vector when there is one (one data
    /// file with different deletion vectors in different versions holds different rows).
    public var contentKey: String {
        guard let deletionVector else { return relativePath }
        return relativePath + "#dv" + String(deletionVector.count) + "-" + String(deletionVector.digest, radix: 16)
    }
}
