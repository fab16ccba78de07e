import Execution
import Storage

/// Independent reads of one snapshot's morsels spread over the cores (`TableSnapshot.read` may be called from several
/// threads, as parallel scans do): MERGE reads its target's join columns and then the changed rows this way.
enum ParallelReads {
    /// `body(i)` for every `i` in `0..<count` — on libdispatch's workers (one per core) when `parallel`, else in order
    /// on this thread; the results in index order, the first error (by index) rethrown.
    static func map<T>(_ count: Int, parallel: Bool, _ body: (Int) throws -> T) throws -> [T] {
        guard parallel, count > 1 else { return try (0..<count).map(body) }
        return try ParallelMap.run(count, body)
    }
}
