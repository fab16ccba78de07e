import Foundation
import Storage

/// One operator's share of a `MemoryBudget`: grows as its state grows, given back on `release()` (and deinit).
/// Thread-safe.
public final class MemoryReservation: @unchecked Sendable {
    public let budget: MemoryBudget
    /// What holds the memory, for messages: "sort", "hash aggregate", "window".
    public let owner: String
    private let lock = NSLock()
    private var heldBytes = 0

    public init(_ budget: MemoryBudget, owner: String) {
        self.budget = budget
        self.owner = owner
    }

    deinit { release() }

    /// Bytes this reservation holds.
    public var bytes: Int { lock.withLock { heldBytes } }

    /// Sets the reservation to `bytes`; false (and unchanged) when growing does not fit the budget: the caller
    /// should spill (or fail with `outOfMemory()`). Shrinking always succeeds.
    public func tryResize(to bytes: Int) -> Bool {
        lock.withLock {
            let target = max(0, bytes)
            let delta = target - heldBytes
            if delta <= 0 {
                budget.release(-delta)
            } else if !budget.tryReserve(delta) {
                return false
            }
            heldBytes = target
            return true
        }
    }

    /// Grows or shrinks by `delta` bytes when it fits; false (and unchanged) when it does not.
    public func tryGrow(by delta: Int) -> Bool {
        lock.withLock {
            let target = max(0, heldBytes + delta)
            let change = target - heldBytes
            if change <= 0 { budget.release(-change) } else if !budget.tryReserve(change) { return false }
            heldBytes = target
            return true
        }
    }

    /// Sets the reservation to `bytes`, or throws the out-of-memory error when it does not fit (for operators
    /// that cannot spill).
    public func resize(to bytes: Int) throws {
        guard tryResize(to: bytes) else { throw outOfMemory() }
    }

    /// Grows by `delta` bytes, or throws the out-of-memory error.
    public func grow(by delta: Int) throws {
        guard tryGrow(by: delta) else { throw outOfMemory() }
    }

    /// Gives every byte back to the budget.
    public func release() {
        lock.withLock {
            budget.release(heldBytes)
            heldBytes = 0
        }
    }

    /// The error an operator throws when its state does not fit and it cannot spill (more of it).
    public func outOfMemory() -> TarnError {
        MemoryReservation.outOfMemory(owner: owner, budget: budget)
    }

    /// `out of memory: <owner> needs more than memory_limit 2GB; …` with what the user can do.
    public static func outOfMemory(owner: String, budget: MemoryBudget) -> TarnError {
        let raised = budget.limit == Int.max ? "8GB" : MemorySize.format(budget.limit > Int.max / 4 ? budget.limit : budget.limit * 2)
        return TarnError(.outOfMemory, "out of memory: \(owner) needs more than memory_limit \(budget.limitText); "
            + "raise it with SET memory_limit = '\(raised)' (or tarn --memory-limit \(raised)), "
            + "or make the query keep less (fewer columns or rows, a LIMIT, a filter before the \(owner))")
    }
}
