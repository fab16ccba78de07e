import Foundation
import Storage
import Execution
import Planner

/// `duckdb_settings()` / `tarn_settings()`: one row per setting `SET` accepts, with its current value.
enum SettingsRelation {
    static let columns: [Field] = [
        Field(name: "name", type: .varchar), Field(name: "value", type: .varchar),
        Field(name: "description", type: .varchar), Field(name: "input_type", type: .varchar),
    ]

    static func tableFunction(_ session: Session, name: String) -> TableFunctionDefinition {
        TableFunctionDefinition(name: name) { [weak session] call in
            guard call.positional.isEmpty, let session else { throw TarnError.semantic("\(name)() takes no arguments") }
            return (columns, OperatorFactory { [weak session] in
                let rows: [[Value]] = SessionSettingsCatalog.described.map { setting in
                    let value = session.flatMap { SessionSettingsCatalog.current(setting.name, of: $0) }
                    return [.varchar(setting.name), value.map(Value.varchar) ?? .null, .varchar(setting.description), .varchar(setting.inputType)]
                }
                return IngestRelations.values(columns, rows)
            })
        }
    }
}
