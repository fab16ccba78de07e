import Foundation
import Storage
import SQL

/// The `auto_optimize` table property, Databricks' auto compaction: after a statement commits to a table with
/// `'auto_optimize' = 'true'` and leaves at least `auto_optimize.min_files` (default 50) files below the writer's
/// file size, those files are compacted as a separate version with operation OPTIMIZE (parameters `auto: true`).
/// The user's statement has committed by then: a compaction that fails (a concurrent writer removed one of the files
/// first, say) changes nothing and is reported as a notice on the statement's result, never as the statement's error.
enum AutoOptimize {
    static let propertyKey = "auto_optimize"
    static let minimumFilesKey = "auto_optimize.min_files"
    static let defaultMinimumFiles = 50

    /// The threshold of small files for `properties`, nil when auto_optimize is off. A malformed value is an error
    /// when set (`ALTER TABLE … SET TBLPROPERTIES` checks with `validate`).
    static func threshold(_ properties: [String: String]) -> Int? {
        guard let on = properties[propertyKey]?.lowercased(), on == "true" || on == "1" else { return nil }
        return properties[minimumFilesKey].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? defaultMinimumFiles
    }

    /// Refuses values auto_optimize cannot use, naming the property.
    static func validate(_ properties: [String: String]) throws {
        if let on = properties[propertyKey], !on.isEmpty, !["true", "false", "1", "0"].contains(on.lowercased()) {
            throw TarnError.semantic("table property '\(propertyKey)' must be 'true' or 'false', not '\(on)'")
        }
        if let n = properties[minimumFilesKey], !n.isEmpty {
            guard let value = Int(n.trimmingCharacters(in: .whitespaces)), value >= 2 else {
                throw TarnError.semantic("table property '\(minimumFilesKey)' must be a whole number of files of at least 2, not '\(n)'")
            }
        }
    }
}

extension Statement {
    /// Whether the statement adds or rewrites data files, so auto_optimize looks at its table afterwards.
    var mayLeaveSmallFiles: Bool {
        switch self {
        case .createTable, .insert, .delete, .update, .copyInto, .merge: return true
        default: return false
        }
    }
}

extension StatementRunner {
    /// Compacts `name` if its auto_optimize property asks for it and enough small files exist; returns a notice
    /// saying what happened (nil when nothing was due). Never throws: the statement before it has committed.
    func autoOptimizeIfConfigured(_ name: TableName) -> String? {
        guard let properties = try? lake.properties(of: name), let minimum = AutoOptimize.threshold(properties) else { return nil }
        do {
            guard let done = try compact(name, whereClause: nil, zorder: [], location: .unknown, minimumFiles: minimum) else { return nil }
            return "auto_optimize compacted \(done.removed) small files of \(name) into \(done.added) (version \(done.version))"
        } catch let error as TarnError {
            let why = error.kind == .conflict ? "conflicted with a concurrent write" : "failed"
            return "auto_optimize of \(name) \(why) and was skipped (the statement itself committed; OPTIMIZE \(name) retries): \(error.message)"
        } catch {
            return "auto_optimize of \(name) failed and was skipped (the statement itself committed): \(error)"
        }
    }
}
