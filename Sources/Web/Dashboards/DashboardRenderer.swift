import Foundation
import Server
import Storage
import Tarn

/// Renders one dashboard for one request: resolves its filters in page order (a select's options may depend on
/// the filters before it, so country → state → city cascades, and a value no longer among the options is
/// dropped), binds them into the SQL blocks, runs each block's query once (through the cache) and draws the
/// charts. A failing query shows its error, with SQLSTATE, in place of what it feeds.
struct DashboardRenderer {
    let database: Database
    let cache: ResultCache
    let state: String
    let maxTableRows: Int
    /// The page's own path, for the filter form.
    let path: String
    /// `--allow-path` for the page's queries.
    let files: FileAccessGuard
    /// Results the server provides by name without SQL (e.g. `freshness`).
    var provided: [String: QueryData] = [:]

    private final class Run {
        var queries: [String: String] = [:]
        var results: [String: ResultCache.Outcome] = [:]
        var values: [String: String] = [:]
        /// Results of filter option queries run ahead (step 0), by bound SQL.
        var prefetched: [String: ResultCache.Outcome] = [:]
    }

    func render(_ page: DashboardPage, parameters: [String: String]) -> String {
        let run = Run()
        run.values = parameters
        for (name, data) in provided { run.results[name] = .rows(data) }
        for block in page.blocks { if case let .query(name, sql) = block { run.queries[name.lowercased()] = sql } }
        var filterOptions: [Int: [String]] = [:]
        // 0. Every filter's option query, bound to the values as the request gives them (and the filters' plain
        //    defaults), all at once: step 1 takes a result from here when the cascade left the values it reads alone.
        var guess = parameters
        var optionQueries: [String] = []
        for block in page.blocks {
            guard case let .filter(options, _) = block, let name = options["name"] else { continue }
            if let data = options["data"], let sql = run.queries[data.lowercased()] { optionQueries.append(sql) }
            if guess[name] == nil, let d = options["default"], d != "first" { guess[name] = d }
        }
        for (bound, outcome) in executeAll(optionQueries, values: guess) where !bound.isEmpty { run.prefetched[bound] = outcome }
        // 1. Filters, in order.
        for (i, block) in page.blocks.enumerated() {
            guard case let .filter(options, _) = block, let name = options["name"] else { continue }
            if let data = options["data"] {
                guard case let .rows(d)? = outcome(data, run) else { continue }
                let choices = d.rows.compactMap { $0.first.map(HTML.cell) }
                filterOptions[i] = choices
                if let v = run.values[name], !v.isEmpty, !choices.contains(v) { run.values[name] = nil }
                if run.values[name] == nil, options["default"] == "first", let firstChoice = choices.first { run.values[name] = firstChoice }
            }
            if run.values[name] == nil, let d = options["default"], d != "first" { run.values[name] = d }
        }
        // 2. The charts' queries, all bound now that the filters are: run at once (see `prefetch`).
        prefetch(page.blocks.compactMap { block -> String? in
            if case let .chart(options, _) = block { return options["data"] }
            return nil
        }, run)
        // 3. Blocks.
        var html = ""
        var formDone = false
        for block in page.blocks {
            switch block {
            case let .heading(level, text): html += "<h\(level)>\(inline(text))</h\(level)>\n"
            case let .paragraph(text): html += "<p>\(inline(text))</p>\n"
            case let .list(items): html += "<ul>" + items.map { "<li>\(inline($0))</li>" }.joined() + "</ul>\n"
            case .query: break
            case .filter:
                guard !formDone else { continue }
                formDone = true
                html += filterForm(page, options: filterOptions, run: run)
            case let .chart(options, line): html += chart(options, line: line, run: run)
            }
        }
        return html
    }

    /// Runs the named queries not run yet at once (`executeAll`): a page's queries are independent once its filters
    /// are bound.
    private func prefetch(_ names: [String], _ run: Run) {
        var seen = Set<String>()
        let pending = names.map { $0.lowercased() }.filter { run.results[$0] == nil && run.queries[$0] != nil && seen.insert($0).inserted }
        guard pending.count > 1 else { return }
        let done = executeAll(pending.map { run.queries[$0] ?? "" }, values: run.values, prefetched: run.prefetched)
        for (k, name) in pending.enumerated() { run.results[name] = done[k].outcome }
    }

    /// `execute` of every query on several threads at once, each in its own session as concurrent requests are: the
    /// parts of a query that run on one thread (planning, sorting, a table function) then overlap with the others
    /// instead of leaving cores idle. In the order given.
    private func executeAll(_ sqls: [String], values: [String: String], prefetched: [String: ResultCache.Outcome] = [:])
        -> [(bound: String, outcome: ResultCache.Outcome)] {
        guard sqls.count > 1 else { return sqls.map { execute($0, values: values, prefetched: prefetched) } }
        let runners = QueryRunners(count: sqls.count) { k in execute(sqls[k], values: values, prefetched: prefetched) }
        return runners.run(threads: min(sqls.count, max(2, ProcessInfo.processInfo.activeProcessorCount)))
    }

