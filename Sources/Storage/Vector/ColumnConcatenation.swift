/// Concatenation of equally typed columns, shared by operators (batches) and the data file writer (row groups).
extension Column {
    /// Concatenates equally typed columns. Dictionary columns sharing one dictionary stay encoded;
    /// otherwise strings are flattened.
    public static func concatenate(_ parts: [Column], type: DataType) -> Column {
        if parts.count == 1 { return parts[0] }
        if parts.isEmpty { return Column(type: type, data: .zeros(type, count: 0)) }
        let total = parts.reduce(0) { $0 + $1.count }
        var validity: [UInt8]? = nil
        if parts.contains(where: { $0.validity != nil }) {
            var v = [UInt8]()
            v.reserveCapacity(total)
            for p in parts {
                if let pv = p.validity { v.append(contentsOf: pv) } else { v.append(contentsOf: [UInt8](repeating: 1, count: p.count)) }
            }
            validity = v
        }
        switch type.physical {
        case .bool:
            var out = [Bool](); out.reserveCapacity(total)
            for p in parts { if case let .bool(a) = p.data { out.append(contentsOf: a) } else { out.append(contentsOf: repeatElement(false, count: p.count)) } }
            return Column(type: type, data: .bool(out), validity: validity)
        case .int32:
            var out = [Int32](); out.reserveCapacity(total)
            for p in parts { if case let .int32(a) = p.data { out.append(contentsOf: a) } else { out.append(contentsOf: repeatElement(0, count: p.count)) } }
            return Column(type: type, data: .int32(out), validity: validity)
        case .int64:
            var out = [Int64](); out.reserveCapacity(total)
            for p in parts { if case let .int64(a) = p.data { out.append(contentsOf: a) } else { out.append(contentsOf: repeatElement(0, count: p.count)) } }
            return Column(type: type, data: .int64(out), validity: validity)
        case .int128:
            var out = [Int128](); out.reserveCapacity(total)
            for p in parts { if case let .int128(a) = p.data { out.append(contentsOf: a) } else { out.append(contentsOf: repeatElement(0, count: p.count)) } }
            return Column(type: type, data: .int128(out), validity: validity)
        case .double:
            var out = [Double](); out.reserveCapacity(total)
            for p in parts { if case let .double(a) = p.data { out.append(contentsOf: a) } else { out.append(contentsOf: repeatElement(0, count: p.count)) } }
            return Column(type: type, data: .double(out), validity: validity)
        case .string:
            if case let .dictionary(_, firstDict) = parts[0].data,
               parts.allSatisfy({ if case let .dictionary(_, d) = $0.data { return d.sharesStorage(with: firstDict) } else { return false } }) {
                var codes = [Int32](); codes.reserveCapacity(total)
                for p in parts { if case let .dictionary(c, _) = p.data { codes.append(contentsOf: c) } }
                return Column(type: type, data: .dictionary(codes: codes, dictionary: firstDict), validity: validity)
            }
            if let merged = mergedDictionaries(parts, type: type, total: total, validity: validity) { return merged }
            var out = StringArray()
            out.offsets.reserveCapacity(total + 1)
            for p in parts {
                switch p.data {
                case let .string(s):
                    let base = out.bytes.count
                    out.bytes.append(contentsOf: s.bytes[s.offsets[0]..<s.offsets[s.count]])
                    let first = s.offsets[0]
                    for k in 1...max(s.count, 1) where k <= s.count { out.offsets.append(base + s.offsets[k] - first) }
                case let .dictionary(codes, dict):
                    for c in codes { out.append(from: dict, at: Int(c)) }
                default:
                    for _ in 0..<p.count { out.appendEmpty() }
                }
            }
            return Column(type: type, data: .string(out), validity: validity)
        case .list:
            var offsets: [Int32] = [0]
            offsets.reserveCapacity(total + 1)
            var children: [Column] = []
            for p in parts {
                guard case let .list(o, child) = p.data else {
                    offsets.append(contentsOf: repeatElement(offsets[offsets.count - 1], count: p.count))
                    continue
                }
                let base = offsets[offsets.count - 1] - o[0]
                for k in 1..<o.count { offsets.append(o[k] + base) }
                children.append(child.slice(Int(o[0])..<Int(o[o.count - 1])))
            }
            let element = type.listChildType ?? .null
            return Column(type: type, data: .list(offsets: offsets, child: concatenate(children, type: element)), validity: validity)
        case .fields:
            let fields = type.rowFields ?? []
            let columns = fields.indices.map { k in
                concatenate(parts.map { p -> Column in
                    if case let .fields(f) = p.data, k < f.count { return f[k] }
                    return Column.nulls(fields[k].type, count: p.count)
                }, type: fields[k].type)
            }
            return Column(type: type, data: .fields(columns), validity: validity)
        }
    }

    /// Dictionary parts with different dictionaries whose entries together are few next to the rows (at most
    /// `mergedDictionaryLimit`, and an eighth of the rows): one merged dictionary, each part's codes translated once per
    /// entry, so materialising operators (sorts, windows, join builds) keep gathering and comparing codes instead of
    /// copying strings. Nil when a part is not dictionary-encoded or the entries are too many.
    static func mergedDictionaries(_ parts: [Column], type: DataType, total: Int, validity: [UInt8]?) -> Column? {
        var entries = 0
        for p in parts {
            guard case let .dictionary(_, d) = p.data else { return nil }
            entries += d.count
        }
        guard entries <= mergedDictionaryLimit, entries * 8 <= total else { return nil }
        var merged = StringArray()
        var index: [[UInt8]: Int32] = [:]  // bytes, not String: String equality is Unicode-canonical
        index.reserveCapacity(entries)
        var codes = [Int32]()
        codes.reserveCapacity(total)
        for p in parts {
            guard case let .dictionary(partCodes, d) = p.data else { return nil }
            var translation = [Int32](repeating: 0, count: d.count)
            for e in 0 ..< d.count {
                let text = d.withBytes(at: e) { Array($0) }
                if let known = index[text] {
                    translation[e] = known
                } else {
                    let code = Int32(merged.count)
                    merged.append(from: d, at: e)
                    index[text] = code
                    translation[e] = code
                }
            }
            translation.withUnsafeBufferPointer { t in
                for c in partCodes { codes.append(t.indices.contains(Int(c)) ? t[Int(c)] : 0) }
            }
        }
        if merged.count == 0 { merged.appendEmpty() }
        return Column(type: type, data: .dictionary(codes: codes, dictionary: merged), validity: validity)
    }

    /// Most dictionary entries `concatenate` merges into one dictionary.
    static let mergedDictionaryLimit = 65_536
}

extension StringArray {
    /// True when two string arrays share their storage (the same dictionary flowing through a scan).
    public func sharesStorage(with other: StringArray) -> Bool {
        guard offsets.count == other.offsets.count, bytes.count == other.bytes.count else { return false }
        let o = offsets.withUnsafeBufferPointer { x in other.offsets.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress } }
        let by = bytes.withUnsafeBufferPointer { x in other.bytes.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress } }
        return o && by
    }

}
