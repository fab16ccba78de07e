import Foundation
import Storage

/// Text formatting and parsing of timestamps:
/// - `format_datetime(ts, pattern)` with Joda-style letters: yyyy yy MMMM MMM MM M dd d HH H hh h mm m
///   ss s SSS EEEE EEE a, and `'quoted'` literals;
/// - `date_format(ts, format)` with MySQL specifiers: %Y %y %m %c %d %e %H %k %h %I %l %i %s %S %f %p %a
///   %W %b %M %j %T %r %%;
/// - `date_parse(text, format)` → TIMESTAMP with the same MySQL specifiers (%Y %m %c %d %e %H %k %h %i
///   %s %S %f %p %b %M %T %%); unparsable text is an error.
/// - `strftime(ts, format)` / `strptime(text, format)` (DuckDB, C): `%Y %y %m %-m %d %-d %H %-H %I %M %S %f %p %a %A
///   %b %B %j %T %%`, translated to the MySQL specifiers above; other codes are an error naming them.
/// DATE arguments are accepted (midnight).
enum DateFormatFunctions {
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    static let dayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    static var definitions: [FunctionDefinition] {
        [
            FunctionDefinition("format_datetime", [Overload([.timestamp, .varchar], .varchar) { a, n, _ in
                try format(a, n) { parts, pattern in try joda(parts, pattern) }
            }]),
            FunctionDefinition("date_format", [Overload([.timestamp, .varchar], .varchar) { a, n, _ in
                try format(a, n) { parts, pattern in mysql(parts, pattern) }
            }]),
            FunctionDefinition("strftime", [Overload([.timestamp, .varchar], .varchar) { a, n, _ in
                var translated: [String: String] = [:]
                return try format(a, n) { parts, pattern in
                    if translated[pattern] == nil { translated[pattern] = try cFormatAsMySQL(pattern, function: "strftime") }
                    return mysql(parts, translated[pattern] ?? pattern)
                }
            }]),
            FunctionDefinition("strptime", [Overload([.varchar, .varchar], .timestamp) { a, n, _ in
                let access = try StringFunctions.RowAccess(a, n)
                let rows = (0..<n).map { Int32($0) }
                var translated: [String: String] = [:]
                let v = try ColumnKernels.map(rows, access.validity, placeholder: Int64(0)) { i in
                    let s = access.strings(Int(i))
                    if translated[s[1]] == nil { translated[s[1]] = try cFormatAsMySQL(s[1], function: "strptime") }
                    guard let t = parse(s[0], translated[s[1]] ?? s[1]) else {
                        throw TarnError(.execution, "strptime: cannot parse '\(s[0])' with format '\(s[1])'")
                    }
                    return t
                }
                return Column(type: .timestamp, data: .int64(v), validity: access.validity)
            }]),
            FunctionDefinition("date_parse", [Overload([.varchar, .varchar], .timestamp) { a, n, _ in
                let access = try StringFunctions.RowAccess(a, n)
                let rows = (0..<n).map { Int32($0) }
                let v = try ColumnKernels.map(rows, access.validity, placeholder: Int64(0)) { i in
                    let s = access.strings(Int(i))
                    guard let t = parse(s[0], s[1]) else { throw TarnError(.execution, "date_parse: cannot parse '\(s[0])' with format '\(s[1])'") }
                    return t
                }
                return Column(type: .timestamp, data: .int64(v), validity: access.validity)
            }]),
        ]
    }

    /// Calendar fields of a timestamp.
    struct Parts {
        let year: Int64, month: Int, day: Int, hour: Int64, minute: Int64, second: Int64, micros: Int64, days: Int64
        init(_ t: Int64) {
            let (d, us) = DateMath.split(t)
            let c = ValueFormatting.civil(fromDays: d)
            year = c.year; month = c.month; day = c.day; days = d
            hour = us / DateMath.microsPerHour
            minute = us / DateMath.microsPerMinute % 60
            second = us / DateMath.microsPerSecond % 60
            micros = us % DateMath.microsPerSecond
        }
    }

    static func format(_ a: [Column], _ n: Int, _ body: (Parts, String) throws -> String) throws -> Column {
        let times = try ColumnKernels.int64s(a[0])
        let patterns = try StringColumnReader(a[1])
        let m = ColumnKernels.intersect(a[0].validity, a[1].validity)
        var out = StringArray()
        for i in 0..<n {
            if let m, m[i] == 0 { out.appendEmpty(); continue }
            out.append(try body(Parts(times[i]), patterns.string(i)))
        }
        return Column(type: .varchar, data: .string(out), validity: m)
    }

