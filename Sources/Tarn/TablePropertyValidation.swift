import Storage
import SQL

/// The check table properties pass before they are stored, the same for `ALTER TABLE … SET TBLPROPERTIES` and
/// `CREATE TABLE … TBLPROPERTIES (…)` / `WITH (…)`: a value Tarn could not act on is an error naming the property,
/// and nothing is stored. Other keys are kept as written. An empty value (which removes the key) always passes.
enum TablePropertyValidation {
    static func validate(_ properties: [String: String]) throws {
        try AutoOptimize.validate(properties)
        for key in properties.keys.sorted() where Lake.deletionVectorProperties.contains(key.lowercased()) {
            guard let value = properties[key], !value.isEmpty, !["true", "false"].contains(value.lowercased()) else { continue }
            throw TarnError.semantic("table property '\(key)' must be 'true' or 'false', not '\(value)'")
        }
    }
}
