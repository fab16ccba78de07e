import Foundation

/// A time zone's UTC offsets over time, from the system tz database (Foundation's `TimeZone(identifier:)`, which reads
/// /usr/share/zoneinfo), for TIMESTAMP WITH TIME ZONE: instant → local time and back, and text with the offset.
///
/// The offsets from 1800 to 2200 are read once into a table of transitions (a few hundred entries for a zone with
/// daylight saving time), so converting a column is a binary search per row with no allocation and no Foundation
/// call; instants outside that range ask Foundation. Fixed zones (`UTC`, `+05:30`) need no table.
/// Instances are immutable and shared through `named(_:)`'s cache.
public final class TimeZoneRules: Sendable, CustomStringConvertible {
    /// The zone's name as the user spelled it (`Europe/Paris`, `UTC`, `+05:30`).
    public let name: String
    /// UTC seconds at which each offset period starts (ascending; the first period has no start).
    private let starts: [Int64]
    /// Offset east of UTC in seconds: `offsets[0]` before `starts[0]`, `offsets[i + 1]` from `starts[i]` on.
    private let offsets: [Int64]
    private let zone: TimeZone?

    private static let tableStart: Int64 = -5_364_662_400 // 1800-01-01 UTC
    private static let tableEnd: Int64 = 7_258_118_400 // 2200-01-01 UTC
    private static let microsPerSecond: Int64 = 1_000_000

    /// UTC (the default session zone).
    public static let utc = TimeZoneRules(name: "UTC", fixedOffsetSeconds: 0)

    private init(name: String, fixedOffsetSeconds: Int64) {
        self.name = name
        self.starts = []
        self.offsets = [fixedOffsetSeconds]
        self.zone = nil
    }

