import Foundation
import Storage

/// One row as a JSON object text (`{"col": value, …}`), for the violations record.
enum RowJSON {
    static func encode(_ batch: Batch, row: Int, names: [String]) -> String {
        var out = "{"
        for (c, name) in names.enumerated() where c < batch.columns.count {
            if c > 0 { out += "," }
            out += quote(name) + ":"
            let v = batch.columns[c].value(at: row)
            switch v {
            case .null: out += "null"
            case let .boolean(b): out += b ? "true" : "false"
            case .integer, .bigint, .decimal, .decimal128: out += v.description
            case let .double(d): out += d.isFinite ? "\(d)" : "null"
            default: out += quote(v.description)
            }
        }
        return out + "}"
    }

    static func quote(_ s: String) -> String { JSONText.quoted(s) }
}
