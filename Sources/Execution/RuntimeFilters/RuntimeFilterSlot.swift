import Foundation
import Storage

/// Where a hash join hands the runtime filter of one of its key columns to a scan on its probe side: the join
/// clears the slot when it starts building and publishes the filter once its build side is complete; the scan
/// takes whatever is published when it plans its morsels (nothing yet: it scans unfiltered, which is always
/// correct). `label` names the join's key for EXPLAIN.
public final class RuntimeFilterSlot: @unchecked Sendable {
    private let lock = NSLock()
    private var published: RuntimeFilter?
    public let label: String

    public init(label: String) { self.label = label }

    public var filter: RuntimeFilter? {
        lock.lock(); defer { lock.unlock() }
        return published
    }

    public func publish(_ filter: RuntimeFilter?) {
        lock.lock(); published = filter; lock.unlock()
    }
}

/// A runtime filter a hash join produces: key `keyIndex` of its build keys, published into `slot`.
public struct RuntimeFilterSource {
    public let keyIndex: Int
    public let slot: RuntimeFilterSlot
    public init(keyIndex: Int, slot: RuntimeFilterSlot) { self.keyIndex = keyIndex; self.slot = slot }
}

/// A runtime filter a scan applies: to its output column `position`.
public struct RuntimeFilterTarget {
    public let position: Int
    public let slot: RuntimeFilterSlot
    public init(position: Int, slot: RuntimeFilterSlot) { self.position = position; self.slot = slot }
}
