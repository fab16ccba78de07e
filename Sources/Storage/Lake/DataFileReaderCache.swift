import Foundation

/// The opened `DataFileReader`s of one snapshot, opened on first use and shared by every scan of the snapshot
/// so footers are read once, not per morsel. Thread-safe.
final class DataFileReaderCache: @unchecked Sendable {
    private let lock = NSLock()
    private var readers: [Int: DataFileReader] = [:]
    private let files: [DataFileInfo]

    init(files: [DataFileInfo]) { self.files = files }

    func reader(_ fileIndex: Int) throws -> DataFileReader {
        guard files.indices.contains(fileIndex) else {
            throw TarnError(.internal, "scan asked for file #\(fileIndex) of a snapshot with \(files.count) files")
        }
        lock.lock()
        if let r = readers[fileIndex] { lock.unlock(); return r }
        lock.unlock()
        let path = files[fileIndex].path
        let opened: DataFileReader
        do {
            opened = try OpenDataFiles.shared.reader(path: path)
        } catch {
            throw Self.naming(error, file: path)
        }
        lock.lock(); defer { lock.unlock() }
        if let r = readers[fileIndex] { return r }
        readers[fileIndex] = opened
        return opened
    }

    /// The error with the file's path in its message (data errors must say which file).
    static func naming(_ error: Error, file path: String) -> TarnError {
        if var e = error as? TarnError {
            if !e.message.contains(path) { e.message = "\(path): \(e.message)" }
            return e
        }
        if (error as NSError).domain == NSCocoaErrorDomain || (error as NSError).domain == NSPOSIXErrorDomain {
            return TarnError.io("\(path): \(error.localizedDescription)")
        }
        return TarnError.corruption("\(path): \(error)")
    }
}
