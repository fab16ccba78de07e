import Storage

/// Estimated bytes a hash key table (DISTINCT, INTERSECT / EXCEPT) adds for new groups: a copy of the key row
/// (the batch's average row width) plus the slot, hash and group id.
enum GroupKeyMemory {
    static func bytes(newGroups: Int, of batch: Batch) -> Int {
        guard newGroups > 0, batch.count > 0 else { return 0 }
        return newGroups * (batch.estimatedBytes / batch.count + 24)
    }
}
