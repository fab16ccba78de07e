import Foundation
import Storage

/// `format(pattern, value, …)` and `printf(pattern, value, …)`: text built from a pattern, in either of the styles
/// analysts bring — DuckDB's `{}` placeholders for `format` (`format('{} has {}', name, n)`, `{{` and `}}` for
/// braces), or C / Trino `%` specifiers (`printf` always; `format` when the pattern has no braces) (`printf('%s: %5.2f%%', name, share)`: `s d i f e g x X o c`, and PostgreSQL's `I` (identifier) and `L` (literal), with flags `- + 0 space`,
/// width and precision). A NULL value prints as `NULL`; a NULL pattern gives NULL; a pattern wanting more values
/// than given is an error.
enum FormatFunction {
    static var definitions: [FunctionDefinition] {
        ["format", "printf"].map { name in
            FunctionDefinition(name, signatures: ["\(name)(VARCHAR pattern, value, …) → VARCHAR"], resolver: { args, _ in
                guard let first = args.first, first == .varchar || first == .null else { return nil }
                return ResolvedFunction(function: ScalarFunction(name: name, kernel: { a, n, _ in try format(a, n, function: name) }),
                                        parameterTypes: [.varchar] + args.dropFirst().map { $0 == .null ? .varchar : $0 },
                                        returnType: .varchar)
            })
        }
    }

    static func format(_ args: [Column], _ n: Int, function: String) throws -> Column {
        var out = StringArray()
        var validity = [UInt8](repeating: 1, count: n)
        for row in 0..<n {
            guard case let .varchar(pattern) = args[0].value(at: row) else { validity[row] = 0; out.appendEmpty(); continue }
            let values = args.dropFirst().map { $0.value(at: row) }
            out.append(function == "format" && (pattern.contains("{") || pattern.contains("}"))
                       ? try braces(pattern, values, function: function)
                       : try printf(pattern, values, function: function))
        }
        return Column(type: .varchar, data: .string(out), validity: validity.contains(0) ? validity : nil)
    }

    static func text(_ v: Value) -> String {
        switch v {
        case .null: return "NULL"
        case let .varchar(s): return s
        default: return v.description
        }
    }

    /// `{}` placeholders, taken in order; `{{` / `}}` are literal braces.
    static func braces(_ pattern: String, _ values: [Value], function: String) throws -> String {
        var out = "", next = 0
        var chars = Array(pattern)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            if c == "{", chars.first == "{" { out.append("{"); chars = chars.dropFirst(); continue }
            if c == "}", chars.first == "}" { out.append("}"); chars = chars.dropFirst(); continue }
            guard c == "{" else { out.append(c); continue }
            guard chars.first == "}" else { throw TarnError(.execution, "\(function): only {} placeholders are supported, in '\(pattern)'") }
            chars = chars.dropFirst()
            guard next < values.count else { throw TarnError(.execution, "\(function): '\(pattern)' has more placeholders than the \(values.count) values given") }
            out += text(values[next])
            next += 1
        }
        return out
    }

    /// C / Java `%` specifiers.
    static func printf(_ pattern: String, _ values: [Value], function: String) throws -> String {
        var out = "", next = 0
        var chars = Array(pattern)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            guard c == "%" else { out.append(c); continue }
            if chars.first == "%" { out.append("%"); chars = chars.dropFirst(); continue }
            var flags = "", width = "", precision: String? = nil
            while let f = chars.first, "-+0 #".contains(f) { flags.append(f); chars = chars.dropFirst() }
            while let d = chars.first, d.isNumber { width.append(d); chars = chars.dropFirst() }
            if chars.first == "." {
                chars = chars.dropFirst()
                var p = ""
                while let d = chars.first, d.isNumber { p.append(d); chars = chars.dropFirst() }
                precision = p
            }
            let widthValue = width.isEmpty ? 0 : (Int(width) ?? Int.max)
            let precisionValue = precision.map { $0.isEmpty ? 0 : (Int($0) ?? Int.max) } ?? 0
            guard widthValue <= 1_000, precisionValue <= 1_000 else {
                throw TarnError(.execution, "\(function): a width or precision above 1000 in '\(pattern)'")
            }
            guard let type = chars.first, "sdifeEgGxXocIL".contains(type) else {
                throw TarnError(.execution, "\(function): unsupported specifier in '\(pattern)' (use %s %d %i %f %e %g %x %X %o %c %I %L or %%)")
            }
            chars = chars.dropFirst()
            guard next < values.count else { throw TarnError(.execution, "\(function): '\(pattern)' has more specifiers than the \(values.count) values given") }
            let value = values[next]
            next += 1
            /// Text padded to the width (left-justified with `-`).
            func padded(_ s: String) -> String {
                let w = Int(width) ?? 0
                guard s.count < w else { return s }
                let fill = String(repeating: " ", count: w - s.count)
                return flags.contains("-") ? s + fill : fill + s
            }
            let numeric = flags + width + (precision.map { "." + $0 } ?? "")
            switch type {
            case "s", "c":
                var s = type == "c" ? String(text(value).prefix(1)) : text(value)
                if let precision, let p = Int(precision) { s = String(s.prefix(p)) }
                out += padded(s)
            case "I":
                // PostgreSQL's format: an identifier, quoted when needed.
                guard value != .null else { throw TarnError(.execution, "\(function): %I needs a value, got NULL") }
                out += padded(PostgresCatalogFunctions.quoteIdentifier(text(value)))
            case "L":
                // PostgreSQL's format: a literal, quoted ('' inside), NULL unquoted.
                out += padded(value == .null ? "NULL" : "'" + text(value).replacingOccurrences(of: "'", with: "''") + "'")
            case "d", "i", "x", "X", "o":
                guard value != .null else { out += padded("NULL"); continue }
                guard let integer = value.int64Value ?? value.doubleValue.flatMap({ Int64(exactly: $0.rounded(.towardZero)) }) else {
                    throw TarnError(.execution, "\(function): %\(type) needs a number, got \(value)")
                }
                out += String(format: "%" + numeric + "ll" + String(type == "i" ? "d" : type), integer)
            default:
                guard value != .null else { out += padded("NULL"); continue }
                guard let number = value.doubleValue else { throw TarnError(.execution, "\(function): %\(type) needs a number, got \(value)") }
                out += String(format: "%" + numeric + String(type), number)
            }
        }
        return out
    }
}
