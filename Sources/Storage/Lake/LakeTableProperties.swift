import Foundation

/// Table properties set after creation (`ALTER TABLE t SET TBLPROPERTIES (…)`): merged into the table's
/// properties in the catalog. Not a new version of the table; CREATE OR REPLACE replaces them.
extension Lake {
    /// Sets `properties` on the table (an empty value removes the key).
    public func setProperties(_ name: TableName, _ properties: [String: String]) throws {
        try requireWritable()
        try catalog.writeTransaction { tx in
            let record = try requireTable(tx, name)
            let text = try tx.query("SELECT properties FROM tables WHERE table_id = ?", [.integer(record.id)]).first?[0].string ?? "{}"
            var merged = (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
            for (key, value) in properties { merged[key] = value.isEmpty ? nil : value }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let json = String(decoding: try encoder.encode(merged), as: UTF8.self)
            try tx.execute("UPDATE tables SET properties = ? WHERE table_id = ?", [.text(json), .integer(record.id)])
        }
    }
}
