import Storage

/// Text of one value in the human-readable formats (table, box, markdown, line, bar).
enum CellText {
    /// NULL prints as `NULL`; control characters are made visible so a cell stays on one line.
    static func display(_ value: Value) -> String {
        guard case let .varchar(s) = value else { return value.description }
        guard s.unicodeScalars.contains(where: { $0.value < 0x20 }) else { return s }
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(scalar.value < 0x20 ? "?" : scalar)
            }
        }
        return out
    }

    /// Display width in terminal cells: East Asian wide and fullwidth characters and emoji take two cells,
    /// combining marks, variation selectors and joiners none, everything else one (per grapheme cluster, so an emoji
    /// sequence joined by ZWJ counts once).
    static func width(_ s: String) -> Int {
        var total = 0
        for character in s {
            if character.isASCII { total += 1; continue }
            total += character.unicodeScalars.reduce(0) { max($0, scalarWidth($1)) }
        }
        return total
    }

    /// Cells one scalar takes on a terminal (0, 1 or 2).
    static func scalarWidth(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x300 { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if (0xFE00...0xFE0F).contains(v) || v == 0x200B { return 0 }
        if scalar.properties.isEmojiPresentation { return 2 }
        let wide: [ClosedRange<UInt32>] = [
            0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
            0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
        ]
        return wide.contains { $0.contains(v) } ? 2 : 1
    }

    /// `s` cut to at most `width` cells, ending in `…` when cut.
    static func truncate(_ s: String, to width: Int) -> String {
        guard self.width(s) > width else { return s }
        guard width > 1 else { return width == 1 ? "…" : "" }
        var out = "", used = 0
        for character in s {
            let w = self.width(String(character))
            if used + w > width - 1 { break }
            out.append(character)
            used += w
        }
        return out + "…"
    }

    static func pad(_ s: String, to width: Int, right: Bool) -> String {
        let gap = width - self.width(s)
        guard gap > 0 else { return s }
        let spaces = String(repeating: " ", count: gap)
        return right ? spaces + s : s + spaces
    }
}
