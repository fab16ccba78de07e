import Dispatch
import Storage

/// Independent reads of one snapshot's morsels spread over the cores (`TableSnapshot.read` may be called from several
/// threads, as parallel scans do): MERGE reads its target's join columns and then the changed rows this way.
enum ParallelReads {
    /// `body(i)` for every `i` in `0..<count` — on libdispatch's workers (one per core) when `parallel`, else in order
    /// on this thread; the results in index order, the first error (by index) rethrown.
    static func map<T>(_ count: Int, parallel: Bool, _ body: (Int) throws -> T) throws -> [T] {
        guard parallel, count > 1 else { return try (0..<count).map(body) }
        let results = UnsafeMutablePointer<Result<T, Error>?>.allocate(capacity: count)
        results.initialize(repeating: nil, count: count)
        defer {
            results.deinitialize(count: count)
            results.deallocate()
        }
        withoutActuallyEscaping(body) { body in
            let shared = Shared(value: (body, results))
            DispatchQueue.concurrentPerform(iterations: count) { i in
                let (body, results) = shared.value
                results[i] = Result { try body(i) }
            }
        }
        var out: [T] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            switch results[i] {
            case let .success(value)?: out.append(value)
            case let .failure(error)?: throw error
            case nil: throw TarnError.execution("parallel read \(i) produced no result")
            }
        }
        return out
    }

    /// The closure and result slots handed to the workers: each worker writes only its own slot, and all are done
    /// when `concurrentPerform` returns.
    private struct Shared<Value>: @unchecked Sendable { let value: Value }
}
