import Foundation

extension Lake {
    /// `ALTER TABLE t SET TBLPROPERTIES (…)`: merges `properties` into the table's (a catalog change, not a new
    /// table version; `properties(of:)` reads them, e.g. `freshness` for `tarn serve`'s freshness checks).
    public func setProperties(_ name: TableName, _ properties: [String: String]) throws {
        try requireWritable()
        try catalog.writeTransaction { tx in
            let record = try requireTable(tx, name)
            let text = try tx.query("SELECT properties FROM tables WHERE table_id = ?", [.integer(record.id)]).first?[0].string ?? "{}"
            var merged = (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
            for (key, value) in properties { merged[key] = value }
            let encoded = String(decoding: try JSONEncoder().encode(merged), as: UTF8.self)
            try tx.execute("UPDATE tables SET properties = ? WHERE table_id = ?", [.text(encoded), .integer(record.id)])
        }
    }
}
