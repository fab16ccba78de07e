import Foundation
import NIOCore
import Storage

/// Turns one Bind parameter (text or binary, of a PostgreSQL type) into a typed SQL literal.
/// Every value is validated or quoted, so a parameter can never change the statement's shape.
enum ParameterLiteral {
    static func literal(_ value: ByteBuffer?, format: Int16, typeOID: Int32) throws -> String {
        guard var value else { return "NULL" }
        if format == 1 { return try binary(&value, typeOID: typeOID) }
        let text = value.readString(length: value.readableBytes) ?? ""
        return try self.text(text, typeOID: typeOID)
    }

    static func text(_ s: String, typeOID: Int32) throws -> String {
        let t = s.trimmingCharacters(in: .whitespaces)
        switch typeOID {
        case 16:
            switch t.lowercased() {
            case "t", "true", "yes", "on", "1", "y": return "TRUE"
            case "f", "false", "no", "off", "0", "n": return "FALSE"
            default: throw invalid("boolean", s)
            }
        case 20, 21, 23:
            guard let v = Int64(t) else { throw invalid(typeOID == 20 ? "bigint" : "integer", s) }
            return typeOID == 20 ? "CAST(\(v) AS BIGINT)" : "CAST(\(v) AS INTEGER)"
        case 700, 701:
            guard Double(t) != nil || ["nan", "infinity", "-infinity"].contains(t.lowercased()) else { throw invalid("double precision", s) }
            return "CAST(\(quote(t)) AS DOUBLE)"
        case 1700:
            guard isDecimal(t) else { throw invalid("numeric", s) }
            return t
        case 1082: return "CAST(\(quote(t)) AS DATE)"
        case 1114, 1184: return "CAST(\(quote(t)) AS TIMESTAMP)"
        default: return quote(s)
        }
    }

    static func binary(_ b: inout ByteBuffer, typeOID: Int32) throws -> String {
        func need(_ n: Int) throws { guard b.readableBytes == n else { throw invalidBinary(typeOID) } }
        switch typeOID {
        case 16:
            try need(1)
            return (b.readInteger(as: UInt8.self) ?? 0) != 0 ? "TRUE" : "FALSE"
        case 21:
            try need(2)
            return "CAST(\(b.readInteger(as: Int16.self) ?? 0) AS INTEGER)"
        case 23:
            try need(4)
            return "CAST(\(b.readInteger(as: Int32.self) ?? 0) AS INTEGER)"
        case 20:
            try need(8)
            return "CAST(\(b.readInteger(as: Int64.self) ?? 0) AS BIGINT)"
        case 700:
            try need(4)
            return "CAST(\(quote(PostgresText.format(double: Double(Float(bitPattern: b.readInteger(as: UInt32.self) ?? 0))))) AS DOUBLE)"
        case 701:
            try need(8)
            return "CAST(\(quote(PostgresText.format(double: Double(bitPattern: b.readInteger(as: UInt64.self) ?? 0)))) AS DOUBLE)"
        case 1700:
            guard let s = PostgresNumeric.readBinary(&b) else { throw invalidBinary(typeOID) }
            return s
        case 1082:
            try need(4)
            let days = Int64(b.readInteger(as: Int32.self) ?? 0) + PostgresEpoch.dayOffset
            guard let d = Int32(exactly: days) else { throw invalidBinary(typeOID) }
            return "CAST(\(quote(ValueFormatting.format(date: d))) AS DATE)"
        case 1114, 1184:
            try need(8)
            let micros = (b.readInteger(as: Int64.self) ?? 0).addingReportingOverflow(PostgresEpoch.microsecondOffset)
            guard !micros.overflow else { throw invalidBinary(typeOID) }
            return "CAST(\(quote(ValueFormatting.format(timestamp: micros.partialValue))) AS TIMESTAMP)"
        default:
            return quote(b.readString(length: b.readableBytes) ?? "")
        }
    }

    /// A SQL string literal (quotes doubled; NUL bytes are not allowed in PostgreSQL text either).
    static func quote(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "\0", with: "").replacingOccurrences(of: "'", with: "''") + "'"
    }

    static func isDecimal(_ t: String) -> Bool {
        var s = Substring(t)
        if s.first == "-" || s.first == "+" { s = s.dropFirst() }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard !s.isEmpty, parts.count <= 2 else { return false }
        return parts.allSatisfy { $0.allSatisfy { $0 >= "0" && $0 <= "9" } } && parts.contains { !$0.isEmpty }
    }

    static func invalid(_ type: String, _ s: String) -> ServerError {
        ServerError(sqlState: "22P02", message: "invalid input syntax for type \(type): \"\(s)\"")
    }

    static func invalidBinary(_ oid: Int32) -> ServerError {
        ServerError(sqlState: "22P03", message: "incorrect binary data format in bind parameter of type \(oid)")
    }
}
