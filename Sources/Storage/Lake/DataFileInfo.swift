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
}
