import Foundation
import Planner
import SQL
import Storage

/// Which server-side files a connection may touch: `COPY … FROM 'file'`, `COPY … TO 'file'`, `ATTACH 'file'`,
/// `SET temp_directory = 'folder'` (spill files), the file readers (`read_csv`, `read_json`, `read_parquet`, `parquet_schema`, `parquet_metadata`,
/// `sqlite_scan`, and a file named in FROM, which is `read_*` underneath). Only paths inside the folders given
/// with `tarn serve --allow-path DIR` are allowed; with none given, none is. A path is compared after making it
/// absolute (against the server's working directory), removing `.`/`..` and resolving symbolic links, so
/// `DIR/../etc/passwd` or a link out of `DIR` is refused. A glob is judged by the folder before its first
/// wildcard. A refusal is `42501 permission denied` and the statement changes nothing (it is checked before it runs).
struct FileAccessPolicy: Sendable {
    /// The allowed folders, canonical.
    let folders: [String]

    /// The table functions that read the file or glob given as their first argument.
    static let fileReaders: Set<String> = ["read_csv", "read_csv_auto", "read_json", "read_json_auto", "read_ndjson",
                                           "read_parquet", "parquet_schema", "parquet_metadata", "sqlite_scan"]

    init(allowedFolders: [String]) {
        folders = allowedFolders.map { Self.canonical($0) }
    }

    /// Throws 42501 unless `path` lies inside an allowed folder.
    func check(_ path: String) throws {
        let target = Self.canonical(Self.withoutGlob(path))
        for folder in folders where target == folder || target.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/") { return }
        let hint = folders.isEmpty ? "this server allows no file access (start it with --allow-path DIR)"
            : "allowed: \(folders.joined(separator: ", "))"
        throw ServerError(sqlState: "42501", message: "permission denied for file \"\(path)\": outside the folders this server allows; \(hint)")
    }

    /// Checks the files a statement names directly (COPY, ATTACH); table functions are checked when bound.
    func check(_ statement: Statement) throws {
        switch statement {
        case let .copyInto(_, source, _): try check(source)
        case let .copyTo(_, path, _): try check(path)
        case let .attach(path, _, _): try check(path)
        case let .explain(inner, _): try check(inner)
        case let .set(name, value) where name.lowercased() == "temp_directory":
            // Spill files are written there: a server-side folder like COPY's.
            if case let .literal(.string(path)) = value.kind { try check(path) }
            if case let .column(parts) = value.kind, let path = parts.last { try check(path) }
        default: break
        }
    }

    /// The session's table functions with the file readers checking their path arguments first.
    func guarding(_ functions: [String: TableFunctionDefinition]) -> [String: TableFunctionDefinition] {
        var out = functions
        for (name, definition) in functions where Self.fileReaders.contains(name.lowercased()) {
            let policy = self
            out[name] = TableFunctionDefinition(name: definition.name) { call in
                // Every positional string and every string of a positional ARRAY[…] of paths.
                for case let .varchar(path) in call.positional { try policy.check(path) }
                for (key, items) in call.arrays where key.hasPrefix("#") {
                    for case let .varchar(path) in items { try policy.check(path) }
                }
                if case let .varchar(path)? = call.named["path"] { try policy.check(path) }
                return try definition.build(call)
            }
        }
        return out
    }

    /// The part of a glob before its first wildcard (`data/2024-*/x.csv` → `data/`).
    static func withoutGlob(_ path: String) -> String {
        guard let wildcard = path.firstIndex(where: { "*?[{".contains($0) }) else { return path }
        let prefix = path[..<wildcard]
        guard let slash = prefix.lastIndex(of: "/") else { return "." }
        return String(prefix[...slash])
    }

    /// Absolute, without `.`/`..`, symbolic links resolved as far as the path exists.
    static func canonical(_ path: String) -> String {
        var url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath,
                      relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)).standardizedFileURL
        // Resolve links on the longest existing prefix, then put the rest back.
        var rest: [String] = []
        while !FileManager.default.fileExists(atPath: url.path), url.path != "/" {
            rest.insert(url.lastPathComponent, at: 0)
            url.deleteLastPathComponent()
        }
        var resolved = url.resolvingSymlinksInPath()
        for component in rest { resolved.appendPathComponent(component) }
        let text = resolved.standardizedFileURL.path
        return text.count > 1 && text.hasSuffix("/") ? String(text.dropLast()) : text
    }
}
