import Foundation

/// Removes passwords from statement text before it is stored (DESCRIBE HISTORY parameters, pipeline records, the
/// REPL's history file): `scheme://user:password@` loses `:password`, `password=…` in a libpq keyword DSN becomes
/// `password=***`, and a secret's `PASSWORD 'pw'` becomes `PASSWORD '***'`.
public enum CredentialScrubber {
    public static func scrub(_ text: String) -> String {
        guard text.contains("@") || text.lowercased().contains("password") || text.lowercased().contains("passwd") else { return text }
        var out = text
        if let url = try? NSRegularExpression(pattern: "([A-Za-z][A-Za-z0-9+.-]*://[^:/@\\s']*):[^@\\s']*@") {
            out = url.stringByReplacingMatches(in: out, range: NSRange(out.startIndex..., in: out), withTemplate: "$1@")
        }
        if let keyword = try? NSRegularExpression(pattern: "(?i)\\b(password|passwd)\\s*=\\s*('(?:[^'\\\\]|\\\\.|'')*'|[^\\s']+)") {
            out = keyword.stringByReplacingMatches(in: out, range: NSRange(out.startIndex..., in: out), withTemplate: "$1=***")
        }
        // CREATE SECRET's `PASSWORD 'it''s'` (a SQL string) and `PASSWORD word` (a bare word ending the option).
        if let literal = try? NSRegularExpression(pattern: "(?i)\\b(password|passwd)(\\s+)'(?:[^']|'')*'") {
            out = literal.stringByReplacingMatches(in: out, range: NSRange(out.startIndex..., in: out), withTemplate: "$1$2'***'")
        }
        if let word = try? NSRegularExpression(pattern: "(?i)\\b(password|passwd)(\\s+)[^\\s',()=]+(?=\\s*[,)])") {
            out = word.stringByReplacingMatches(in: out, range: NSRange(out.startIndex..., in: out), withTemplate: "$1$2***")
        }
        return out
    }
}