    static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v.magnitude)
        return (v < 0 ? "-" : "") + (s.count >= width ? s : String(repeating: "0", count: width - s.count) + s)
    }

    static func joda(_ p: Parts, _ pattern: String) throws -> String {
        let chars = Array(pattern)
        var out = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "'" {
                var j = i + 1
                if j < chars.count, chars[j] == "'" { out.append("'"); i += 2; continue }
                while j < chars.count, chars[j] != "'" { out.append(chars[j]); j += 1 }
                i = j + 1
                continue
            }
            guard c.isLetter else { out.append(c); i += 1; continue }
            var run = 1
            while i + run < chars.count, chars[i + run] == c { run += 1 }
            let hour12 = p.hour % 12 == 0 ? 12 : p.hour % 12
            switch c {
            case "y", "Y", "u": out += run == 2 ? pad(p.year % 100, 2) : pad(p.year, run)
            case "M":
                if run >= 4 { out += monthNames[p.month - 1] } else if run == 3 { out += String(monthNames[p.month - 1].prefix(3)) } else { out += pad(Int64(p.month), run) }
            case "d": out += pad(Int64(p.day), run)
            case "D": out += pad(DateMath.dayOfYear(p.days), run)
            case "H": out += pad(p.hour, run)
            case "h": out += pad(hour12, run)
            case "m": out += pad(p.minute, run)
            case "s": out += pad(p.second, run)
            case "S": out += String(pad(p.micros, 6).prefix(run))
            case "E":
                let name = dayNames[Int(DateMath.dayOfWeek(p.days) - 1)]
                out += run >= 4 ? name : String(name.prefix(3))
            case "a": out += p.hour < 12 ? "AM" : "PM"
            case "e": out += String(DateMath.dayOfWeek(p.days))
            default: throw TarnError(.execution, "format_datetime: unsupported pattern letter '\(c)'")
            }
            i += run
        }
        return out
    }

    /// A C / DuckDB `strftime` format as the MySQL format `mysql` and `parse` read.
    static func cFormatAsMySQL(_ format: String, function: String) throws -> String {
        let codes: [String: String] = [
            "Y": "%Y", "y": "%y", "m": "%m", "-m": "%c", "d": "%d", "-d": "%e", "H": "%H", "-H": "%k", "I": "%I", "-I": "%l",
            "M": "%i", "S": "%S", "f": "%f", "p": "%p", "a": "%a", "A": "%W", "b": "%b", "h": "%b", "B": "%M", "j": "%j",
            "T": "%T", "%": "%%",
        ]
        var out = ""
        var chars = Array(format)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            guard c == "%" else { out.append(c == "%" ? "%%" : String(c)); continue }
            var code = ""
            if chars.first == "-" { code = "-"; chars = chars.dropFirst() }
            guard let letter = chars.first else { throw TarnError(.execution, "\(function): the format '\(format)' ends in '%'") }
            chars = chars.dropFirst()
            code.append(letter)
            guard let mapped = codes[code] else {
                throw TarnError(.execution, "\(function): format code %\(code) is not supported (supported: "
                                + codes.keys.sorted().map { "%" + $0 }.joined(separator: " ") + ")")
            }
            out += mapped
        }
        return out
    }

    static func mysql(_ p: Parts, _ format: String) -> String {
        var out = ""
        var it = format.makeIterator()
        let hour12 = p.hour % 12 == 0 ? 12 : p.hour % 12
        while let c = it.next() {
            guard c == "%" else { out.append(c); continue }
            guard let spec = it.next() else { out.append("%"); break }
            switch spec {
            case "Y": out += pad(p.year, 4)
            case "y": out += pad(p.year % 100, 2)
            case "m": out += pad(Int64(p.month), 2)
            case "c": out += String(p.month)
            case "d": out += pad(Int64(p.day), 2)
            case "e": out += String(p.day)
            case "H": out += pad(p.hour, 2)
            case "k": out += String(p.hour)
            case "h", "I": out += pad(hour12, 2)
            case "l": out += String(hour12)
            case "i": out += pad(p.minute, 2)
            case "s", "S": out += pad(p.second, 2)
            case "f": out += pad(p.micros, 6)
            case "p": out += p.hour < 12 ? "AM" : "PM"
            case "a": out += String(dayNames[Int(DateMath.dayOfWeek(p.days) - 1)].prefix(3))
            case "W": out += dayNames[Int(DateMath.dayOfWeek(p.days) - 1)]
            case "b": out += String(monthNames[p.month - 1].prefix(3))
            case "M": out += monthNames[p.month - 1]
            case "j": out += pad(DateMath.dayOfYear(p.days), 3)
            case "T": out += pad(p.hour, 2) + ":" + pad(p.minute, 2) + ":" + pad(p.second, 2)
            case "r": out += pad(hour12, 2) + ":" + pad(p.minute, 2) + ":" + pad(p.second, 2) + (p.hour < 12 ? " AM" : " PM")
            default: out.append(spec)
            }
        }
        return out
    }

    /// Parses `text` with a MySQL-style format; nil when it does not match or names an invalid date.
    static func parse(_ text: String, _ format: String) -> Int64? {
        let s = Array(text.utf8)
        var i = 0
        var year: Int64 = 1970, month = 1, day = 1, hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0, micros: Int64 = 0
        var pm: Bool? = nil
        func number(maxDigits: Int, signed: Bool = false) -> Int64? {
            var v: Int64 = 0, k = 0
            var negative = false
            if signed, i < s.count, s[i] == UInt8(ascii: "-") { negative = true; i += 1 }
            while k < maxDigits, i < s.count, s[i] >= 48, s[i] <= 57 { v = v * 10 + Int64(s[i] - 48); i += 1; k += 1 }
            return k == 0 ? nil : (negative ? -v : v)
        }
        func name(_ names: [String], abbreviated: Bool) -> Int? {
            let rest = String(decoding: s[i...], as: UTF8.self).lowercased()
            for (k, full) in names.enumerated() {
                let candidate = abbreviated ? String(full.prefix(3)).lowercased() : full.lowercased()
                if rest.hasPrefix(candidate) { i += candidate.utf8.count; return k + 1 }
            }
            return nil
        }
        var f = Array(format.utf8)[...]
        while let c = f.first {
            f = f.dropFirst()
            if c != UInt8(ascii: "%") {
                guard i < s.count, s[i] == c else { return nil }
                i += 1
                continue
            }
            guard let spec = f.first else { return nil }
            f = f.dropFirst()
            switch spec {
            case UInt8(ascii: "Y"): guard let v = number(maxDigits: 4, signed: true) else { return nil }; year = v
            case UInt8(ascii: "y"): guard let v = number(maxDigits: 2) else { return nil }; year = v < 70 ? 2000 + v : 1900 + v
            case UInt8(ascii: "m"), UInt8(ascii: "c"): guard let v = number(maxDigits: 2) else { return nil }; month = Int(v)
            case UInt8(ascii: "d"), UInt8(ascii: "e"): guard let v = number(maxDigits: 2) else { return nil }; day = Int(v)
            case UInt8(ascii: "H"), UInt8(ascii: "k"), UInt8(ascii: "h"), UInt8(ascii: "I"), UInt8(ascii: "l"):
                guard let v = number(maxDigits: 2) else { return nil }; hour = v
            case UInt8(ascii: "i"): guard let v = number(maxDigits: 2) else { return nil }; minute = v
            case UInt8(ascii: "s"), UInt8(ascii: "S"): guard let v = number(maxDigits: 2) else { return nil }; second = v
            case UInt8(ascii: "f"):
                let start = i
                guard var v = number(maxDigits: 6) else { return nil }
                for _ in 0..<(6 - (i - start)) { v *= 10 }
                micros = v
            case UInt8(ascii: "p"):
                let rest = String(decoding: s[i...], as: UTF8.self).uppercased()
                if rest.hasPrefix("AM") { pm = false } else if rest.hasPrefix("PM") { pm = true } else { return nil }
                i += 2
            case UInt8(ascii: "b"): guard let m = name(monthNames, abbreviated: true) else { return nil }; month = m
            case UInt8(ascii: "M"): guard let m = name(monthNames, abbreviated: false) else { return nil }; month = m
            case UInt8(ascii: "T"):
                guard let h = number(maxDigits: 2), i < s.count, s[i] == 58 else { return nil }
                i += 1
                guard let mi = number(maxDigits: 2), i < s.count, s[i] == 58 else { return nil }
                i += 1
                guard let se = number(maxDigits: 2) else { return nil }
                hour = h; minute = mi; second = se
            case UInt8(ascii: "%"): guard i < s.count, s[i] == spec else { return nil }; i += 1
            default: return nil
            }
        }
        guard i == s.count else { return nil }
        if let pm { if hour > 12 || hour == 0 { return nil }; hour = hour % 12 + (pm ? 12 : 0) }
        guard (1...12).contains(month), day >= 1, day <= ValueFormatting.daysInMonth(year: year, month: month),
              (0..<24).contains(hour), (0..<60).contains(minute), (0..<60).contains(second) else { return nil }
        let days = ValueFormatting.days(year: year, month: month, day: day)
        return days * DateMath.microsPerDay + ((hour * 60 + minute) * 60 + second) * DateMath.microsPerSecond + micros
    }
}
