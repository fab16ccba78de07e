import Storage
import Planner

/// Reads a table-function call's arguments by name (or position), with errors that name the argument.
struct MMMArguments {
    let call: TableFunctionCall
    var function: String { call.name }

    func value(_ name: String, position: Int? = nil) -> Value? {
        if let v = call.named[name], !v.isNull { return v }
        if let position, position < call.positional.count, !call.positional[position].isNull { return call.positional[position] }
        return nil
    }

    func string(_ name: String, position: Int? = nil) throws -> String? {
        guard let v = value(name, position: position) else { return nil }
        guard case let .varchar(s) = v else { throw bad(name, "must be a string (got \(v))") }
        return s
    }

    func requiredString(_ name: String, position: Int? = nil) throws -> String {
        guard let s = try string(name, position: position), !s.isEmpty else { throw bad(name, "is required") }
        return s
    }

    func int(_ name: String, position: Int? = nil, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let v = value(name, position: position) else { return fallback }
        guard let i = v.int64Value ?? v.doubleValue.flatMap({ $0 == $0.rounded() && abs($0) < 1e15 ? Int64($0) : nil }) else {
            throw bad(name, "must be an integer (got \(v))")
        }
        guard range.contains(Int(i)) else { throw bad(name, "must be between \(range.lowerBound) and \(range.upperBound) (got \(i))") }
        return Int(i)
    }

    func double(_ name: String, position: Int? = nil) throws -> Double? {
        guard let v = value(name, position: position) else { return nil }
        guard let d = v.doubleValue, d.isFinite else { throw bad(name, "must be a number (got \(v))") }
        return d
    }

    func bool(_ name: String, default fallback: Bool) throws -> Bool {
        guard let v = value(name) else { return fallback }
        switch v {
        case let .boolean(b): return b
        case let .varchar(s) where ["true", "false"].contains(s.lowercased()): return s.lowercased() == "true"
        default:
            if let i = v.int64Value, i == 0 || i == 1 { return i == 1 }
            throw bad(name, "must be true or false (got \(v))")
        }
    }

    func strings(_ name: String) throws -> [String]? {
        guard let items = call.arrays[name] else {
            if let v = value(name) {
                if case let .varchar(s) = v { return [s] }
                throw bad(name, "must be ARRAY['…', …]")
            }
            return nil
        }
        return try items.map { item in
            guard case let .varchar(s) = item else { throw bad(name, "must hold strings (got \(item))") }
            return s
        }
    }

    func doubles(_ name: String) throws -> [Double]? {
        guard let items = call.arrays[name] else { return nil }
        return try items.map { item in
            guard let d = item.doubleValue, d.isFinite else { throw bad(name, "must hold numbers (got \(item))") }
            return d
        }
    }

    /// Rejects named arguments the function does not know (typos would otherwise be silently ignored).
    func rejectUnknown(_ known: Set<String>) throws {
        for key in Array(call.named.keys) + Array(call.arrays.keys) where !key.hasPrefix("#") && !known.contains(key) {
            throw TarnError.semantic("\(function)(): unknown argument '\(key)' (known: \(known.sorted().joined(separator: ", ")))")
        }
    }

    func bad(_ name: String, _ message: String) -> TarnError {
        TarnError.semantic("\(function)(): argument '\(name)' \(message)")
    }
}
