import Transforms

/// An operational database attached to a session (`ATTACH 'ops.db' AS ops (TYPE sqlite)`); its tables are
/// readable as `ops.<table>` until `DETACH ops`.
struct AttachedDatabase: @unchecked Sendable {
    var alias: String
    var path: String
    var source: SQLiteSource
}
