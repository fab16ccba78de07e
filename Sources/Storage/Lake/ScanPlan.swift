/// The outcome of pruning one snapshot with statistics: the morsels to read and what was skipped.
public struct ScanPlan: Sendable {
    public var morsels: [ScanMorsel]
    /// Row groups in the snapshot before skipping.
    public var rowGroupsTotal: Int
    /// Row groups skipped because statistics showed no row could match.
    public var rowGroupsSkipped: Int
    /// Files skipped as a whole by their catalog statistics (their footers were not read).
    public var filesSkipped: Int
    /// Compressed bytes of the kept row groups (all columns).
    public var bytesToRead: Int
}
