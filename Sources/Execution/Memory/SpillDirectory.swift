#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Storage

/// Temporary files of one statement under `SET temp_directory` (default: `<system tmp>/tarn-spill`), in a folder
/// `tarn-<pid>-<n>` made on the first spill. `removeAll()` (called when the statement ends: success, error,
/// cancel; and on deinit) deletes the folder; folders of processes that no longer run (a crash, kill -9) are
/// removed when the next process first spills into the same temp directory, or opens a database.
/// Thread-safe.
public final class SpillDirectory: @unchecked Sendable {
    /// The temp directory the statement's folder is made in.
    public let root: String
    private let lock = NSLock()
    private var folder: String?
    private var files: [ObjectIdentifier: SpillFile] = [:]
    private var fileSequence = 0
    private var writtenBytes = 0
    private var createdFiles = 0

    private static let folderSequence = SequenceCounter()
    private static let sweptRoots = SweptRoots()

    /// `root` nil or empty: `<system tmp>/tarn-spill`. Nothing is created until the first `newFile`.
    public init(root: String? = nil) {
        if let root, !root.isEmpty { self.root = root } else { self.root = SpillDirectory.defaultRoot }
    }

    deinit { removeAll() }

    /// `<system tmp>/tarn-spill` (`TMPDIR` when set), found once per process: every statement makes a
    /// `SpillDirectory`, and `NSTemporaryDirectory` checks the folder with system calls on each call.
    public static let defaultRoot: String = (NSTemporaryDirectory() as NSString).appendingPathComponent("tarn-spill")

    /// Bytes of every spill file finished so far (compressed, as on disk), for EXPLAIN ANALYZE and tests.
    public var bytesWritten: Int { lock.withLock { writtenBytes } }
    /// Spill files made so far (including deleted ones).
    public var filesCreated: Int { lock.withLock { createdFiles } }
    /// The statement's folder while it exists (nil before the first spill and after `removeAll()`).
    public var folderPath: String? { lock.withLock { folder } }

    /// A new empty spill file for batches of `types`; `purpose` ("sort run", "aggregate partition 3") names it.
    public func newFile(types: [DataType], purpose: String) throws -> SpillFile {
        try newFile(types: types, purpose: purpose, rowsPerGroup: SpillFile.rowsPerGroup)
    }

    /// `newFile` with row groups of `rowsPerGroup` rows: smaller ones when many files are written at once (each
    /// buffers one group until it is full) or read at once (each reader holds one group).
    public func newFile(types: [DataType], purpose: String, rowsPerGroup: Int) throws -> SpillFile {
        let (path, sequence) = try lock.withLock { () throws -> (String, Int) in
            let dir = try folder ?? makeFolder()
            folder = dir
            fileSequence += 1
            createdFiles += 1
            let safe = String(purpose.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }.prefix(40))
            return ((dir as NSString).appendingPathComponent("\(fileSequence)-\(safe).tspill"), fileSequence)
        }
        _ = sequence
        let file = try SpillFile(path: path, types: types, directory: self, rowsPerGroup: max(1, rowsPerGroup))
        lock.withLock { files[ObjectIdentifier(file)] = file }
        return file
    }

    /// Deletes every spill file and the statement's folder. The directory stays usable (a later spill makes a new folder).
    public func removeAll() {
        let (open, dir) = lock.withLock { () -> ([SpillFile], String?) in
            let open = Array(files.values)
            files.removeAll()
            let dir = folder
            folder = nil
            return (open, dir)
        }
        for file in open { file.delete() }
        if let dir { try? FileManager.default.removeItem(atPath: dir) }
    }

    /// Removes the folders in `root` left by processes that no longer run; returns how many it removed.
    @discardableResult
    public static func removeStale(in root: String? = nil) -> Int {
        let base = (root?.isEmpty ?? true) ? defaultRoot : root ?? defaultRoot
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: base) else { return 0 }
        var removed = 0
        for name in names {
            let parts = name.split(separator: "-")
            guard parts.count == 3, parts[0] == "tarn", let pid = Int32(parts[1]), pid > 0, pid != getpid() else { continue }
            if kill(pid, 0) == -1 && errno == ESRCH {
                if (try? FileManager.default.removeItem(atPath: (base as NSString).appendingPathComponent(name))) != nil { removed += 1 }
            }
        }
        return removed
    }

    /// `removeStale(in:)` the first time this process sees `root` (nil: the default temp directory).
    public static func removeStaleOnce(in root: String? = nil) {
        let base = (root?.isEmpty ?? true) ? defaultRoot : root ?? defaultRoot
        if sweptRoots.firstVisit(base) { removeStale(in: base) }
    }

    // MARK: internal

    func finished(_ file: SpillFile, bytes: Int) { lock.withLock { writtenBytes += bytes } }
    func forget(_ file: SpillFile) { lock.withLock { _ = files.removeValue(forKey: ObjectIdentifier(file)) } }

    private func makeFolder() throws -> String {
        SpillDirectory.removeStaleOnce(in: root)
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw TarnError.io("temp_directory '\(root)': cannot create it (\(error.localizedDescription)); choose another with SET temp_directory = '…'")
        }
        let dir = (root as NSString).appendingPathComponent("tarn-\(getpid())-\(SpillDirectory.folderSequence.next())")
        guard mkdir(dir, 0o700) == 0 || errno == EEXIST else {
            throw TarnError.io("temp_directory '\(root)': cannot create \(dir): \(String(cString: strerror(errno))); choose another with SET temp_directory = '…'")
        }
        return dir
    }
}

/// A process-wide counter for spill folder names.
private final class SequenceCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.withLock { value += 1; return value } }
}

/// Temp directories already swept for stale folders by this process.
private final class SweptRoots: @unchecked Sendable {
    private let lock = NSLock()
    private var roots: Set<String> = []
    func firstVisit(_ root: String) -> Bool { lock.withLock { roots.insert(root).inserted } }
}
