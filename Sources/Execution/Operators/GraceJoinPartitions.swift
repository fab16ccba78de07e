import Foundation
import Storage

/// The spilled sides of a grace hash join: build and probe rows hash-partitioned by their join keys
/// (`KeyHashing.rows`, which hashes equal keys alike whatever their encoding) into one pair of spill files
/// per partition, so that every match lies within one pair and the pairs can be joined one at a time.
/// Rows with a NULL key go to a partition like any other (they match nothing there either).
///
/// Level `depth` uses `partitionBits` bits of the hash from the top, below the bits of the levels above it:
/// a pair too large to join in memory is split again one level deeper. Probe rows may be added from several
/// threads at once (a pipeline probing morsels in parallel), and so may build rows.
final class GraceJoinPartitions: @unchecked Sendable {
    static let partitionBits = 5
    static var partitionCount: Int { 1 << partitionBits }
    /// Deepest level: 32^3 = 32768-fold smaller pairs than the input before the join gives up.
    static let maxDepth = 3

    let depth: Int
    let build: [SpillFile]
    let probe: [SpillFile]
    /// One lock per partition file (build files first): threads compress and write different partitions at once.
    private let locks: [NSLock]

    init(_ context: ExecutionContext, buildTypes: [DataType], probeTypes: [DataType], depth: Int) throws {
        self.depth = depth
        build = try (0..<Self.partitionCount).map { try context.spill.newFile(types: buildTypes, purpose: "join build \(depth).\($0)", rowsPerGroup: Batch.defaultSize) }
        probe = try (0..<Self.partitionCount).map { try context.spill.newFile(types: probeTypes, purpose: "join probe \(depth).\($0)", rowsPerGroup: Batch.defaultSize) }
        locks = (0..<2 * Self.partitionCount).map { _ in NSLock() }
    }

    /// Thread-safe.
    func addBuild(_ batch: Batch, keys: [Column]) throws {
        try add(batch, keys: keys, to: build, locks: 0)
    }

    /// Thread-safe.
    func addProbe(_ batch: Batch, keys: [Column]) throws {
        try add(batch, keys: keys, to: probe, locks: Self.partitionCount)
    }

    /// Splits `batch` (without a lock), then appends each part under its partition's lock.
    private func add(_ batch: Batch, keys: [Column], to files: [SpillFile], locks first: Int) throws {
        for (p, part) in Self.split(batch, keys: keys, depth: depth).enumerated() where part.count > 0 {
            let lock = locks[first + p]
            lock.lock()
            defer { lock.unlock() }
            try files[p].append(part)
        }
    }

    /// The rows of `batch` of every partition (empty batches for partitions without rows).
    static func split(_ batch: Batch, keys: [Column], depth: Int) -> [Batch] {
        let n = batch.count
        let hashes = KeyHashing.rows(keys, count: n)
        let shift = UInt64(64 - partitionBits * (depth + 1))
        let mask = UInt64(partitionCount - 1)
        var rows = [[Int32]](repeating: [], count: partitionCount)
        for i in 0..<n { rows[Int((hashes[i] >> shift) & mask)].append(Int32(i)) }
        return rows.map { $0.isEmpty ? Batch(columns: [], count: 0) : $0.count == n ? batch : batch.gather($0) }
    }

    /// Closes every file for reading.
    func finish() throws {
        for file in build + probe { try file.finishWriting() }
    }

    /// Deletes every file.
    func delete() {
        for file in build + probe { file.delete() }
    }
}