    private init(name: String, zone: TimeZone) {
        self.name = name
        self.zone = zone
        var starts: [Int64] = []
        var offsets: [Int64] = [Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(Self.tableStart))))]
        var cursor = Date(timeIntervalSince1970: Double(Self.tableStart))
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next.timeIntervalSince1970 < Double(Self.tableEnd), next > cursor {
            let offset = Int64(zone.secondsFromGMT(for: next))
            if offset != offsets[offsets.count - 1] {
                starts.append(Int64(next.timeIntervalSince1970.rounded()))
                offsets.append(offset)
            }
            cursor = next
        }
        self.starts = starts
        self.offsets = offsets
    }

    public var description: String { name }

    /// Whether the zone has one offset at every instant (UTC, `+05:30`).
    public var isFixed: Bool { zone == nil }

    // MARK: Lookup by name

    private static let cache = NameCache()

    /// The zone named `name`: an IANA name (`America/New_York`, matched ignoring case), `UTC` / `GMT` / `Z`, or a
    /// fixed offset `+HH`, `+HH:MM`, `-HHMM` (also after `UTC` / `GMT`: `UTC+2`); nil when unknown.
    public static func named(_ name: String) -> TimeZoneRules? {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if let hit = cache.get(trimmed) { return hit }
        guard let rules = resolve(trimmed) else { return nil }
        cache.put(trimmed, rules)
        return rules
    }

    private static func resolve(_ name: String) -> TimeZoneRules? {
        let upper = name.uppercased()
        if ["UTC", "Z", "GMT", "ETC/UTC", "ETC/GMT", "UCT", "ZULU", "UNIVERSAL", "ETC/UNIVERSAL", "ETC/ZULU", "GMT0", "ETC/GMT0"].contains(upper) {
            return TimeZoneRules(name: name, fixedOffsetSeconds: 0)
        }
        if let first = name.first, first == "+" || first == "-", let micros = ValueFormatting.parseUTCOffset(Substring(name)) {
            return TimeZoneRules(name: name, fixedOffsetSeconds: micros / microsPerSecond)
        }
        for prefix in ["UTC", "GMT"] where upper.hasPrefix(prefix) && upper.count > 3 {
            let rest = name.dropFirst(3)
            if let first = rest.first, first == "+" || first == "-", let micros = ValueFormatting.parseUTCOffset(rest) {
                return TimeZoneRules(name: name, fixedOffsetSeconds: micros / microsPerSecond)
            }
        }
        guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/_-+".contains($0)) }), !name.isEmpty else { return nil }
        if let zone = TimeZone(identifier: name) { return TimeZoneRules(name: name, zone: zone) }
        // Case-insensitive match against the known identifiers (`europe/paris`), reported with the database's spelling.
        // The rules are shared with the canonical spelling's, so case variants do not each build a table.
        if let known = TimeZone.knownTimeZoneIdentifiers.first(where: { $0.uppercased() == upper }), known != name {
            return named(known)
        }
        return nil
    }

    /// `named(name)`, or an error naming the unknown zone.
    public static func require(_ name: String) throws -> TimeZoneRules {
        if let rules = named(name) { return rules }
        throw TarnError(.execution, "unknown time zone '\(name)' (expected an IANA name such as 'Europe/Paris', 'UTC', or an offset such as '+05:30')")
    }

    // MARK: Conversion

    /// Offset east of UTC, in seconds, at the instant `utcSeconds`.
    @inline(__always) public func offsetSeconds(atUTCSeconds utcSeconds: Int64) -> Int64 {
        if starts.isEmpty { return offsets[0] }
        if let zone, utcSeconds < Self.tableStart || utcSeconds >= Self.tableEnd {
            return Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(utcSeconds))))
        }
        // Number of period starts at or before `utcSeconds`.
        var low = 0, high = starts.count
        while low < high {
            let mid = (low + high) >> 1
            if starts[mid] <= utcSeconds { low = mid + 1 } else { high = mid }
        }
        return offsets[low]
    }

    /// The offset period holding `utcSeconds`: its offset and the instants it starts at and ends before
    /// (`Int64.min` / `Int64.max` when unbounded; a one-second period outside the table, where Foundation answers).
    func period(containing utcSeconds: Int64) -> (offset: Int64, start: Int64, end: Int64) {
        if starts.isEmpty { return (offsets[0], .min, .max) }
        if zone != nil, utcSeconds < Self.tableStart || utcSeconds >= Self.tableEnd {
            return (offsetSeconds(atUTCSeconds: utcSeconds), utcSeconds, utcSeconds &+ 1)
        }
        var low = 0, high = starts.count
        while low < high {
            let mid = (low + high) >> 1
            if starts[mid] <= utcSeconds { low = mid + 1 } else { high = mid }
        }
        return (offsets[low], low == 0 ? .min : starts[low - 1], low == starts.count ? .max : starts[low])
    }

    /// A cursor over this zone's offsets for one column's loop: remembers the last offset period, so rows in the same
    /// period (most rows of real data) need no search. A value type, so each loop (and thread) has its own.
    public func cursor() -> TimeZoneCursor { TimeZoneCursor(self) }

    /// Offset in microseconds at the instant `utcMicros` (µs since the epoch).
    @inline(__always) public func offsetMicros(atUTC utcMicros: Int64) -> Int64 {
        offsetSeconds(atUTCSeconds: Self.floorDiv(utcMicros, Self.microsPerSecond)) &* Self.microsPerSecond
    }

    /// The local wall-clock time (as TIMESTAMP µs) of the instant `utcMicros`.
    @inline(__always) public func localMicros(fromUTC utcMicros: Int64) -> Int64 {
        utcMicros &+ offsetMicros(atUTC: utcMicros)
    }

    /// The instant of local wall-clock time `localMicros`. Like DuckDB (ICU's defaults, "wall time last"): a time that
    /// does not exist (skipped by a spring-forward gap) is read with the offset before the gap, so 02:30 in a
    /// 02:00 → 03:00 gap is 03:30 of the new offset; a time that happens twice (fall back) is its second occurrence
    /// (the later instant, in the offset after the transition).
    public func utcMicros(fromLocal localMicros: Int64) -> Int64 {
        if starts.isEmpty { return localMicros &- offsets[0] &* Self.microsPerSecond }
        let localSeconds = Self.floorDiv(localMicros, Self.microsPerSecond)
        let before = offsetSeconds(atUTCSeconds: localSeconds &- 86_400)
        let after = offsetSeconds(atUTCSeconds: localSeconds &+ 86_400)
        if before == after { return localMicros &- before &* Self.microsPerSecond }
        let early = localSeconds &- before, late = localSeconds &- after
        let earlyValid = offsetSeconds(atUTCSeconds: early) == before
        let lateValid = offsetSeconds(atUTCSeconds: late) == after
        let offset: Int64
        switch (earlyValid, lateValid) {
        case (true, true): offset = early >= late ? before : after
        case (true, false): offset = before
        case (false, true): offset = after
        case (false, false): offset = before
        }
        return localMicros &- offset &* Self.microsPerSecond
    }

    // MARK: Text

    /// The instant as DuckDB and PostgreSQL show a TIMESTAMPTZ: local time in this zone and its offset
    /// (`2024-03-10 13:00:00+01`, `2024-03-10 17:30:00+05:30`).
    public func format(_ utcMicros: Int64) -> String {
        let offset = offsetSeconds(atUTCSeconds: Self.floorDiv(utcMicros, Self.microsPerSecond))
        return ValueFormatting.format(timestamp: utcMicros &+ offset &* Self.microsPerSecond) + Self.formatOffset(seconds: offset)
    }

    /// `+01`, `-05`, `+05:30`, `+00:53:28`.
    public static func formatOffset(seconds: Int64) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let m = seconds.magnitude
        func two(_ v: UInt64) -> String { v < 10 ? "0\(v)" : String(v) }
        var text = sign + two(m / 3600)
        if m % 3600 != 0 { text += ":" + two(m / 60 % 60) }
        if m % 60 != 0 { text += ":" + two(m % 60) }
        return text
    }

    /// Parses a TIMESTAMPTZ text: `YYYY-MM-DD[ T]HH:MM[:SS[.ffffff]]` or a bare date, followed by an offset
    /// (`+02`, `-05:30`, `Z`) or a zone name (`2024-03-10 12:00 America/New_York`); without either, the time is local
    /// time in `self` (the session zone). Returns the instant, nil when malformed; an unknown zone name throws.
    public func parseInstant(_ text: Substring) throws -> Int64? {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard let dateEnd = t.firstIndex(where: { $0 == " " || $0 == "T" }) else {
            return ValueFormatting.parseTimestamp(Substring(t)).map { utcMicros(fromLocal: $0) }
        }
        let rest = t[t.index(after: dateEnd)...]
        // A zone name: the last space-separated word, holding a letter (`America/New_York`, `UTC`, `CET`).
        if let space = rest.lastIndex(of: " "), rest[rest.index(after: space)...].contains(where: { $0.isLetter }) {
            let zoneName = String(rest[rest.index(after: space)...])
            guard let local = ValueFormatting.parseTimestamp(Substring(t[..<space])) else { return nil }
            guard let zone = Self.named(zoneName) else {
                throw TarnError(.execution, "unknown time zone '\(zoneName)' in '\(t)'")
            }
            return zone.utcMicros(fromLocal: local)
        }
        let hasOffset = rest.contains(where: { $0 == "+" || $0 == "-" || $0 == "Z" || $0 == "z" })
        guard let parsed = ValueFormatting.parseTimestamp(Substring(t)) else { return nil }
        return hasOffset ? parsed : utcMicros(fromLocal: parsed)
    }

    @inline(__always) private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}

