import Storage

/// An ARRAY column's parts (offsets into one child column), read once per kernel call, and the ways array kernels
/// build their results from them: by picking child rows (`gatherRows`), so elements stay in contiguous buffers.
struct ListColumn {
    let offsets: [Int32]
    let child: Column
    let validity: [UInt8]?
    let count: Int

    init(_ column: Column) throws {
        guard case let .list(offsets, child) = column.data else {
            throw TarnError(.internal, "an array function got a \(column.type) column")
        }
        self.offsets = offsets
        self.child = child
        self.validity = column.validity
        self.count = offsets.count - 1
    }

    var elementType: DataType { child.type }

    @inline(__always) func isNull(_ row: Int) -> Bool { (validity?[row] ?? 1) == 0 }
    @inline(__always) func range(_ row: Int) -> Range<Int> { Int(offsets[row]) ..< Int(offsets[row + 1]) }
    @inline(__always) func length(_ row: Int) -> Int { Int(offsets[row + 1] - offsets[row]) }

    /// For every child row in `offsets[0] ..< offsets[count]`, the row of the array holding it.
    func parentRows() -> [Int32] {
        var parents = [Int32](repeating: 0, count: Int(offsets[count] - offsets[0]))
        let base = Int(offsets[0])
        for row in 0 ..< count { for k in range(row) { parents[k - base] = Int32(row) } }
        return parents
    }

    /// An array column whose row `r` holds child rows `picks[newOffsets[r] ..< newOffsets[r + 1]]` of `source`.
    static func gatherRows(_ source: Column, picks: [Int32], offsets newOffsets: [Int32], validity: [UInt8]?) -> Column {
        Column(type: .array(source.type), data: .list(offsets: newOffsets, child: source.gather(picks)),
               validity: ColumnKernels.normalized(validity))
    }

    /// Collects picked child rows row by row, then gathers them once.
    struct Picker {
        var picks: [Int32] = []
        var offsets: [Int32] = [0]
        var validity: [UInt8]

        init(count: Int, validity: [UInt8]?) {
            self.validity = validity ?? [UInt8](repeating: 1, count: count)
            offsets.reserveCapacity(count + 1)
        }

        mutating func pick(_ row: Int) { picks.append(Int32(row)) }
        mutating func endRow() { offsets.append(Int32(picks.count)) }
        mutating func nullRow(_ row: Int) { validity[row] = 0; offsets.append(Int32(picks.count)) }

        func finish(_ source: Column) -> Column {
            ListColumn.gatherRows(source, picks: picks, offsets: offsets, validity: validity)
        }
    }
}
