import Foundation
import Storage

/// Thrown by a parallel aggregation's workers when their partial states together outgrow the memory limit:
/// the operator then reads its input again on one thread, spilling (`SpillingAggregation`).
struct AggregateSpillRequired: Error {}

/// Accounts the partial states of a parallel aggregation's workers to one reservation: each worker reports its
/// partial's estimate after a batch; the reservation grows (with a quarter of headroom) only when a worker's
/// estimate passes what it holds. Thread-safe.
final class ParallelAggregateAccounting: @unchecked Sendable {
    private let reservation: MemoryReservation
    private let lock = NSLock()
    /// Bytes held for each worker; read without the lock only by that worker.
    private var held: [Int]
    private var total = 0

    init(_ reservation: MemoryReservation, workers: Int) {
        self.reservation = reservation
        held = [Int](repeating: 0, count: max(1, workers))
    }

    /// Records that `worker`'s partial now takes about `bytes`; throws `AggregateSpillRequired` when that does not fit.
    func account(_ worker: Int, _ bytes: Int) throws {
        lock.lock()
        defer { lock.unlock() }
        guard worker < held.count, bytes > held[worker] else { return }
        let target = bytes + bytes / 4
        guard reservation.tryResize(to: total - held[worker] + target) else { throw AggregateSpillRequired() }
        total += target - held[worker]
        held[worker] = target
    }
}