/// `TimeZoneRules` conversions that remember the last offset period (see `TimeZoneRules.cursor()`).
public struct TimeZoneCursor {
    public let rules: TimeZoneRules
    private var offset: Int64 = 0
    private var start: Int64 = 1
    private var end: Int64 = 0
    /// Local times this far (seconds) from a transition are unambiguous: no zone's offset changes by more than a day.
    private static let margin: Int64 = 2 * 86_400

    init(_ rules: TimeZoneRules) { self.rules = rules }

    @inline(__always) public mutating func offsetSeconds(atUTCSeconds s: Int64) -> Int64 {
        if s >= start, s < end { return offset }
        (offset, start, end) = rules.period(containing: s)
        return offset
    }

    @inline(__always) public mutating func localMicros(fromUTC utcMicros: Int64) -> Int64 {
        let s = utcMicros >= 0 ? utcMicros / 1_000_000 : -((-(utcMicros &+ 1)) / 1_000_000) - 1
        return utcMicros &+ offsetSeconds(atUTCSeconds: s) &* 1_000_000
    }

    /// `TimeZoneRules.utcMicros(fromLocal:)`, without a search when the time is well inside the remembered period.
    @inline(__always) public mutating func utcMicros(fromLocal localMicros: Int64) -> Int64 {
        if start <= end {
            let s = (localMicros >= 0 ? localMicros / 1_000_000 : -((-(localMicros &+ 1)) / 1_000_000) - 1) &- offset
            if (start == .min || s &- start >= Self.margin), (end == .max || end &- s > Self.margin) {
                return localMicros &- offset &* 1_000_000
            }
        }
        let utc = rules.utcMicros(fromLocal: localMicros)
        _ = self.localMicros(fromUTC: utc)
        return utc
    }

    /// `TimeZoneRules.format` through the cursor.
    public mutating func format(_ utcMicros: Int64) -> String {
        let local = localMicros(fromUTC: utcMicros)
        return ValueFormatting.format(timestamp: local) + TimeZoneRules.formatOffset(seconds: (local &- utcMicros) / 1_000_000)
    }
}

/// The process-wide cache of zones by name (zones are immutable; building one reads the tz database).
private final class NameCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: TimeZoneRules] = [:]
    func get(_ name: String) -> TimeZoneRules? { lock.lock(); defer { lock.unlock() }; return entries[name] }
    func put(_ name: String, _ rules: TimeZoneRules) { lock.lock(); entries[name] = rules; lock.unlock() }
}
