import Foundation
import Storage

/// A data file found for a load or a read: where it is, how it is named relative to the folder or glob
/// it was found under, and its size and modification time when listed.
public struct SourceFile: Sendable, Hashable {
    /// Absolute, standardized path (the identity of the file in `tarn.loaded_files`).
    public var path: String
    /// Path relative to the folder given (the name PATTERN matches); the file name for a single file.
    public var relativePath: String
    /// The path as the user would write it (the folder or glob root as given, then `relativePath`).
    public var displayPath: String
    public var size: Int64
    /// Modification time, microseconds since the epoch.
    public var modifiedAt: Int64

    public init(path: String, relativePath: String, displayPath: String, size: Int64, modifiedAt: Int64) {
        self.path = path
        self.relativePath = relativePath
        self.displayPath = displayPath
        self.size = size
        self.modifiedAt = modifiedAt
    }

    /// The files a path names: a file; every file under a folder (recursively, hidden files skipped, sorted);
    /// or the files matching a glob (`raw/**/*.json`). `pattern`, when given, filters relative paths.
    public static func resolve(_ location: String, pattern: String? = nil, extensions: [String] = []) throws -> [SourceFile] {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        var root: String
        var glob: GlobPattern?
        if GlobPattern.hasWildcards(location) {
            // The folder is the part before the first segment with a wildcard.
            let segments = location.split(separator: "/", omittingEmptySubsequences: false)
            var fixed: [Substring] = []
            for s in segments {
                if GlobPattern.hasWildcards(String(s)) { break }
                fixed.append(s)
            }
            root = fixed.joined(separator: "/")
            if root.isEmpty { root = location.hasPrefix("/") ? "/" : "." }
            let rest = segments.dropFirst(fixed.count).joined(separator: "/")
            glob = GlobPattern(rest)
            guard fm.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else { return [] }
        } else {
            guard fm.fileExists(atPath: location, isDirectory: &isDirectory) else {
                throw TarnError.io("no such file or folder: \(location)")
            }
            root = location
            if !isDirectory.boolValue {
                return [try describe(URL(fileURLWithPath: location).standardizedFileURL.path, relative: (location as NSString).lastPathComponent, display: location)]
            }
        }
        let absoluteRoot = URL(fileURLWithPath: root).standardizedFileURL.path
        let filter = pattern.map(GlobPattern.init)
        var out: [SourceFile] = []
        guard let walker = fm.enumerator(atPath: absoluteRoot) else { throw TarnError.io("cannot list the folder \(root)") }
        while let entry = walker.nextObject() as? String {
            let name = (entry as NSString).lastPathComponent
            if name.hasPrefix(".") { walker.skipDescendants(); continue }
            let full = absoluteRoot == "/" ? "/" + entry : absoluteRoot + "/" + entry
            var dir: ObjCBool = false
            guard fm.fileExists(atPath: full, isDirectory: &dir), !dir.boolValue else { continue }
            if let glob, !glob.matches(entry) { continue }
            // A PATTERN with a '/' matches the relative path, one without matches the file name.
            if let filter, !filter.matches(filter.text.contains("/") ? entry : name) { continue }
            if glob == nil, filter == nil, !extensions.isEmpty, !extensions.contains((name as NSString).pathExtension.lowercased()) { continue }
            out.append(try describe(full, relative: entry, display: (root as NSString).appendingPathComponent(entry)))
        }
        return out.sorted { $0.relativePath < $1.relativePath }
    }

    /// Size and modification time of `path` now.
    public static func describe(_ path: String, relative: String, display: String? = nil) throws -> SourceFile {
        var st = stat()
        guard stat(path, &st) == 0 else { throw TarnError.io("cannot read \(path) (errno \(errno))") }
        #if canImport(Darwin)
        let mtime = Int64(st.st_mtimespec.tv_sec) * 1_000_000 + Int64(st.st_mtimespec.tv_nsec) / 1000
        #else
        let mtime = Int64(st.st_mtim.tv_sec) * 1_000_000 + Int64(st.st_mtim.tv_nsec) / 1000
        #endif
        return SourceFile(path: path, relativePath: relative, displayPath: display ?? relative, size: Int64(st.st_size), modifiedAt: mtime)
    }
}
