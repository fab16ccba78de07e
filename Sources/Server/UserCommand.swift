/// `CREATE USER name [WITH] PASSWORD '…' [READ ONLY]`, `ALTER USER name [WITH] PASSWORD '…' | READ ONLY |
/// READ WRITE`, `DROP USER [IF EXISTS] name` (also spelled ROLE). A password written as a SCRAM-SHA-256
/// verifier (what psql's `\password` sends) is stored as given.
enum UserCommand: Equatable {
    case create(name: String, password: String, readOnly: Bool)
    case alter(name: String, password: String?, readOnly: Bool?)
    case drop(name: String, ifExists: Bool)

    static func parse(_ text: String) -> UserCommand? {
        let tokens = tokenize(text)
        guard tokens.count >= 3 else { return nil }
        let verb = tokens[0].lowercased(), noun = tokens[1].lowercased()
        guard ["create", "alter", "drop"].contains(verb), noun == "user" || noun == "role" else { return nil }
        var i = 2
        if verb == "drop" {
            var ifExists = false
            if tokens.count >= 5, tokens[2].lowercased() == "if", tokens[3].lowercased() == "exists" { ifExists = true; i = 4 }
            guard i < tokens.count else { return nil }
            return .drop(name: identifier(tokens[i]), ifExists: ifExists)
        }
        let name = identifier(tokens[i])
        i += 1
        var password: String?
        var readOnly: Bool?
        while i < tokens.count {
            switch tokens[i].lowercased() {
            case "with", "login", "nologin", "inherit", "noinherit": i += 1
            case "password":
                guard i + 1 < tokens.count, tokens[i + 1].hasPrefix("'") else { return nil }
                password = ClientCompatibility.unquote(tokens[i + 1])
                i += 2
            case "read":
                guard i + 1 < tokens.count else { return nil }
                switch tokens[i + 1].lowercased() {
                case "only": readOnly = true
                case "write": readOnly = false
                default: return nil
                }
                i += 2
            default: return nil
            }
        }
        if verb == "create" {
            guard let password else { return nil }
            return .create(name: name, password: password, readOnly: readOnly ?? false)
        }
        guard password != nil || readOnly != nil else { return nil }
        return .alter(name: name, password: password, readOnly: readOnly)
    }

    /// Words, `'strings'` (with `''`) and `"identifiers"` as tokens; a trailing `;` is dropped.
    private static func tokenize(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var quote: Character?
        for c in text {
            if let q = quote {
                current.append(c)
                if c == q { quote = nil }
                continue
            }
            if c == "'" || c == "\"" {
                // A doubled quote continues the same token.
                quote = c
                current.append(c)
            } else if c.isWhitespace || c == ";" {
                if !current.isEmpty { tokens.append(current); current = "" }
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    private static func identifier(_ token: String) -> String {
        if token.count >= 2, token.hasPrefix("\""), token.hasSuffix("\"") {
            return String(token.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
        }
        return token.lowercased()
    }
}