    /// The query named `name`, bound to the filters and run (once per page, through the cache).
    private func outcome(_ name: String, _ run: Run) -> ResultCache.Outcome? {
        let key = name.lowercased()
        if let done = run.results[key] { return done }
        guard let sql = run.queries[key] else {
            let e = ResultCache.Outcome.failed(ServerError(sqlState: "42P01", message: "no ```sql \(name)``` block on this page"))
            run.results[key] = e
            return e
        }
        let result = execute(sql, values: run.values, prefetched: run.prefetched).outcome
        run.results[key] = result
        return result
    }

    /// `sql` bound to `values` and run (unless `prefetched` or the cache holds its result), with the bound SQL ("" when
    /// binding failed). Thread-safe.
    private func execute(_ sql: String, values: [String: String], prefetched: [String: ResultCache.Outcome])
        -> (bound: String, outcome: ResultCache.Outcome) {
        let result: ResultCache.Outcome
        var boundSQL = ""
        do {
            let bound = try SQLParameterBinder.bind(sql, values)
            boundSQL = bound
            if let done = prefetched[bound] {
                result = done
            } else if let cached = cache.lookup(bound, state: state) {
                result = cached
            } else {
                do {
                    result = .rows(QueryData(try ReadOnlyQuery.run(bound, database: database, files: files)))
                } catch {
                    result = .failed(WireProtocolPolicy.translate(error, query: bound))
                }
                cache.store(bound, state: state, outcome: result)
            }
        } catch {
            result = .failed(ServerError(sqlState: "22023", message: "\(error)"))
        }
        return (boundSQL, result)
    }

    private func filterForm(_ page: DashboardPage, options: [Int: [String]], run: Run) -> String {
        var html = "<form class=\"filters\" method=\"get\" action=\"\(HTML.escape(path))\">"
        var declared: Set<String> = []
        for (i, block) in page.blocks.enumerated() {
            guard case let .filter(o, _) = block, let name = o["name"] else { continue }
            declared.insert(name)
            let label = HTML.escape(o["label"] ?? name)
            let value = run.values[name] ?? ""
            let id = "filter-" + HTML.escape(name)
            switch (o["type"] ?? (o["data"] == nil ? "text" : "select")).lowercased() {
            case "select":
                html += "<label for=\"\(id)\">\(label)<select id=\"\(id)\" name=\"\(HTML.escape(name))\">"
                if o["default"] != "first" { html += "<option value=\"\">All</option>" }
                for choice in options[i] ?? [] {
                    html += "<option value=\"\(HTML.escape(choice))\"\(choice == value ? " selected" : "")>\(HTML.escape(choice))</option>"
                }
                html += "</select></label>"
            case let kind:
                let inputType = kind == "date" ? "date" : (kind == "number" ? "number\" step=\"any" : "text")
                html += "<label for=\"\(id)\">\(label)<input id=\"\(id)\" type=\"\(inputType)\" name=\"\(HTML.escape(name))\" value=\"\(HTML.escape(value))\"></label>"
            }
        }
        for (k, v) in run.values.sorted(by: { $0.key < $1.key }) where !declared.contains(k) {
            html += "<input type=\"hidden\" name=\"\(HTML.escape(k))\" value=\"\(HTML.escape(v))\">"
        }
        return html + "<button type=\"submit\" id=\"apply\">Apply</button></form>\n"
    }

    private func chart(_ o: [String: String], line: Int, run: Run) -> String {
        let type = (o["type"] ?? "table").lowercased()
        guard let data = o["data"] else { return error("line \(line): chart needs data=QUERY") }
        let title = o["title"]
        switch outcome(data, run) {
        case let .failed(e)?:
            return error("\(title.map { $0 + ": " } ?? "")\(e.message) (SQLSTATE \(e.sqlState))")
        case nil:
            return error("line \(line): no query \(data)")
        case let .rows(d)?:
            do {
                switch type {
                case "kpi", "tile":
                    let column = try d.index(o["value"] ?? d.columns.first ?? "", query: data)
                    let value = d.rows.first.map { $0[column] } ?? .null
                    let id = o["id"].map { " id=\"kpi-\(HTML.escape($0))\"" } ?? ""
                    return "<div class=\"tile\"\(id)><div class=\"label\">\(HTML.escape(title ?? d.columns[column]))</div><div class=\"value\" data-raw=\"\(HTML.escape(QueryResultEncoding.literal(value)))\">\(HTML.escape(HTML.formatted(value, format: o["format"])))</div></div>"
                case "table":
                    return table(d, o, title: title, query: data)
                case "bar", "line", "area":
                    let kind = SVGChart.Kind(rawValue: type) ?? .bar
                    let series = try SVGChart.series(d, options: o, query: data, numericX: kind != .bar)
                    var chart = SVGChart(kind: kind)
                    if let w = o["width"].flatMap(Double.init) { chart.width = min(max(w, 200), 1400) }
                    if let h = o["height"].flatMap(Double.init) { chart.height = min(max(h, 120), 900) }
                    let heading = title.map { "<h3>\(HTML.escape($0))</h3>" } ?? ""
                    return "<div class=\"chart\" data-chart=\"\(HTML.escape(type))\">\(heading)\(chart.render(series, title: title))</div>\n"
                default:
                    return error("line \(line): unknown chart type \(type) (bar, line, area, table, kpi)")
                }
            } catch {
                return self.error("line \(line): \(error)")
            }
        }
    }

