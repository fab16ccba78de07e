import Foundation
import Storage
import Execution
import Planner

/// `tarn.secrets` and `duckdb_secrets()`: one row per secret, its password shown as `redacted`.
enum SecretRelations {
    static let columns: [Field] = [
        Field(name: "name", type: .varchar), Field(name: "type", type: .varchar), Field(name: "provider", type: .varchar),
        Field(name: "persistent", type: .boolean), Field(name: "storage", type: .varchar), Field(name: "secret_string", type: .varchar),
    ]

    static func relation(_ session: Session) -> (columns: [Field], factory: OperatorFactory) {
        (columns, OperatorFactory { [weak session] in
            let rows: [[Value]] = try (session?.allSecrets() ?? []).map { s in
                [.varchar(s.name), .varchar(s.type), .varchar("config"), .boolean(s.persistent),
                 .varchar(s.persistent ? "catalog" : "memory"), .varchar(s.redacted)]
            }
            return IngestRelations.values(columns, rows)
        })
    }

    static func tableFunction(_ session: Session) -> TableFunctionDefinition {
        TableFunctionDefinition(name: "duckdb_secrets") { [weak session] call in
            guard call.positional.isEmpty, let session else { throw TarnError.semantic("duckdb_secrets() takes no arguments") }
            return relation(session)
        }
    }
}
