import NIOCore

/// PostgreSQL's binary NUMERIC: base-10000 digits with a weight, a sign and a display scale.
enum PostgresNumeric {
    static let positive: UInt16 = 0x0000
    static let negative: UInt16 = 0x4000

    /// Writes the decimal `unscaled / 10^scale` (scale 0…18).
    static func writeBinary(unscaled: Int64, scale: Int, into out: inout ByteBuffer) {
        writeBinary(unscaled: Int128(unscaled), scale: scale, into: &out)
    }

    /// Writes the decimal `unscaled / 10^scale` (DECIMAL(19…38), scale 0…38).
    static func writeBinary(unscaled: Int128, scale: Int, into out: inout ByteBuffer) {
        let scale = max(0, min(scale, 38))
        let power = Int128.powerOfTen(scale).magnitude
        let magnitude = unscaled.magnitude
        var integer = magnitude / power
        let fraction = magnitude % power
        var intGroups: [Int16] = []
        while integer > 0 { intGroups.insert(Int16(integer % 10_000), at: 0); integer /= 10_000 }
        var fracDigits = String(fraction)
        if fracDigits.count < scale { fracDigits = String(repeating: "0", count: scale - fracDigits.count) + fracDigits }
        if scale == 0 { fracDigits = "" }
        while fracDigits.count % 4 != 0 { fracDigits += "0" }
        var fracGroups: [Int16] = []
        var chars = Substring(fracDigits)
        while !chars.isEmpty { fracGroups.append(Int16(chars.prefix(4)) ?? 0); chars = chars.dropFirst(4) }
        var digits = intGroups + fracGroups
        var weight = intGroups.count - 1
        while let first = digits.first, first == 0 { digits.removeFirst(); weight -= 1 }
        while let last = digits.last, last == 0 { digits.removeLast() }
        if digits.isEmpty { weight = 0 }
        out.writeInteger(Int16(digits.count))
        out.writeInteger(Int16(weight))
        out.writeInteger(unscaled < 0 && !digits.isEmpty ? negative : positive)
        out.writeInteger(Int16(scale))
        for d in digits { out.writeInteger(d) }
    }

    /// Decimal text of a binary NUMERIC (nil when malformed, NaN or infinite).
    static func readBinary(_ buffer: inout ByteBuffer) -> String? {
        guard let n: Int16 = buffer.readInteger(), let weight: Int16 = buffer.readInteger(),
              let sign: UInt16 = buffer.readInteger(), let dscale: Int16 = buffer.readInteger(),
              n >= 0, n <= 1000, dscale >= 0, dscale <= 1000, sign == positive || sign == negative else { return nil }
        var digits: [Int] = []
        for _ in 0..<n {
            guard let d: Int16 = buffer.readInteger(), d >= 0, d < 10_000 else { return nil }
            digits.append(Int(d))
        }
        var integer = ""
        var fraction = ""
        let w = Int(weight)
        if w >= 0 {
            for position in 0...w {
                let d = position < digits.count ? digits[position] : 0
                integer += integer.isEmpty ? String(d) : pad4(d)
            }
        }
        if w < -1 { fraction += String(repeating: "0000", count: -w - 1) }
        if digits.count > w + 1 {
            for position in max(0, w + 1)..<digits.count { fraction += pad4(digits[position]) }
        }
        if integer.isEmpty { integer = "0" }
        let scale = Int(dscale)
        if fraction.count > scale { fraction = String(fraction.prefix(scale)) }
        while fraction.count < scale { fraction += "0" }
        let text = fraction.isEmpty ? integer : integer + "." + fraction
        return sign == negative ? "-" + text : text
    }

    private static func pad4(_ d: Int) -> String {
        let s = String(d)
        return String(repeating: "0", count: 4 - s.count) + s
    }
}