    private func table(_ d: QueryData, _ o: [String: String], title: String?, query: String) -> String {
        // link=COLUMN:/path/{value} turns a column's cells into links.
        var linkColumn: Int?
        var linkPattern = ""
        if let link = o["link"], let colon = link.firstIndex(of: ":") {
            linkColumn = d.columns.firstIndex { $0.lowercased() == link[..<colon].lowercased() }
            linkPattern = String(link[link.index(after: colon)...])
        }
        var html = title.map { "<h3>\(HTML.escape($0))</h3>" } ?? ""
        let id = o["id"].map { " id=\"table-\(HTML.escape($0))\"" } ?? ""
        html += "<table class=\"data\"\(id)><thead><tr>" + d.columns.map { "<th>\(HTML.escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        for row in d.rows.prefix(maxTableRows) {
            html += "<tr>"
            for (i, v) in row.enumerated() {
                let text = HTML.escape(HTML.cell(v))
                let numeric = v.doubleValue != nil && !(v.dataType == .boolean)
                let cell = i == linkColumn && !v.isNull
                    ? "<a href=\"\(HTML.escape(linkPattern.replacingOccurrences(of: "{value}", with: HTML.urlEncode(HTML.cell(v)))))\">\(text)</a>" : text
                html += numeric ? "<td class=\"num\">\(cell)</td>" : "<td>\(cell)</td>"
            }
            html += "</tr>"
        }
        html += "</tbody></table>"
        if d.rows.count > maxTableRows { html += "<p class=\"note\">first \(maxTableRows) of \(d.rows.count) rows</p>" }
        return html + "\n"
    }

    private func error(_ message: String) -> String { "<div class=\"error\">\(HTML.escape(message))</div>\n" }

    /// Markdown inline text: escaped, with `code`, **bold** and [links](url).
    private func inline(_ text: String) -> String {
        var s = HTML.escape(text)
        s = s.replacingOccurrences(of: #"\*\*([^*]+)\*\*"#, with: "<strong>$1</strong>", options: .regularExpression)
        s = s.replacingOccurrences(of: #"`([^`]+)`"#, with: "<code>$1</code>", options: .regularExpression)
        s = s.replacingOccurrences(of: #"\[([^\]]+)\]\(([^)\s]+)\)"#, with: "<a href=\"$2\">$1</a>", options: .regularExpression)
        return s
    }
}

/// Runs `work(k)` for `k` in `0..<count` on threads of its own and collects the results in order
/// (`DashboardRenderer.executeAll`). Plain threads, not `DispatchQueue.concurrentPerform`: a query's own parallel scan
/// started inside a concurrentPerform would be nested in it, and libdispatch runs nested ones on one thread.
private final class QueryRunners: @unchecked Sendable {
    typealias Result = (bound: String, outcome: ResultCache.Outcome)
    private let count: Int
    private let work: (Int) -> Result
    private let lock = NSLock()
    private var nextIndex = 0
    private var slots: [Result?]

    init(count: Int, work: @escaping (Int) -> Result) {
        self.count = count
        self.work = work
        slots = Array(repeating: nil, count: count)
    }

    func run(threads: Int) -> [Result] {
        let group = DispatchGroup()
        for _ in 0..<max(1, threads) {
            group.enter()
            let thread = Thread { [self] in
                drain()
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        return lock.withLock { slots.map { $0 ?? ("", .failed(ServerError(sqlState: "XX000", message: "query not run"))) } }
    }

    private func drain() {
        while true {
            let k: Int? = lock.withLock {
                guard nextIndex < count else { return nil }
                defer { nextIndex += 1 }
                return nextIndex
            }
            guard let k else { return }
            let result = work(k)
            lock.withLock { slots[k] = result }
        }
    }
}
