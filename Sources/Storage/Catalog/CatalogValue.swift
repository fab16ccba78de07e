/// One SQLite value bound to or read from a catalog statement.
public enum CatalogValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    /// The value as an integer, when it is one (reals are truncated; text is parsed).
    public var int64: Int64? {
        switch self {
        case let .integer(v): return v
        case let .real(v): return v.isFinite ? Int64(exactly: v.rounded(.towardZero)) : nil
        case let .text(s): return Int64(s)
        case .null: return nil
        }
    }

    /// The value as text, when it is text (numbers are rendered).
    public var string: String? {
        switch self {
        case let .text(s): return s
        case let .integer(v): return String(v)
        case let .real(v): return String(v)
        case .null: return nil
        }
    }

    public var double: Double? {
        switch self {
        case let .real(v): return v
        case let .integer(v): return Double(v)
        case let .text(s): return Double(s)
        case .null: return nil
        }
    }

    public var isNull: Bool { self == .null }
}

extension CatalogValue: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(stringLiteral value: String) { self = .text(value) }
}

/// One result row of a catalog query, read by column index.
public typealias CatalogRow = [CatalogValue]
