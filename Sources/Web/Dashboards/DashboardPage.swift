/// A dashboard as written: a Markdown page with fenced blocks. ```` ```sql NAME ```` defines a query,
/// ```` ```chart type=bar data=NAME x=col y=col ```` draws one, ```` ```filter name=country type=select data=NAME ````
/// adds a filter (a URL query parameter, bound into SQL as `${country}`). Options go in the fence's info string
/// or as `key=value` / `key: value` lines in the block. Everything else is Markdown text (headings, paragraphs, lists).
public struct DashboardPage: Sendable {
    /// One piece of the page, in order.
    public enum Block: Sendable {
        case heading(level: Int, text: String)
        case paragraph(String)
        case list([String])
        case query(name: String, sql: String)
        case chart(options: [String: String], line: Int)
        case filter(options: [String: String], line: Int)
    }

    public var title: String
    public var blocks: [Block]

    /// Parses Markdown text; a fence left open is an error naming its line.
    public static func parse(_ text: String, fallbackTitle: String) throws -> DashboardPage {
        var blocks: [Block] = []
        var title: String?
        var paragraph: [String] = []
        var list: [String] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).replacingOccurrences(of: "\r", with: "") }
        func flush() {
            if !paragraph.isEmpty { blocks.append(.paragraph(paragraph.joined(separator: " "))); paragraph = [] }
            if !list.isEmpty { blocks.append(.list(list)); list = [] }
        }
        var i = 0
        while i < lines.count {
            let line = lines[i]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") {
                flush()
                let info = String(trimmed.dropFirst(3)).trimmingCharacters(in: .whitespaces)
                let start = i + 1
                var body: [String] = []
                i += 1
                while i < lines.count, !lines[i].trimmingCharacters(in: .whitespaces).hasPrefix("```") { body.append(lines[i]); i += 1 }
                guard i < lines.count else { throw DashboardError("line \(start): the block opened here is never closed with ```") }
                i += 1
                let kind = info.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
                let rest = info.dropFirst(kind.count).trimmingCharacters(in: .whitespaces)
                switch kind.lowercased() {
                case "sql":
                    let name = rest.split(separator: " ").first.map(String.init) ?? ""
                    guard !name.isEmpty else { throw DashboardError("line \(start): a sql block needs a name: ```sql NAME") }
                    blocks.append(.query(name: name, sql: body.joined(separator: "\n")))
                case "chart", "filter":
                    var options = try Self.options(rest, line: start)
                    for (offset, bodyLine) in body.enumerated() where !bodyLine.trimmingCharacters(in: .whitespaces).isEmpty {
                        for (k, v) in try Self.options(bodyLine, line: start + offset + 1) { options[k] = v }
                    }
                    blocks.append(kind.lowercased() == "chart" ? .chart(options: options, line: start) : .filter(options: options, line: start))
                default:
                    blocks.append(.paragraph(body.joined(separator: "\n")))
                }
                continue
            }
            if trimmed.isEmpty { flush(); i += 1; continue }
            if trimmed.hasPrefix("#") {
                flush()
                let level = trimmed.prefix(while: { $0 == "#" }).count
                let text = trimmed.dropFirst(level).trimmingCharacters(in: .whitespaces)
                if level == 1, title == nil { title = text }
                blocks.append(.heading(level: min(level, 6), text: text))
            } else if trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") {
                if !paragraph.isEmpty { flush() }
                list.append(String(trimmed.dropFirst(2)))
            } else {
                if !list.isEmpty { flush() }
                paragraph.append(trimmed)
            }
            i += 1
        }
        flush()
        return DashboardPage(title: title ?? fallbackTitle, blocks: blocks)
    }

    /// `key=value key2="two words"` or `key: value`.
    static func options(_ text: String, line: Int) throws -> [String: String] {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let colon = t.firstIndex(of: ":"), !t[..<colon].contains("="), !t[..<colon].contains(" ") {
            return [String(t[..<colon]).lowercased(): t[t.index(after: colon)...].trimmingCharacters(in: .whitespaces)]
        }
        var out: [String: String] = [:]
        var chars = Array(t)[...]
        while !chars.isEmpty {
            while chars.first == " " { chars = chars.dropFirst() }
            guard !chars.isEmpty else { break }
            let key = String(chars.prefix(while: { $0 != "=" && $0 != " " }))
            chars = chars.dropFirst(key.count)
            guard chars.first == "=" else { throw DashboardError("line \(line): expected key=value, found \(key)") }
            chars = chars.dropFirst()
            var value = ""
            if chars.first == "\"" {
                chars = chars.dropFirst()
                value = String(chars.prefix(while: { $0 != "\"" }))
                chars = chars.dropFirst(value.count)
                guard chars.first == "\"" else { throw DashboardError("line \(line): unterminated quote in \(key)=") }
                chars = chars.dropFirst()
            } else {
                value = String(chars.prefix(while: { $0 != " " }))
                chars = chars.dropFirst(value.count)
            }
            out[key.lowercased()] = value
        }
        return out
    }
}

/// A dashboard that cannot be read or rendered: what and where.
public struct DashboardError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
