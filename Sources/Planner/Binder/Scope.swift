import Storage
import SQL

/// The columns visible at one point of a query, for resolving `c`, `t.c` and `s.t.c`.
struct Scope {
    var columns: [PlanColumn]
    /// Ids not reachable by an unqualified name (the right-hand copies of `JOIN … USING` columns).
    var hiddenFromUnqualified: Set<Int> = []

    init(_ columns: [PlanColumn]) { self.columns = columns }

    enum Lookup { case found(PlanColumn), ambiguous, missing }

    func lookup(_ parts: [String]) -> Lookup {
        guard let name = parts.last?.lowercased() else { return .missing }
        let qualifier = parts.count >= 2 ? parts[parts.count - 2].lowercased() : nil
        var matches: [PlanColumn] = []
        for c in columns where c.name.lowercased() == name {
            if let qualifier {
                if c.qualifier?.lowercased() == qualifier { matches.append(c) }
            } else if !hiddenFromUnqualified.contains(c.id) {
                matches.append(c)
            }
        }
        if matches.count == 1 { return .found(matches[0]) }
        if matches.isEmpty { return .missing }
        // The same column reached twice (e.g. through a view's duplicate alias) is not ambiguous.
        if Set(matches.map(\.id)).count == 1 { return .found(matches[0]) }
        return .ambiguous
    }

    /// Columns a `*` or `t.*` expands to.
    func star(qualifier: [String]?) -> [PlanColumn] {
        let visible = columns.filter { !$0.hidden }
        guard let q = qualifier?.last?.lowercased() else {
            return visible.filter { !hiddenFromUnqualified.contains($0.id) }
        }
        return visible.filter { $0.qualifier?.lowercased() == q }
    }

    func hasQualifier(_ q: String) -> Bool { columns.contains { $0.qualifier?.lowercased() == q.lowercased() } }

    /// The visible name closest to `name`, for "did you mean" hints.
    func suggestion(for name: String) -> String? {
        NameSuggestion.closest(to: name, among: columns.map(\.name))
    }
}

/// Edit-distance suggestions for unknown names.
enum NameSuggestion {
    static func closest(to name: String, among candidates: [String]) -> String? {
        let target = Array(name.lowercased())
        var best: (String, Int)? = nil
        for c in Set(candidates) {
            let d = distance(target, Array(c.lowercased()))
            if d <= max(1, target.count / 3), best == nil || d < best!.1 { best = (c, d) } // invariant: best checked non-nil
        }
        return best?.0
    }

    static func hint(for name: String, among candidates: [String]) -> String {
        closest(to: name, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    private static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = prev
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}
