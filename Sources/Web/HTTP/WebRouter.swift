import Foundation
import Server
import Storage
import Tarn

/// Answers each request: login, `/query`, the dashboards (built-in and from the folder), `/tables/<name>`.
/// Every route but `/login` needs a user; every query runs read-only.
public final class WebRouter: @unchecked Sendable {
    let database: Database
    let configuration: WebConfiguration
    let auth: WebAuthenticator
    let cache = ResultCache()
    let files: FileAccessGuard
    /// Freshness expectations shown on the pipelines page.
    public var freshness: FreshnessChecker?

    init(database: Database, users: UserStore, configuration: WebConfiguration) {
        self.database = database
        self.configuration = configuration
        self.auth = WebAuthenticator(users: users, trust: configuration.trust)
        self.files = FileAccessGuard(allowedFolders: configuration.allowedPaths)
    }

    public func handle(_ request: WebRequest) -> WebResponse {
        let path = request.path
        if path == "/login" { return login(request) }
        guard let user = auth.user(for: request) else { return unauthorized(request) }
        switch (request.method, path) {
        case ("POST", "/query"): return query(request)
        case ("GET", "/logout"):
            if let token = request.cookie(WebAuthenticator.cookieName) { auth.endSession(token) }
            return .redirect("/login", headers: [("Set-Cookie", "\(WebAuthenticator.cookieName)=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict")])
        case ("GET", "/"), ("GET", "/dashboards"), ("GET", "/dashboards/"): return index(user: user)
        default: break
        }
        guard request.method == "GET" || request.method == "HEAD" else { return .text("method \(request.method) not allowed on \(path)\n", status: 405) }
        if path.hasPrefix("/dashboards/") { return dashboard(String(path.dropFirst("/dashboards/".count)), request) }
        if path.hasPrefix("/tables/") { return tablePage(String(path.dropFirst("/tables/".count)), request) }
        return .html(HTML.page(title: "Not found", body: "<h1>Not found</h1><p>\(HTML.escape(path))</p>", nav: nav), status: 404)
    }

    var nav: [(String, String)] {
        [("Dashboards", "/")] + BuiltinDashboards.names.map { ($0.prefix(1).uppercased() + $0.dropFirst(), "/dashboards/\($0)") } + [("Log out", "/logout")]
    }

    // MARK: authentication

    private func unauthorized(_ request: WebRequest) -> WebResponse {
        if request.accepts("text/html") {
            return .html(loginForm(next: request.path, message: nil), status: 401)
        }
        return WebResponse(status: 401, contentType: "application/json", body: "{\"error\":\"authentication required: HTTP Basic or a login at /login\",\"sqlstate\":\"28000\"}\n",
                           headers: [("WWW-Authenticate", "Basic realm=\"tarn\", charset=\"UTF-8\"")])
    }

    private func loginForm(next: String, message: String?) -> String {
        let note = message.map { "<div class=\"error\">\(HTML.escape($0))</div>" } ?? ""
        let body = """
        <h1>Log in</h1>\(note)
        <form class="filters" method="post" action="/login">
        <input type="hidden" name="next" value="\(HTML.escape(next))">
        <label for="user">User<input id="user" name="user" autocomplete="username"></label>
        <label for="password">Password<input id="password" type="password" name="password" autocomplete="current-password"></label>
        <button type="submit" id="login">Log in</button></form>
        """
        return HTML.page(title: "Log in", body: body, nav: [])
    }

    private func login(_ request: WebRequest) -> WebResponse {
        guard request.method == "POST" else { return .html(loginForm(next: request.query["next"] ?? "/", message: nil)) }
        let form = WebRequest.formDecode(request.bodyText)
        let next = form["next"].flatMap { $0.hasPrefix("/") && !$0.hasPrefix("//") ? $0 : nil } ?? "/"
        guard let user = form["user"], let password = form["password"], auth.check(user, password) else {
            return .html(loginForm(next: next, message: "wrong user or password"), status: 401)
        }
        let token = auth.startSession(user: user)
        let secure = configuration.tlsCertificatePath != nil ? "; Secure" : ""
        return .redirect(next, headers: [("Set-Cookie", "\(WebAuthenticator.cookieName)=\(token); Path=/; HttpOnly; SameSite=Strict\(secure)")])
    }

    // MARK: /query

