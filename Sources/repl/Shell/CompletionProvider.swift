import Foundation
import Tarn
import SQL
import Storage

/// Tab-completion candidates: SQL keywords, function names, dot commands, and the lake's tables,
/// views and their columns (catalog names are cached and refreshed after each statement).
final class CompletionProvider: @unchecked Sendable {
    private let lock = NSLock()
    private var catalogNames: [String]?
    private var database: Database

    init(database: Database) { self.database = database }

    func reset(database: Database) { lock.lock(); self.database = database; catalogNames = nil; lock.unlock() }
    func invalidate() { lock.lock(); catalogNames = nil; lock.unlock() }

    /// Candidates starting with `prefix` (case-insensitive), keywords in the case the user types.
    func candidates(for prefix: String) -> [String] {
        let lowerPrefix = prefix.lowercased()
        let wantsLowercase = prefix.first.map { $0.isLowercase } ?? false
        var out: [String] = []
        var seen = Set<String>()
        func offer(_ word: String, caseFollowsUser: Bool) {
            guard word.lowercased().hasPrefix(lowerPrefix) else { return }
            let shown = caseFollowsUser && wantsLowercase ? word.lowercased() : word
            if seen.insert(shown).inserted { out.append(shown) }
        }
        if prefix.hasPrefix(".") {
            for command in DotCommand.names { offer(command, caseFollowsUser: false) }
            return out
        }
        for name in names() { offer(name, caseFollowsUser: false) }
        for keyword in SQLKeywords.all { offer(keyword, caseFollowsUser: true) }
        for function in SQLVocabulary.functionNames { offer(function, caseFollowsUser: true) }
        return out.sorted()
    }

    private func names() -> [String] {
        lock.lock(); defer { lock.unlock() }
        if let catalogNames { return catalogNames }
        var names = Set<String>()
        let lake = database.lake
        if let schemas = try? lake.schemaNames() { names.formUnion(schemas) }
        let tables = (try? lake.tableNames(schema: nil)) ?? []
        for table in tables {
            names.insert(table.name)
            if let schema = try? lake.snapshot(of: table).schema { names.formUnion(schema.names) }
        }
        for view in (try? lake.viewNames(schema: nil)) ?? [] {
            names.insert(view.name)
            if let info = try? lake.view(view) { names.formUnion(info.columnNames) }
        }
        let sorted = names.sorted()
        catalogNames = sorted
        return sorted
    }
}
