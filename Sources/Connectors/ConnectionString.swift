import Foundation

/// A database connection string as the user wrote it (`postgresql://user:pw@host:port/db`, libpq's
/// `host=… dbname=…`, `mysql://…`), with the one form of it that may be shown anywhere: `redacted`, which keeps
/// user, host, port and database and drops every password.
public struct ConnectionString: Sendable, CustomStringConvertible {
    /// The string as given, password included: only ever handed to the client library.
    public let raw: String
    /// The connection parameters, parsed from either form (keys lower-case; `password` included).
    public let parameters: [String: String]

    public init(_ raw: String) {
        self.raw = raw
        parameters = Self.parse(raw)
    }

    /// A keyword-form string (`host='h' port='5432' dbname='d' …`) of `base` (a stored secret's settings), with
    /// whatever `dsn` names itself taking precedence. `database` / `db` are spelled `dbname`, as libpq wants.
    public init(_ dsn: String, over base: [String: String]) {
        var merged: [String: String] = [:]
        for (k, v) in base { merged[Self.canonicalKey(k)] = v }
        for (k, v) in Self.parse(dsn) { merged[Self.canonicalKey(k)] = v }
        let quoted = merged.keys.sorted().map { key in
            let value = merged[key, default: ""].replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
            return "\(key)='\(value)'"
        }
        self.init(quoted.joined(separator: " "))
    }

    static func canonicalKey(_ key: String) -> String {
        switch key.lowercased() {
        case "database", "db": return "dbname"
        case "passwd": return "password"
        default: return key.lowercased()
        }
    }

    /// `user@host:port/db` (whatever of it the string names); never a password.
    public var redacted: String {
        let user = parameters["user"].map { $0 + "@" } ?? ""
        let host = parameters["host"] ?? parameters["hostaddr"] ?? "localhost"
        let port = parameters["port"].map { ":" + $0 } ?? ""
        let db = (parameters["dbname"] ?? parameters["database"] ?? parameters["db"]).map { "/" + $0 } ?? ""
        return user + host + port + db
    }

    public var description: String { redacted }

    /// The password the string carries (nil when it has none: the client library then looks in the environment).
    public var password: String? { parameters["password"] }

    /// `text` with every occurrence of the password (raw and percent-encoded) and of the raw string replaced, for
    /// messages from a client library or server that might quote them.
    public func scrub(_ text: String) -> String {
        var out = text
        if raw.count > 0 { out = out.replacingOccurrences(of: raw, with: redacted) }
        if let pw = password, !pw.isEmpty {
            out = out.replacingOccurrences(of: pw, with: "***")
            if let encoded = pw.addingPercentEncoding(withAllowedCharacters: .alphanumerics), encoded != pw {
                out = out.replacingOccurrences(of: encoded, with: "***")
            }
        }
        return out
    }

    static func parse(_ raw: String) -> [String: String] {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        if let scheme = trimmed.range(of: "://") {
            return parseURL(String(trimmed[scheme.upperBound...]))
        }
        return parseKeywords(trimmed)
    }

    /// `user:password@host:port/db?key=value&…` (the part after `scheme://`), percent-decoded.
    static func parseURL(_ rest: String) -> [String: String] {
        var out: [String: String] = [:]
        var body = rest
        if let q = body.firstIndex(of: "?") {
            for pair in body[body.index(after: q)...].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
                if kv.count == 2 { out[kv[0].lowercased()] = kv[1].removingPercentEncoding ?? kv[1] }
            }
            body = String(body[..<q])
        }
        if let at = body.lastIndex(of: "@") {
            let userinfo = body[..<at]
            let parts = userinfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            if let u = parts.first, !u.isEmpty { out["user"] = u.removingPercentEncoding ?? u }
            if parts.count == 2 { out["password"] = parts[1].removingPercentEncoding ?? parts[1] }
            body = String(body[body.index(after: at)...])
        }
        var hostPort = body
        if let slash = body.firstIndex(of: "/") {
            let db = String(body[body.index(after: slash)...])
            if !db.isEmpty { out["dbname"] = db.removingPercentEncoding ?? db }
            hostPort = String(body[..<slash])
        }
        if hostPort.hasPrefix("["), let close = hostPort.firstIndex(of: "]") {
            out["host"] = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") { out["port"] = String(after.dropFirst()) }
        } else if let colon = hostPort.lastIndex(of: ":") {
            let h = String(hostPort[..<colon])
            if !h.isEmpty { out["host"] = h.removingPercentEncoding ?? h }
            out["port"] = String(hostPort[hostPort.index(after: colon)...])
        } else if !hostPort.isEmpty {
            out["host"] = hostPort.removingPercentEncoding ?? hostPort
        }
        return out
    }

    /// libpq's `key=value key='quoted value'` form (also DuckDB's mysql form `host=… user=… database=…`).
    static func parseKeywords(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        let chars = Array(text)
        var i = 0
        func skipSpaces() { while i < chars.count, chars[i].isWhitespace { i += 1 } }
        while true {
            skipSpaces()
            guard i < chars.count else { break }
            var key = ""
            while i < chars.count, chars[i] != "=", !chars[i].isWhitespace { key.append(chars[i]); i += 1 }
            skipSpaces()
            guard i < chars.count, chars[i] == "=" else { break }
            i += 1
            skipSpaces()
            var value = ""
            if i < chars.count, chars[i] == "'" {
                i += 1
                while i < chars.count, chars[i] != "'" {
                    if chars[i] == "\\", i + 1 < chars.count { i += 1 }
                    value.append(chars[i]); i += 1
                }
                i += 1
            } else {
                while i < chars.count, !chars[i].isWhitespace {
                    if chars[i] == "\\", i + 1 < chars.count { i += 1 }
                    value.append(chars[i]); i += 1
                }
            }
            out[key.lowercased()] = value
        }
        if let p = out.removeValue(forKey: "passwd") { out["password"] = p }
        return out
    }
}
