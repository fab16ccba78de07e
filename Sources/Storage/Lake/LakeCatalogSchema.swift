/// The SQLite schema of a lake catalog (`catalog.db`). Created on first open; statements are idempotent.
///
/// - `schemas`: namespaces; `main` always exists.
/// - `tables`: one row per live table; `uuid` names its data folder `data/<uuid>/`; `next_column_id` hands out
///   stable column ids; `oldest_readable_version` is raised by VACUUM when it deletes files older versions need.
/// - `columns`: the latest schema of each table (stable `column_id`s, used as data-file field ids).
/// - `snapshots`: every committed version of every table with its commit time, operation, JSON parameters,
///   the schema of that version (JSON) and what the commit added and removed.
/// - `data_files`: every data file a version ever referenced. A file belongs to version `v` when
///   `added_version <= v` and (`removed_version` is NULL or `> v`). Holds the row count, byte size, row-group
///   count and file-level column statistics (JSON keyed by column id); row-group statistics stay in the file footer.
/// - `deletion_vectors`: per data-file entry (`file_id`), the rows of the file that entry no longer holds
///   (`DeletionVector`): UPDATE / DELETE / MERGE on a table with `deletion_vectors = 'true'` remove the file's entry
///   and add a new entry for the same path with the grown vector, so versions, time travel and conflicts work as
///   for whole files. Created by the first such commit in lakes made before it existed.
/// - `reader_features`: per table, the capabilities a reader needs (`ReaderFeature`; `deletionVectors` once the
///   table has its first deletion vector); a build that does not know one refuses the table. Created on first use.
/// - `views`: view SQL text and column names. Tables and views share one namespace per schema.
enum LakeCatalogSchema {
    static let formatVersion = "1"

    static let deletionVectorsTable = """
        CREATE TABLE IF NOT EXISTS deletion_vectors(
            file_id INTEGER PRIMARY KEY REFERENCES data_files(file_id) ON DELETE CASCADE,
            physical_rows INTEGER NOT NULL,
            deleted_rows INTEGER NOT NULL,
            positions TEXT NOT NULL)
        """

    static let readerFeaturesTable = """
        CREATE TABLE IF NOT EXISTS reader_features(
            table_id INTEGER NOT NULL REFERENCES tables(table_id) ON DELETE CASCADE,
            feature TEXT NOT NULL,
            PRIMARY KEY(table_id, feature))
        """

    static let statements: [String] = [
        """
        CREATE TABLE IF NOT EXISTS lake_metadata(key TEXT PRIMARY KEY, value TEXT NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS schemas(
            schema_id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS tables(
            table_id INTEGER PRIMARY KEY,
            schema_id INTEGER NOT NULL REFERENCES schemas(schema_id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            uuid TEXT NOT NULL UNIQUE,
            properties TEXT NOT NULL DEFAULT '{}',
            next_column_id INTEGER NOT NULL,
            oldest_readable_version INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            UNIQUE(schema_id, name))
        """,
        """
        CREATE TABLE IF NOT EXISTS columns(
            table_id INTEGER NOT NULL REFERENCES tables(table_id) ON DELETE CASCADE,
            column_id INTEGER NOT NULL,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            nullable INTEGER NOT NULL,
            PRIMARY KEY(table_id, column_id))
        """,
        """
        CREATE TABLE IF NOT EXISTS snapshots(
            table_id INTEGER NOT NULL REFERENCES tables(table_id) ON DELETE CASCADE,
            version INTEGER NOT NULL,
            committed_at INTEGER NOT NULL,
            operation TEXT NOT NULL,
            parameters TEXT NOT NULL,
            schema_json TEXT NOT NULL,
            rows_added INTEGER NOT NULL,
            rows_removed INTEGER NOT NULL,
            files_added INTEGER NOT NULL,
            files_removed INTEGER NOT NULL,
            row_count INTEGER NOT NULL,
            PRIMARY KEY(table_id, version))
        """,
        """
        CREATE TABLE IF NOT EXISTS data_files(
            file_id INTEGER PRIMARY KEY,
            table_id INTEGER NOT NULL REFERENCES tables(table_id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            row_count INTEGER NOT NULL,
            byte_size INTEGER NOT NULL,
            row_group_count INTEGER NOT NULL,
            column_stats TEXT NOT NULL,
            added_version INTEGER NOT NULL,
            removed_version INTEGER)
        """,
        "CREATE INDEX IF NOT EXISTS data_files_by_table ON data_files(table_id, added_version)",
        "CREATE INDEX IF NOT EXISTS data_files_by_path ON data_files(path)",
        deletionVectorsTable,
        readerFeaturesTable,
        """
        CREATE TABLE IF NOT EXISTS views(
            view_id INTEGER PRIMARY KEY,
            schema_id INTEGER NOT NULL REFERENCES schemas(schema_id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            sql TEXT NOT NULL,
            column_names TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            UNIQUE(schema_id, name))
        """,
    ]
}
