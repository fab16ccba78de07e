/// The statements that register a published Delta table in other engines (`EXPORT … (FORMAT delta, PRINT_DDL)`).
public enum DeltaRegistration {
    /// One statement per engine: Spark / Databricks, Trino's Delta connector, Athena. `location` is the folder
    /// as this machine sees it; after copying it to object storage, put the bucket URI there instead.
    public static func statements(table: String, schema: String, location: String) -> [(engine: String, statement: String)] {
        func literal(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }
        func ident(_ s: String) -> String { "`" + s.replacingOccurrences(of: "`", with: "``") + "`" }
        let qualified = schema == "main" ? ident(table) : ident(schema) + "." + ident(table)
        let s3 = "s3://YOUR-BUCKET/" + (location.split(separator: "/").last.map(String.init) ?? table) + "/"
        return [
            ("spark", "CREATE TABLE IF NOT EXISTS \(qualified) USING DELTA LOCATION \(literal(location))"),
            ("trino", "CALL delta.system.register_table(schema_name => \(literal(schema)), table_name => \(literal(table)), table_location => \(literal(location)))"),
            ("athena", "CREATE EXTERNAL TABLE \(qualified) LOCATION \(literal(s3)) TBLPROPERTIES ('table_type' = 'DELTA')"),
        ]
    }
}
