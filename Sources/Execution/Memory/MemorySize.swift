import Foundation
import Storage

/// Byte sizes as settings write them: `'2GB'`, `'512 MiB'`, `'64kb'`, `'1000000'` (parse) and `2GB` (format).
///
/// As in DuckDB, KB / MB / GB / TB are powers of 1000 and KiB / MiB / GiB / TiB powers of 1024; case does not matter.
public enum MemorySize {
    private static let units: [(suffix: String, factor: Double)] = [
        ("b", 1), ("byte", 1), ("bytes", 1),
        ("k", 1e3), ("kb", 1e3), ("m", 1e6), ("mb", 1e6), ("g", 1e9), ("gb", 1e9), ("t", 1e12), ("tb", 1e12),
        ("kib", 1024), ("mib", 1_048_576), ("gib", 1_073_741_824), ("tib", 1_099_511_627_776),
    ]

    /// Bytes of `text`, or a `.semantic` error naming `setting` and saying what is accepted.
    public static func parse(_ text: String, setting: String) throws -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let digits = trimmed.prefix { $0.isNumber || $0 == "." }
        let suffix = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        guard !digits.isEmpty, let number = Double(digits), number.isFinite,
              let factor = suffix.isEmpty ? 1 : units.first(where: { $0.suffix == suffix })?.factor else {
            throw TarnError.semantic("\(setting) '\(text)' is not a size; write e.g. '2GB', '512MB', '1.5GiB' or a number of bytes")
        }
        let bytes = (number * factor).rounded()
        guard bytes >= 1, bytes < Double(Int.max) else {
            throw TarnError.semantic("\(setting) '\(text)' is out of range; it must be at least 1 byte")
        }
        return Int(bytes)
    }

    /// `bytes` as a short size: `2GB`, `64KiB`, `1.5GB`; `unlimited` for `Int.max`.
    public static func format(_ bytes: Int) -> String {
        if bytes == Int.max { return "unlimited" }
        let decimal: [(String, Int)] = [("TB", 1_000_000_000_000), ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1000)]
        let binary: [(String, Int)] = [("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
        // Exact in a decimal unit with at most one decimal ("2GB", "1.5GB"), else exact in a binary one ("64KiB").
        for (name, factor) in decimal where bytes >= factor && (bytes % factor == 0 || (factor >= 10 && bytes % (factor / 10) == 0)) {
            return bytes % factor == 0 ? "\(bytes / factor)\(name)" : "\(Double(bytes / (factor / 10)) / 10)\(name)"
        }
        for (name, factor) in binary where bytes >= factor && bytes % factor == 0 { return "\(bytes / factor)\(name)" }
        for (name, factor) in decimal where bytes >= factor {
            let value = (Double(bytes) / Double(factor) * 10).rounded() / 10
            return value == value.rounded() ? "\(Int(value))\(name)" : "\(value)\(name)"
        }
        return "\(bytes) bytes"
    }

    /// The default `memory_limit`: 80% of the machine's physical memory.
    public static let defaultLimit: Int = {
        let physical = Double(ProcessInfo.processInfo.physicalMemory)
        return physical > 0 ? Int(min(physical * 0.8, Double(Int.max / 2))) : Int.max
    }()
}
