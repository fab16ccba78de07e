import Storage

/// Group ids for keys with DECIMAL(19…38) columns: every Int128 column is split into two BIGINT columns (high
/// word, low word) for an ordinary key table over the widened key, and joined back in `keyColumns`. Used for
/// GROUP BY, DISTINCT and hash joins, so no key table has to know 128-bit values.
final class Decimal128KeyTable: GroupKeyTable {
    let types: [DataType]
    private let inner: GroupKeyTable

    static func needed(_ types: [DataType]) -> Bool { types.contains { $0.physical == .int128 } }

    init(types: [DataType], buildRows: Int?) {
        self.types = types
        inner = GroupKeyTables.make(for: types.flatMap { $0.physical == .int128 ? [DataType.bigint, .bigint] : [$0] },
                                    buildRows: buildRows)
    }

    private init(types: [DataType], inner: GroupKeyTable) {
        self.types = types
        self.inner = inner
    }

    var groupCount: Int { inner.groupCount }

    private func split(_ keys: [Column]) -> [Column] {
        var out: [Column] = []
        out.reserveCapacity(keys.count * 2)
        for key in keys {
            guard case let .int128(values) = key.data else { out.append(key); continue }
            let high = values.map { Int64(truncatingIfNeeded: $0 >> 64) }
            let low = values.map { Int64(truncatingIfNeeded: $0) }
            // NULL slots hold unspecified values: zero them so NULL keys fall in one group.
            if let validity = key.validity {
                var h = high, l = low
                for i in 0..<validity.count where validity[i] == 0 { h[i] = 0; l[i] = 0 }
                out.append(Column(type: .bigint, data: .int64(h), validity: validity))
                out.append(Column(type: .bigint, data: .int64(l), validity: validity))
            } else {
                out.append(Column(type: .bigint, data: .int64(high)))
                out.append(Column(type: .bigint, data: .int64(low)))
            }
        }
        return out
    }

    private func join(_ columns: [Column]) -> [Column] {
        var out: [Column] = []
        var k = 0
        for type in types {
            guard type.physical == .int128, k + 1 < columns.count else { if k < columns.count { out.append(columns[k]) }; k += 1; continue }
            let high = (try? ColumnKernels.int64s(columns[k])) ?? []
            let low = (try? ColumnKernels.int64s(columns[k + 1])) ?? []
            let values = zip(high, low).map { Int128($0) << 64 | Int128(UInt64(bitPattern: $1)) }
            out.append(Column(type: type, data: .int128(values), validity: columns[k].validity))
            k += 2
        }
        return out
    }

    func assign(_ keys: [Column], count: Int, groupIDs: inout [Int32]) { inner.assign(split(keys), count: count, groupIDs: &groupIDs) }
    func lookup(_ keys: [Column], count: Int, groupIDs: inout [Int32]) { inner.lookup(split(keys), count: count, groupIDs: &groupIDs) }
    func keyColumns() -> [Column] { join(inner.keyColumns()) }
    func keyColumns(of groups: [Int32]) -> [Column] { join(inner.keyColumns(of: groups)) }
    func valueHashes() -> [UInt64] { inner.valueHashes() }
    func makeEmpty() -> GroupKeyTable { Decimal128KeyTable(types: types, inner: inner.makeEmpty()) }
    func makeLookupCopy() -> GroupKeyTable { Decimal128KeyTable(types: types, inner: inner.makeLookupCopy()) }
}

extension GroupKeyTables {
    /// The (group id, value) table of a DISTINCT aggregate's argument.
    static func pairs(_ argument: DataType) -> GroupKeyTable {
        let types: [DataType] = [.integer, argument]
        return Decimal128KeyTable.needed(types) ? Decimal128KeyTable(types: types, buildRows: nil) : CompositeKeyTable(types: types)
    }
}
