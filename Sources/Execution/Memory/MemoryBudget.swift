import Foundation

/// The memory one statement may hold in large operator state (hash tables, sort buffers, window partitions,
/// DISTINCT and set-operation tables, materialised CTEs). Operators take their share through a
/// `MemoryReservation`; when a reservation cannot grow, the operator spills or fails with `.outOfMemory`.
/// Thread-safe.
public final class MemoryBudget: @unchecked Sendable {
    /// Bytes; `Int.max` = unlimited.
    public let limit: Int
    private let lock = NSLock()
    private var usedBytes = 0
    private var peakBytes = 0

    public init(limit: Int) { self.limit = max(0, limit) }

    /// Bytes reserved now.
    public var used: Int { lock.withLock { usedBytes } }
    /// Most bytes reserved at once since the budget was made.
    public var peak: Int { lock.withLock { peakBytes } }
    /// Bytes still free.
    public var available: Int { lock.withLock { max(0, limit - usedBytes) } }

    /// Reserves `bytes` when they fit; false (and nothing reserved) when `used + bytes` would exceed the limit.
    public func tryReserve(_ bytes: Int) -> Bool {
        guard bytes > 0 else { return true }
        return lock.withLock {
            guard bytes <= limit - usedBytes else { return false }
            usedBytes += bytes
            peakBytes = max(peakBytes, usedBytes)
            return true
        }
    }

    /// Gives back `bytes` reserved earlier.
    public func release(_ bytes: Int) {
        guard bytes > 0 else { return }
        lock.withLock { usedBytes = max(0, usedBytes - bytes) }
    }

    /// The limit as messages print it: `2GB`, `64KiB`, `unlimited`.
    public var limitText: String { MemorySize.format(limit) }
}
