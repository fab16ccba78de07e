import Storage

/// Maps key rows to dense group ids `0..<groupCount` (NULL keys form their own group).
///
/// Implementations specialise on the key shape: none, one integer, one string (dictionary codes are
/// translated once per dictionary), integer/string/boolean composites packed into one word while they fit,
/// or any composite as a tuple of words.
protocol GroupKeyTable: AnyObject {
    var groupCount: Int { get }
    /// Writes the group id of every row into `groupIDs` (resized to `count`), creating groups for new keys.
    func assign(_ keys: [Column], count: Int, groupIDs: inout [Int32])
    /// Like `assign` but never creates groups: unknown keys give -1.
    func lookup(_ keys: [Column], count: Int, groupIDs: inout [Int32])
    /// The key of every group, in group-id order.
    func keyColumns() -> [Column]
    /// The keys of the given groups, in that order.
    func keyColumns(of groups: [Int32]) -> [Column]
    /// `KeyHashing.rows` of every group's key, in group-id order (equal keys hash equally in every table).
    func valueHashes() -> [UInt64]
    /// An empty table of the same kind (for per-worker partial aggregation).
    func makeEmpty() -> GroupKeyTable
    /// A table with the same groups whose `lookup` may run on another thread at the same time as this one's
    /// (lookups keep per-table scratch state: dictionary translations, encoded rows). The copy shares the
    /// key storage (copy-on-write arrays); neither table may `assign` afterwards.
    func makeLookupCopy() -> GroupKeyTable
    /// Makes room for about `groups` groups in all (a hint, e.g. from a hash join's build rows, so a large build
    /// does not regrow its slots several times). Tables without slots to grow ignore it.
    func reserveGroups(_ groups: Int)
}

extension GroupKeyTable {
    func reserveGroups(_ groups: Int) {}
    func keyColumns(of groups: [Int32]) -> [Column] { keyColumns().map { $0.gather(groups) } }
    func valueHashes() -> [UInt64] { KeyHashing.rows(keyColumns(), count: groupCount) }
}

/// Chooses the fastest key table for the key types (several VARCHAR keys start on the perfect-hash
/// `SmallDomainKeyTable`, which turns into a `PackedKeyTable` by itself when the values get too many).
enum GroupKeyTables {
    /// Most groups a table is sized for ahead of its keys (`reserveGroups` from a rate of new keys): 64 MB of slots.
    /// An estimate from the first rows can be far too high (a build side whose first rows are distinct but whose
    /// keys repeat later); past this the table grows as keys arrive.
    static let maximumReservedGroups = 1 << 21

    /// Groups to reserve in all when `rows` rows made `newGroups` of a table's `groups` and `remaining` rows are left:
    /// the rest at the same rate of new keys, at most `maximumReservedGroups`.
    static func expectedGroups(groups: Int, newGroups: Int, rows: Int, remaining: Int) -> Int {
        min(groups + remaining * newGroups / max(1, rows), maximumReservedGroups)
    }

    /// `buildRows`: a hash join's build row count, which lets a single integer key stay a perfect-hash array
    /// over a key span of up to 4 × those rows (at most 2^25 slots), or 16 × (at most 2^24 slots, 64 MiB): keys
    /// such as TPC-H's order keys, even filtered to an eighth (Q3's orders before a date), are then inserted and
    /// probed with one array access, no hashing — and a probe side sorted by the key reads the array in order.
    static func make(for types: [DataType], buildRows: Int? = nil) -> GroupKeyTable {
        if types.isEmpty { return SingleGroupTable() }
        if Decimal128KeyTable.needed(types) { return Decimal128KeyTable(types: types, buildRows: buildRows) }
        if types.count == 1 {
            switch types[0].physical {
            case .int32, .int64:
                let span = buildRows.map {
                    max(IntegerKeyTable.directLimit, min(Int64($0) * 4, 1 << 25), min(Int64($0) * 16, 1 << 24))
                } ?? IntegerKeyTable.directLimit
                return IntegerKeyTable(type: types[0], directSpan: span)
            case .string: return StringKeyTable()
            default: break
            }
        }
        if SmallDomainKeyTable.supports(types) { return SmallDomainKeyTable(types: types) }
        if PackedKeyTable.supports(types) { return PackedKeyTable(types: types) }
        return CompositeKeyTable(types: types)
    }
}

/// The single group of an aggregate without GROUP BY: always exactly one group, even on no input.
final class SingleGroupTable: GroupKeyTable {
    var groupCount: Int { 1 }
    func assign(_ keys: [Column], count: Int, groupIDs: inout [Int32]) {
        if groupIDs.count != count { groupIDs = [Int32](repeating: 0, count: count) }
    }
    func lookup(_ keys: [Column], count: Int, groupIDs: inout [Int32]) { assign(keys, count: count, groupIDs: &groupIDs) }
    func keyColumns() -> [Column] { [] }
    func makeEmpty() -> GroupKeyTable { SingleGroupTable() }
    func makeLookupCopy() -> GroupKeyTable { self }
}
