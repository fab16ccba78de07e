import Execution
import Foundation
import NIOCore
import Planner
import Storage
import Tarn

/// Turns one Bind parameter into the typed value a reused plan takes (`Session.openQuery(_:parameters:)`), exactly
/// the value the literal `ParameterLiteral` writes into the text would bind to; nil whenever that is not certain
/// (NULL, a type whose literal's type depends on its text, a value the literal's CAST would refuse), and the
/// statement then runs with the literal written in, which reports any error as before.
enum ParameterValue {
    /// The placeholder type of a parameter of PostgreSQL type `oid`, for the types whose literal is a CAST to a
    /// fixed type (or TRUE / FALSE); nil for the others (numeric, text, unknown…).
    static func placeholderType(oid: Int32) -> DataType? {
        switch oid {
        case 16: return .boolean
        case 21, 23: return .integer
        case 20: return .bigint
        case 700, 701: return .double
        case 1082: return .date
        case 1114, 1184: return .timestamp
        default: return nil
        }
    }

    static func value(_ buffer: ByteBuffer?, format: Int16, typeOID: Int32, settings: SessionSettings) -> Value? {
        guard var b = buffer, let type = placeholderType(oid: typeOID) else { return nil }
        let text: String
        if format == 1 {
            switch typeOID {
            case 16:
                guard b.readableBytes == 1, let v = b.readInteger(as: UInt8.self) else { return nil }
                return .boolean(v != 0)
            case 21:
                guard b.readableBytes == 2, let v = b.readInteger(as: Int16.self) else { return nil }
                return .integer(Int32(v))
            case 23:
                guard b.readableBytes == 4, let v = b.readInteger(as: Int32.self) else { return nil }
                return .integer(v)
            case 20:
                guard b.readableBytes == 8, let v = b.readInteger(as: Int64.self) else { return nil }
                return .bigint(v)
            default:
                // The literal's text, as ParameterLiteral writes it, then its CAST below.
                guard let literal = try? ParameterLiteral.binary(&b, typeOID: typeOID), let inner = castOperand(literal) else { return nil }
                text = inner
            }
        } else {
            let raw = b.readString(length: b.readableBytes) ?? ""
            let t = raw.trimmingCharacters(in: .whitespaces)
            switch typeOID {
            case 16:
                guard let literal = try? ParameterLiteral.text(raw, typeOID: 16) else { return nil }
                return .boolean(literal == "TRUE")
            case 20:
                return Int64(t).map { .bigint($0) }
            case 21, 23:
                return Int64(t).flatMap { Int32(exactly: $0) }.map { .integer($0) }
            default:
                guard (try? ParameterLiteral.text(raw, typeOID: typeOID)) != nil else { return nil }
                text = t.replacingOccurrences(of: "\0", with: "")
            }
        }
        return try? QueryPlanner.parameterValue(.varchar(text), as: type, settings: settings)
    }

    /// The quoted text inside `CAST('…' AS T)` as `ParameterLiteral` writes it (quotes undoubled).
    private static func castOperand(_ literal: String) -> String? {
        guard literal.hasPrefix("CAST('"), let end = literal.range(of: "' AS ", options: .backwards) else { return nil }
        return String(literal[literal.index(literal.startIndex, offsetBy: 6)..<end.lowerBound]).replacingOccurrences(of: "''", with: "'")
    }
}
