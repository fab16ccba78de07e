import Foundation
import Tarn
import SQL
import Storage

/// Tab-completion candidates that depend on where the cursor is, as DuckDB's shell offers them: dot commands at the
/// start of a line; tables, views and table functions after FROM / JOIN / INTO / UPDATE / TABLE / DESCRIBE (and in a
/// FROM list after a comma); a schema's tables after `schema.`; a table's (or alias's) columns after `t.`; elsewhere
/// keywords, the engine's function names and the columns of the tables the statement names. Every name offered
/// exists: catalog names come from the lake (cached, re-read after each statement), functions from the registry.
final class CompletionProvider: @unchecked Sendable {
    /// What the lake holds, read once per statement.
    struct Catalog {
        var schemas: [String] = []
        /// Tables and views with their columns, by schema.
        var relations: [(schema: String, name: String, columns: [String])] = []
    }

    private let lock = NSLock()
    private var cached: Catalog?
    private var database: Database
    private let functions: (expressions: [String], tableFunctions: [String])

    init(database: Database, functions: (expressions: [String], tableFunctions: [String])) {
        self.database = database
        self.functions = functions
    }

    func reset(database: Database) { lock.lock(); self.database = database; cached = nil; lock.unlock() }
    func invalidate() { lock.lock(); cached = nil; lock.unlock() }

    /// Keywords after which a relation name comes.
    static let relationKeywords: Set<String> = ["FROM", "JOIN", "INTO", "UPDATE", "TABLE", "DESCRIBE", "USING"]
    /// Keywords that end a FROM list (a comma after them is not between relations).
    static let clauseKeywords: Set<String> = ["SELECT", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "ON", "SET", "VALUES",
                                              "QUALIFY", "WINDOW", "UNION", "EXCEPT", "INTERSECT", "BY", "RETURNING"]

    /// Candidates for the word `prefix` at the cursor, given the statement text before it (earlier lines included).
    func candidates(for prefix: String, before context: String) -> [String] {
        let lowerPrefix = prefix.lowercased()
        let wantsLowercase = prefix.first.map { $0.isLowercase } ?? false
        var out: [String] = []
        var seen = Set<String>()
        func offer(_ word: String, caseFollowsUser: Bool = false) {
            guard word.lowercased().hasPrefix(lowerPrefix) else { return }
            let shown = caseFollowsUser && wantsLowercase ? word.lowercased() : word
            if seen.insert(shown).inserted { out.append(shown) }
        }
        let trimmedContext = context.trimmingCharacters(in: .whitespacesAndNewlines)
        if prefix.hasPrefix("."), trimmedContext.isEmpty {
            for command in DotCommand.names { offer(command) }
            return out
        }
        let catalog = self.catalog()
        let tokens = Self.tokens(context)
        let referenced = Self.referencedRelations(tokens)

        // `qualifier.partial`: a schema's relations, or a table's / alias's columns.
        if let dot = prefix.lastIndex(of: ".") {
            let qualifier = prefix[..<dot].lowercased()
            let head = String(prefix[...dot])
            if catalog.schemas.contains(where: { $0.lowercased() == qualifier }) {
                for r in catalog.relations where r.schema.lowercased() == qualifier { offer(head + r.name) }
            }
            let table = referenced.first { $0.alias?.lowercased() == qualifier }?.name.lowercased() ?? qualifier
            for r in catalog.relations where r.name.lowercased() == table || "\(r.schema).\(r.name)".lowercased() == table {
                for column in r.columns { offer(head + column) }
            }
            return out.sorted()
        }

        if Self.expectsRelation(tokens) {
            for r in catalog.relations { offer(r.name) }
            for schema in catalog.schemas { offer(schema + ".") }
            for name in functions.tableFunctions { offer(name, caseFollowsUser: true) }
            return out.sorted()
        }

        for r in referenced {
            let name = r.name.lowercased()
            for relation in catalog.relations where relation.name.lowercased() == name || "\(relation.schema).\(relation.name)".lowercased() == name {
                for column in relation.columns { offer(column) }
            }
            if let alias = r.alias { offer(alias) }
        }
        for keyword in SQLKeywords.all { offer(keyword, caseFollowsUser: true) }
        for function in functions.expressions { offer(function, caseFollowsUser: true) }
        return out.sorted()
    }

