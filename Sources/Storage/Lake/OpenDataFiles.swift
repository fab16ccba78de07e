#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Process-wide cache of opened data files (footer parsed and verified), keyed by path, so a query does not
/// re-open and re-parse the footers of files an earlier query (of any snapshot) already opened.
///
/// Data files are immutable after commit; an entry is still only reused when the file's size, inode and
/// modification time are those seen when it was opened (one `stat` per file per snapshot instead of an
/// open, three reads and a footer parse). Bounded: past `limit` open files the cache is emptied (readers in
/// use stay valid; they close their descriptor when the last scan drops them). Thread-safe.
final class OpenDataFiles: @unchecked Sendable {
    static let shared = OpenDataFiles(limit: 512)

    private struct Entry {
        let reader: DataFileReader
        let signature: String
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    /// The size, inode and modification time of `path`, or nil when it cannot be stat'ed.
    static func signature(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Glibc)
        let modified = info.st_mtim
        #else
        let modified = info.st_mtimespec
        #endif
        return "\(info.st_dev):\(info.st_ino):\(info.st_size):\(modified.tv_sec).\(modified.tv_nsec)"
    }

    /// A reader of `path`: the cached one when the file is unchanged, else a newly opened one.
    func reader(path: String) throws -> DataFileReader {
        guard let signature = Self.signature(path) else { return try DataFileReader(path: path) }
        lock.lock()
        if let entry = entries[path], entry.signature == signature {
            lock.unlock()
            return entry.reader
        }
        lock.unlock()
        let opened = try DataFileReader(path: path)
        lock.lock(); defer { lock.unlock() }
        if entries.count >= limit { entries.removeAll() }
        entries[path] = Entry(reader: opened, signature: signature)
        return opened
    }
}