    private func query(_ request: WebRequest) -> WebResponse {
        // curl and urllib label raw bodies as forms too: a form is read only when it has a `sql` field.
        var sql = request.bodyText
        if request.headers["content-type"]?.hasPrefix("application/x-www-form-urlencoded") == true, sql.hasPrefix("sql="),
           let field = WebRequest.formDecode(sql)["sql"] {
            sql = field
        }
        guard !sql.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return .json(QueryResultEncoding.error(ServerError(sqlState: "42601", message: "no SQL in the request body")), status: 400)
        }
        do {
            let result = try ReadOnlyQuery.run(sql, database: database, files: files)
            if request.accepts("text/csv") {
                return WebResponse(status: 200, contentType: "text/csv; charset=utf-8", body: QueryResultEncoding.csv(result))
            }
            return .json(QueryResultEncoding.json(result))
        } catch {
            let e = WireProtocolPolicy.translate(error, query: sql)
            return .json(QueryResultEncoding.error(e), status: QueryResultEncoding.status(e))
        }
    }

    // MARK: pages

    /// Markdown dashboards in the folder, by name (file name without `.md`).
    private func folderDashboards() -> [String] {
        guard let folder = configuration.dashboardsFolder,
              let files = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return files.filter { $0.hasSuffix(".md") }.map { String($0.dropLast(3)) }.sorted()
    }

    private func index(user: String) -> WebResponse {
        var body = "<h1>Dashboards</h1><ul>"
        for name in BuiltinDashboards.names { body += "<li><a href=\"/dashboards/\(name)\">\(name)</a> (built in)</li>" }
        for name in folderDashboards() where !BuiltinDashboards.names.contains(name) {
            body += "<li><a href=\"/dashboards/\(HTML.urlEncode(name))\">\(HTML.escape(name))</a></li>"
        }
        body += "</ul><h2>Tables</h2><ul>"
        for table in ((try? database.lake.tableNames(schema: nil)) ?? []) + ((try? database.lake.viewNames(schema: nil)) ?? []) {
            body += "<li><a href=\"/tables/\(HTML.urlEncode(table.description))\">\(HTML.escape(table.description))</a></li>"
        }
        body += "</ul>"
        return .html(HTML.page(title: "Dashboards", body: body, nav: nav, footer: "signed in as \(HTML.escape(user)) · read-only"))
    }

    private func dashboard(_ name: String, _ request: WebRequest) -> WebResponse {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            return .html(HTML.page(title: "Not found", body: "<h1>No dashboard \(HTML.escape(name))</h1>", nav: nav), status: 404)
        }
        var source: String?
        if let folder = configuration.dashboardsFolder, folderDashboards().contains(name) {
            source = try? String(contentsOfFile: (folder as NSString).appendingPathComponent(name + ".md"), encoding: .utf8)
        }
        if source == nil, name != "table" { source = BuiltinDashboards.source(name) }
        guard let source else {
            return .html(HTML.page(title: "Not found", body: "<h1>No dashboard \(HTML.escape(name))</h1>", nav: nav), status: 404)
        }
        return render(source, name: name, path: request.path, parameters: request.query)
    }

    private func tablePage(_ name: String, _ request: WebRequest) -> WebResponse {
        let parts = name.lowercased().split(separator: ".")
        let table = parts.count == 2 ? TableName(schema: String(parts[0]), name: String(parts[1])) : TableName(name: name.lowercased())
        let isTable = (try? database.lake.tableExists(table)) == true
        guard (1...2).contains(parts.count), isTable || ((try? database.lake.view(table)) ?? nil) != nil else {
            return .html(HTML.page(title: "Not found", body: "<h1>No table \(HTML.escape(name))</h1>", nav: nav), status: 404)
        }
        var parameters = request.query
        parameters["table"] = table.description
        let source = isTable ? BuiltinDashboards.table.replacingOccurrences(of: "# Table\n", with: "# Table \(table.description)\n")
                             : BuiltinDashboards.view.replacingOccurrences(of: "# View\n", with: "# View \(table.description)\n")
        return render(source, name: table.description, path: request.path, parameters: parameters)
    }

    /// Renders a page on one lake state: when a commit lands while it renders, it renders again (once) on the new one.
    private func render(_ source: String, name: String, path: String, parameters: [String: String]) -> WebResponse {
        let page: DashboardPage
        do { page = try DashboardPage.parse(source, fallbackTitle: name) } catch {
            return .html(HTML.page(title: name, body: "<h1>\(HTML.escape(name))</h1><div class=\"error\">\(HTML.escape("\(error)"))</div>", nav: nav), status: 500)
        }
        let started = Date()
        var body = ""
        for _ in 0..<2 {
            let state = ResultCache.state(of: database)
            var renderer = DashboardRenderer(database: database, cache: cache, state: state, maxTableRows: configuration.maxTableRows, path: path,
                                             files: files)
            if let freshness { renderer.provided["freshness"] = freshness.queryData(database) } else {
                renderer.provided["freshness"] = QueryData(columns: ["table_name", "expected", "status"], types: [.varchar, .varchar, .varchar], rows: [])
            }
            body = renderer.render(page, parameters: parameters)
            if ResultCache.state(of: database) == state { break }
        }
        let ms = Date().timeIntervalSince(started) * 1000
        return .html(HTML.page(title: page.title, body: body, nav: nav, footer: String(format: "rendered in %.0f ms on the server", ms)))
    }
}