    /// Words, quoted names and punctuation of `text`, without string literals and comments (upper-cased words keep
    /// their written form in `text`; `upper` is for keyword tests).
    static func tokens(_ text: String) -> [(text: String, upper: String)] {
        var out: [(String, String)] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "'" {
                i += 1
                while i < chars.count, chars[i] != "'" { i += 1 }
                i += 1
                out.append(("''", "''"))
            } else if c == "-", i + 1 < chars.count, chars[i + 1] == "-" {
                while i < chars.count, chars[i] != "\n" { i += 1 }
            } else if c == "\"" {
                var j = i + 1
                while j < chars.count, chars[j] != "\"" { j += 1 }
                let name = String(chars[min(i + 1, chars.count)..<min(j, chars.count)])
                out.append((name, name.uppercased()))
                i = j + 1
            } else if c.isLetter || c == "_" {
                var j = i
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" || chars[j] == "." { j += 1 }
                let word = String(chars[i..<j])
                out.append((word, word.uppercased()))
                i = j
            } else if c.isWhitespace {
                i += 1
            } else {
                out.append((String(c), String(c)))
                i += 1
            }
        }
        return out
    }

    /// Whether the next word is a relation name: right after FROM / JOIN / …, or after a comma in a FROM list.
    static func expectsRelation(_ tokens: [(text: String, upper: String)]) -> Bool {
        guard let last = tokens.last else { return false }
        if relationKeywords.contains(last.upper) { return true }
        guard last.text == "," else { return false }
        var depth = 0
        for token in tokens.dropLast().reversed() {
            if token.text == ")" { depth += 1; continue }
            if token.text == "(" { if depth == 0 { return false }; depth -= 1; continue }
            guard depth == 0 else { continue }
            if token.upper == "FROM" { return true }
            if clauseKeywords.contains(token.upper) || token.upper == "JOIN" { return false }
        }
        return false
    }

    /// Relations the statement names after FROM / JOIN / UPDATE / INTO (and commas in FROM lists), with aliases.
    static func referencedRelations(_ tokens: [(text: String, upper: String)]) -> [(name: String, alias: String?)] {
        var out: [(String, String?)] = []
        var i = 0
        var inFromList = false
        while i < tokens.count {
            let t = tokens[i]
            let startsRelation = relationKeywords.contains(t.upper) || (inFromList && t.text == ",")
            if t.upper == "FROM" { inFromList = true } else if clauseKeywords.contains(t.upper) { inFromList = false }
            if startsRelation, i + 1 < tokens.count, let first = tokens[i + 1].text.first, first.isLetter || first == "_" {
                let name = tokens[i + 1].text
                var alias: String? = nil
                var k = i + 2
                if k < tokens.count, tokens[k].upper == "AS" { k += 1 }
                if k < tokens.count, let a = tokens[k].text.first, a.isLetter || a == "_",
                   !SQLKeywords.all.contains(tokens[k].upper) {
                    alias = tokens[k].text
                }
                out.append((name, alias))
            }
            i += 1
        }
        return out
    }

    private func catalog() -> Catalog {
        lock.lock(); defer { lock.unlock() }
        if let cached { return cached }
        var catalog = Catalog()
        let lake = database.lake
        catalog.schemas = (try? lake.schemaNames()) ?? []
        for table in (try? lake.tableNames(schema: nil)) ?? [] {
            let columns = (try? lake.snapshot(of: table).schema.names) ?? []
            catalog.relations.append((table.schema, table.name, columns))
        }
        for view in (try? lake.viewNames(schema: nil)) ?? [] {
            let columns = (try? lake.view(view))?.columnNames ?? []
            catalog.relations.append((view.schema, view.name, columns))
        }
        cached = catalog
        return catalog
    }
}
