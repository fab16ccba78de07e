import Foundation
import Storage
import SQL
import Execution
import Planner

/// `CREATE SECRET`, `DROP SECRET`, the secret ATTACH uses, and the redacted listing (`tarn.secrets`,
/// `duckdb_secrets()`). Messages name parameters, never their values.
extension StatementRunner {
    func createSecret(_ c: CreateSecret) throws -> StatementResult {
        let values = try StatementOptions.values(c.options, statement: "CREATE SECRET")
        guard let typeValue = values["type"] else {
            throw TarnError.semantic("CREATE SECRET needs TYPE postgres or TYPE mysql")
        }
        guard let type = StoredSecret.canonicalType(Self.optionText(typeValue)) else {
            throw TarnError.unsupported("CREATE SECRET: TYPE must be postgres or mysql, not '\(Self.optionText(typeValue))'")
        }
        let allowed = StoredSecret.allowedKeys[type] ?? []
        var parameters: [String: String] = [:]
        for (key, value) in values where key != "type" {
            guard allowed.contains(key) else {
                throw TarnError.semantic("CREATE SECRET: unknown parameter '\(key)' for TYPE \(type) (allowed: \(allowed.sorted().joined(separator: ", ")))")
            }
            guard !value.isNull else { throw TarnError.semantic("CREATE SECRET: parameter '\(key)' is NULL") }
            parameters[key == "dbname" ? "database" : key] = Self.optionText(value)
        }
        let name = c.name?.lowercased() ?? StoredSecret.defaultName(type)
        let secret = StoredSecret(name: name, type: type, parameters: parameters, persistent: !c.temporary)
        if c.temporary {
            if session.temporarySecrets[name] != nil {
                if c.ifNotExists { return message("CREATE SECRET") }
                guard c.orReplace else { throw TarnError.semantic("a temporary secret named '\(name)' already exists (CREATE OR REPLACE SECRET)") }
            }
            session.temporarySecrets[name] = secret
            return message("CREATE SECRET")
        }
        if c.ifNotExists, try SecretCatalog.lookup(lake, name) != nil { return message("CREATE SECRET") }
        try SecretCatalog.store(lake, secret, replace: c.orReplace)
        return message("CREATE SECRET")
    }

    func dropSecret(_ name: String, ifExists: Bool) throws -> StatementResult {
        let key = name.lowercased()
        if session.temporarySecrets.removeValue(forKey: key) != nil { return message("DROP SECRET") }
        if try SecretCatalog.drop(lake, key) || ifExists { return message("DROP SECRET") }
        throw TarnError.semantic("no secret named '\(name)'")
    }

    /// The secret an ATTACH of `type` uses: the one it names (`SECRET ops`), else the type's default secret when one
    /// exists, else none (the DSN and the environment then say everything).
    func attachSecret(named: String?, type: String) throws -> StoredSecret? {
        guard let named else { return try session.secret(StoredSecret.defaultName(type)) }
        guard let secret = try session.secret(named.lowercased()) else { throw TarnError.semantic("ATTACH: no secret named '\(named)'") }
        guard secret.type == type else {
            throw TarnError.semantic("ATTACH: secret '\(named)' is of TYPE \(secret.type), not \(type)")
        }
        return secret
    }

    static func optionText(_ v: Value) -> String {
        if case let .varchar(s) = v { return s }
        return v.description
    }
}

extension Session {
    /// Secret `name` (lower-case): this session's temporary one, else the catalog's.
    func secret(_ name: String) throws -> StoredSecret? {
        if let s = temporarySecrets[name] { return s }
        return try SecretCatalog.lookup(lake, name)
    }

    /// Every secret, temporary ones first, for the listings.
    func allSecrets() throws -> [StoredSecret] {
        let temporary = temporarySecrets.values.sorted { $0.name < $1.name }
        return temporary + (try SecretCatalog.all(lake).filter { temporarySecrets[$0.name] == nil })
    }
}
