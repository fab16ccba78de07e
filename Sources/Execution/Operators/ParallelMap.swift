import Dispatch
import Storage

/// Runs independent tasks over the cores: `ParallelMap.run(count) { i in … }` calls the body for every `i` in
/// `0..<count` on libdispatch's workers (one per core) and returns the results in index order, rethrowing the first
/// error by index. The body must be safe to call from several threads at once.
public enum ParallelMap {
    /// `body(i)` for every `i` in `0..<count`, concurrently; the results in index order.
    public static func run<T>(_ count: Int, _ body: (Int) throws -> T) throws -> [T] {
        let results = UnsafeMutablePointer<Result<T, Error>?>.allocate(capacity: count)
        results.initialize(repeating: nil, count: count)
        defer { results.deinitialize(count: count); results.deallocate() }
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedSendable((body, results))
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
            case nil: throw TarnError.execution("parallel task \(i) produced no result")
            }
        }
        return out
    }
}
