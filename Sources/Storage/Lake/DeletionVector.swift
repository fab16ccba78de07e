import Foundation

/// The rows of one data file that a table version no longer holds (Delta Lake's deletion vectors): row numbers
/// within the file (0-based, over all row groups in order), sorted and distinct. UPDATE, DELETE and MERGE on a table
/// with `deletion_vectors = 'true'` record one instead of rewriting the file; every read of the file through
/// `TableSnapshot` leaves these rows out.
///
/// Stored in the catalog table `deletion_vectors` as text (docs/LAKE.md): a kind letter and base64 of either the
/// row numbers as little-endian UInt32 (`L`, sparse vectors) or a bitmap of the file's rows, bit `r % 8` of byte
/// `r / 8` set for a deleted row (`B`, dense vectors), whichever is smaller.
public struct DeletionVector: Sendable, Equatable {
    /// Deleted row numbers, ascending, distinct.
    public let positions: [UInt32]

    /// `positions` must be ascending and distinct.
    init(sorted positions: [UInt32]) { self.positions = positions }

    public var count: Int { positions.count }

    /// This vector with `more` rows deleted too (any order, duplicates allowed).
    func adding(_ more: [UInt32]) -> DeletionVector {
        // A merge of two sorted lists, duplicates dropped (a Set of both hashed every position).
        let extra = more.sorted()
        var out: [UInt32] = []
        out.reserveCapacity(positions.count + extra.count)
        var i = 0, j = 0
        while i < positions.count || j < extra.count {
            let next: UInt32
            if j == extra.count || (i < positions.count && positions[i] <= extra[j]) {
                next = positions[i]; i += 1
            } else {
                next = extra[j]; j += 1
            }
            if out.last != next { out.append(next) }
        }
        return DeletionVector(sorted: out)
    }

    /// The file row numbers of the live rows with the given ordinals (the `k`-th row this vector does not delete,
    /// counting from 0 in file order); `ordinals` ascending and distinct.
    func physicalRows(ofLive ordinals: [Int]) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(ordinals.count)
        var j = 0
        for k in ordinals {
            var p = k + j
            while j < positions.count, Int(positions[j]) <= p { j += 1; p = k + j }
            out.append(UInt32(p))
        }
        return out
    }

    /// The indices into `positions` of the deleted rows within `rows` (a row group's row numbers in the file).
    func indices(in rows: Range<Int>) -> Range<Int> {
        func lowerBound(_ value: Int) -> Int {
            var lo = 0, hi = positions.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if Int(positions[mid]) < value { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        return lowerBound(rows.lowerBound)..<lowerBound(rows.upperBound)
    }

    /// The positions within a row group starting at file row `start` with `rowCount` rows that are not deleted,
    /// ascending; nil when none of its rows is deleted.
    func liveRows(groupStart start: Int, rowCount: Int) -> [Int32]? {
        let deleted = indices(in: start..<(start + rowCount))
        guard !deleted.isEmpty else { return nil }
        var live: [Int32] = []
        live.reserveCapacity(rowCount - deleted.count)
        var next = deleted.lowerBound
        for r in 0..<rowCount {
            if next < deleted.upperBound, Int(positions[next]) == start + r { next += 1; continue }
            live.append(Int32(r))
        }
        return live
    }

    /// A fingerprint of the deleted rows (FNV-1a): files with the same path and different vectors hold different rows.
    public var digest: UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for p in positions {
            h = (h ^ UInt64(p)) &* 0x100_0000_01b3
        }
        return h
    }

    /// The catalog text of this vector for a file of `physicalRows` rows.
    func encoded(physicalRows: Int) -> String {
        let bitmapBytes = (physicalRows + 7) / 8
        var bytes: [UInt8]
        let kind: String
        if positions.count * 4 > bitmapBytes {
            kind = "B"
            bytes = [UInt8](repeating: 0, count: bitmapBytes)
            for p in positions { bytes[Int(p) >> 3] |= 1 << UInt8(p & 7) }
        } else {
            kind = "L"
            bytes = []
            bytes.reserveCapacity(positions.count * 4)
            for p in positions { withUnsafeBytes(of: p.littleEndian) { bytes.append(contentsOf: $0) } }
        }
        return kind + Data(bytes).base64EncodedString()
    }

    /// Decodes `encoded(physicalRows:)`; `.corruption` naming `file` when the text is not a valid vector of a
    /// file of `physicalRows` rows with `count` deleted rows.
    static func decode(_ text: String, physicalRows: Int, count: Int, file: String) throws -> DeletionVector {
        func damaged(_ why: String) -> TarnError {
            TarnError.corruption("the lake catalog holds a damaged deletion vector for \(file): \(why)")
        }
        guard let kind = text.first, let data = Data(base64Encoded: String(text.dropFirst())) else { throw damaged("not base64 text") }
        let bytes = [UInt8](data)
        var positions: [UInt32] = []
        positions.reserveCapacity(max(0, count))
        switch kind {
        case "L":
            guard bytes.count % 4 == 0 else { throw damaged("\(bytes.count) bytes is not a list of 32-bit row numbers") }
            var previous: Int = -1
            for i in stride(from: 0, to: bytes.count, by: 4) {
                let p = UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
                guard Int(p) > previous else { throw damaged("row numbers not ascending at \(p)") }
                previous = Int(p)
                positions.append(p)
            }
        case "B":
            guard bytes.count == (physicalRows + 7) / 8 else {
                throw damaged("a bitmap of \(bytes.count) bytes for a file of \(physicalRows) rows")
            }
            for (i, byte) in bytes.enumerated() where byte != 0 {
                for bit in 0..<8 where byte & (1 << UInt8(bit)) != 0 { positions.append(UInt32(i * 8 + bit)) }
            }
        default:
            throw damaged("unknown kind '\(kind)'")
        }
        if let last = positions.last, Int(last) >= physicalRows {
            throw damaged("row \(last) deleted in a file of \(physicalRows) rows")
        }
        guard positions.count == count else { throw damaged("\(positions.count) rows where the catalog counts \(count)") }
        return DeletionVector(sorted: positions)
    }
}
