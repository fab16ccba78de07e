import Foundation
import Storage

/// One alert about a pipeline or a table, as JSON a Slack or Microsoft Teams incoming webhook accepts: a `text`
/// line for the message, plus the details as fields of their own (`pipeline`, `step`, `error`, `rows_dropped`,
/// `freshness`) for receivers that read them (Power Automate flows, scripts).
public struct Alert: Sendable {
    public enum Kind: String, Sendable { case pipelineFailed = "pipeline_failed", freshness = "freshness_breach" }

    public var kind: Kind
    public var pipeline: String?
    public var step: String?
    public var error: String?
    public var rowsDropped: [String: Int] = [:]
    /// For freshness breaches: table, expected maximum age and actual age in seconds.
    public var table: String?
    public var expectedSeconds: Double?
    public var ageSeconds: Double?
    public var lake: String

    public init(kind: Kind, lake: String) { self.kind = kind; self.lake = lake }

    public var text: String {
        switch kind {
        case .pipelineFailed:
            return "Tarn: pipeline \(pipeline ?? "?") failed" + (step.map { " at \($0)" } ?? "") + (error.map { ": \($0)" } ?? "")
        case .freshness:
            return "Tarn: table \(table ?? "?") is stale: last changed \(Self.duration(ageSeconds ?? 0)) ago, expected within \(Self.duration(expectedSeconds ?? 0))"
        }
    }

    public var json: String {
        var fields: [String] = ["\"text\":\(JSONText.quoted(text))", "\"kind\":\(JSONText.quoted(kind.rawValue))", "\"lake\":\(JSONText.quoted(lake))"]
        if let pipeline { fields.append("\"pipeline\":\(JSONText.quoted(pipeline))") }
        if let step { fields.append("\"step\":\(JSONText.quoted(step))") }
        if let error { fields.append("\"error\":\(JSONText.quoted(error))") }
        if !rowsDropped.isEmpty {
            fields.append("\"rows_dropped\":{" + rowsDropped.sorted { $0.key < $1.key }.map { "\(JSONText.quoted($0.key)):\($0.value)" }.joined(separator: ",") + "}")
        }
        if let table {
            fields.append("\"freshness\":{\"table\":\(JSONText.quoted(table)),\"expected_seconds\":\(expectedSeconds ?? 0),\"age_seconds\":\((ageSeconds ?? 0).rounded())}")
        }
        return "{" + fields.joined(separator: ",") + "}"
    }

    static func duration(_ s: Double) -> String {
        if s >= 86_400 { return String(format: "%.1f days", s / 86_400) }
        if s >= 3_600 { return String(format: "%.1f hours", s / 3_600) }
        if s >= 60 { return String(format: "%.1f minutes", s / 60) }
        return String(format: "%.0f seconds", s)
    }

    /// `30s`, `15m`, `2h`, `1d`, `2 hours`, `90 minutes` → seconds; nil when unreadable.
    public static func parseDuration(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let digits = t.prefix { $0.isNumber || $0 == "." }
        guard let n = Double(digits), n > 0 else { return nil }
        let unit = t.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        switch unit {
        case "s", "sec", "secs", "second", "seconds": return n
        case "m", "min", "mins", "minute", "minutes": return n * 60
        case "h", "hr", "hrs", "hour", "hours": return n * 3_600
        case "d", "day", "days": return n * 86_400
        default: return nil
        }
    }
}
