import Foundation
import Storage

/// The PostgreSQL system functions BI tools and drivers call in their catalog queries (pgjdbc, Npgsql, Metabase,
/// DBeaver, psql): `format_type`, `pg_get_expr`, `has_*_privilege`, `pg_get_userbyid`, `obj_description`,
/// `col_description`, `pg_encoding_to_char`, `pg_table_is_visible`, `current_schemas`, `quote_ident`, `json_build_object`,
/// the `::regclass` / `::regtype` / `::regproc` conversions (`pg_regclass`, …) and, because Tarn has no array
/// type, functions over arrays in PostgreSQL's text form `{a,b}` (`array_upper`, `pg_array_contains`,
/// `pg_array_element`) — see docs/SERVER.md.
///
/// Tarn has no privileges, comments, column defaults or constraints, so the answers are the ones a lake
/// without them gives: every privilege held, no description, no default expression.
enum PostgresCatalogFunctions {
    static var definitions: [FunctionDefinition] {
        var out: [FunctionDefinition] = [
            rowwise("format_type", "format_type(oid, typmod) → VARCHAR", arity: 2...2, returns: .varchar) { v in
                guard let oid = integer(v[0]) else { return .null }
                return PostgresOIDs.formatType(oid: oid, modifier: integer(v[1])).map(Value.varchar) ?? .null
            },
            rowwise("pg_get_expr", "pg_get_expr(expression, relation [, pretty]) → VARCHAR", arity: 2...3, returns: .varchar) { v in
                text(v[0]).map(Value.varchar) ?? .null
            },
            rowwise("pg_get_userbyid", "pg_get_userbyid(oid) → VARCHAR", arity: 1...1, returns: .varchar) { v in
                v[0].isNull ? .null : .varchar("tarn")
            },
            rowwise("pg_encoding_to_char", "pg_encoding_to_char(encoding) → VARCHAR", arity: 1...1, returns: .varchar) { v in
                v[0].isNull ? .null : .varchar(integer(v[0]) == 6 ? "UTF8" : "")
            },
            rowwise("current_schemas", "current_schemas(include_implicit) → VARCHAR (an array in text form)", arity: 1...1, returns: .varchar) { v in
                guard case let .boolean(implicit) = v[0] else { return .null }
                return .varchar(implicit ? "{pg_catalog,\(TableName.defaultSchema)}" : "{\(TableName.defaultSchema)}")
            },
            rowwise("quote_ident", "quote_ident(VARCHAR) → VARCHAR", arity: 1...1, returns: .varchar) { v in
                text(v[0]).map { .varchar(quoteIdentifier($0)) } ?? .null
            },
            rowwise("pg_regclass", "pg_regclass(name or oid) → BIGINT (what ::regclass gives)", arity: 1...1, returns: .bigint) { v in
                if let oid = integer(v[0]) { return .bigint(oid) }
                return text(v[0]).map { .bigint(PostgresOIDs.regclass($0, defaultSchema: TableName.defaultSchema)) } ?? .null
            },
            rowwise("to_regclass", "to_regclass(VARCHAR) → BIGINT", arity: 1...1, returns: .bigint) { v in
                text(v[0]).map { .bigint(PostgresOIDs.regclass($0, defaultSchema: TableName.defaultSchema)) } ?? .null
            },
            rowwise("pg_regtype", "pg_regtype(name or oid) → BIGINT (what ::regtype gives)", arity: 1...1, returns: .bigint) { v in
                if let oid = integer(v[0]) { return .bigint(oid) }
                guard let name = text(v[0]) else { return .null }
                guard let oid = PostgresOIDs.regtype(name) else { throw TarnError(.execution, "type \"\(name)\" does not exist") }
                return .bigint(oid)
            },
            rowwise("pg_regnamespace", "pg_regnamespace(name or oid) → BIGINT (what ::regnamespace gives)", arity: 1...1, returns: .bigint) { v in
                if let oid = integer(v[0]) { return .bigint(oid) }
                return text(v[0]).map { .bigint(PostgresOIDs.namespaceOID(PostgresOIDs.splitQualified($0).last ?? $0)) } ?? .null
            },
            rowwise("pg_regproc", "pg_regproc(name) → VARCHAR (what ::regproc gives: the unqualified name)", arity: 1...1, returns: .varchar) { v in
                text(v[0]).map { .varchar(PostgresOIDs.splitQualified($0).last ?? $0) } ?? .null
            },
            rowwise("array_upper", "array_upper(array, dimension) → BIGINT", arity: 2...2, returns: .bigint) { v in
                guard let a = text(v[0]) else { return .null }
                let n = arrayElements(a).count
                return n == 0 ? .null : .bigint(Int64(n))
            },
            rowwise("array_lower", "array_lower(array, dimension) → BIGINT", arity: 2...2, returns: .bigint) { v in
                guard let a = text(v[0]) else { return .null }
                return arrayElements(a).isEmpty ? .null : .bigint(1)
            },
            rowwise("array_length", "array_length(array, dimension) → BIGINT", arity: 2...2, returns: .bigint) { v in
                guard let a = text(v[0]) else { return .null }
                let n = arrayElements(a).count
                return n == 0 ? .null : .bigint(Int64(n))
            },
            rowwise("pg_array_element", "pg_array_element(array, index) → VARCHAR (what array[index] gives)", arity: 2...2, returns: .varchar) { v in
                guard let a = text(v[0]), let i = integer(v[1]) else { return .null }
                let elements = arrayElements(a)
                return i >= 1 && i <= elements.count ? .varchar(elements[Int(i - 1)]) : .null
            },
            rowwise("pg_array_contains", "pg_array_contains(array, value) → BOOLEAN (what value = ANY(array) gives)", arity: 2...2, returns: .boolean) { v in
                guard let a = text(v[0]), let x = text(v[1]) else { return .null }
                return .boolean(arrayElements(a).contains(x))
            },
        ]
        for name in ["has_table_privilege", "has_schema_privilege", "has_database_privilege", "has_column_privilege",
                     "has_any_column_privilege", "has_function_privilege", "has_sequence_privilege", "has_type_privilege",
                     "has_tablespace_privilege", "pg_has_role"] {
            out.append(rowwise(name, "\(name)([user,] object, privilege) → BOOLEAN (always true: Tarn has no grants)", arity: 2...4, returns: .boolean) { v in
                v.contains(where: \.isNull) ? .null : .boolean(true)
            })
        }
        for name in ["pg_table_is_visible", "pg_type_is_visible", "pg_function_is_visible", "pg_collation_is_visible"] {
            out.append(rowwise(name, "\(name)(oid) → BOOLEAN", arity: 1...1, returns: .boolean) { v in v[0].isNull ? .null : .boolean(true) })
        }
        for name in ["obj_description", "col_description", "shobj_description", "pg_get_indexdef", "pg_get_constraintdef",
                     "pg_get_viewdef", "pg_get_partkeydef", "pg_get_triggerdef", "pg_get_function_result",
                     "pg_get_function_arguments", "pg_get_serial_sequence"] {
            out.append(rowwise(name, "\(name)(…) → VARCHAR (NULL: Tarn has no such object)", arity: 1...3, returns: .varchar) { _ in .null })
        }
        out.append(rowwise("json_build_object", "json_build_object(key, value, …) → VARCHAR (JSON text)", arity: 0...100, returns: .varchar) { v in
            guard v.count % 2 == 0 else { throw TarnError(.execution, "json_build_object: argument list must have even number of elements") }
            var parts: [String] = []
            for i in stride(from: 0, to: v.count, by: 2) {
                guard let key = text(v[i]) else { throw TarnError(.execution, "json_build_object: a key is NULL") }
                parts.append(jsonString(key) + ": " + jsonValue(v[i + 1]))
            }
            return .varchar("{" + parts.joined(separator: ", ") + "}")
        })
        for name in ["pg_relation_size", "pg_total_relation_size", "pg_table_size", "pg_indexes_size", "pg_stat_get_numscans"] {
            out.append(rowwise(name, "\(name)(oid [, fork]) → BIGINT (NULL: not tracked)", arity: 1...2, returns: .bigint) { _ in .null })
        }
        return out
    }

    /// A function over any argument types, evaluated row by row on `Value`s (catalog queries are small).
    static func rowwise(_ name: String, _ signature: String, arity: ClosedRange<Int>, returns: DataType,
                        _ body: @escaping @Sendable ([Value]) throws -> Value) -> FunctionDefinition {
        FunctionDefinition(name, signatures: [signature], resolver: { args, _ in
            guard arity.contains(args.count) else { return nil }
            let function = ScalarFunction(name: name) { columns, n, _ in
                var builder = ColumnBuilder(type: returns, capacity: n)
                for row in 0..<n { builder.append(try body(columns.map { $0.value(at: row) })) }
                return builder.finish()
            }
            return ResolvedFunction(function: function, parameterTypes: args.map { $0 == .null ? .varchar : $0 }, returnType: returns)
        })
    }

    static func integer(_ v: Value) -> Int64? {
        switch v {
        case let .integer(x): return Int64(x)
        case let .bigint(x): return x
        case let .double(x): return x.isFinite && x.rounded() == x && abs(x) < 9e18 ? Int64(x) : nil
        case let .varchar(s): return Int64(s.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    static func text(_ v: Value) -> String? {
        switch v {
        case .null: return nil
        case let .varchar(s): return s
        default: return v.description
        }
    }

    static func jsonString(_ s: String) -> String { JSONText.quoted(s) }

    static func jsonValue(_ v: Value) -> String {
        switch v {
        case .null: return "null"
        case let .boolean(b): return b ? "true" : "false"
        case .integer, .bigint, .decimal: return v.description
        case let .double(d): return d.isFinite ? v.description : jsonString(v.description)
        default: return jsonString(text(v) ?? "")
        }
    }

    /// PostgreSQL's `quote_ident`: quoted unless a lower-case identifier.
    static func quoteIdentifier(_ s: String) -> String {
        let plain = !s.isEmpty && s.first.map { $0 == "_" || ($0.isLetter && $0.isLowercase) } == true
            && s.allSatisfy { $0 == "_" || $0.isNumber || ($0.isLetter && $0.isLowercase) }
        return plain ? s : "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The elements of an array in PostgreSQL's text form: `{a,b}`, `{"x y",c}`, or a space-separated
    /// `int2vector` / `oidvector` (`1 2`).
    static func arrayElements(_ text: String) -> [String] {
        var s = text.trimmingCharacters(in: .whitespaces)
        guard s.hasPrefix("{"), s.hasSuffix("}") else { return s.split(separator: " ").map(String.init) }
        s = String(s.dropFirst().dropLast())
        var out: [String] = [], current = "", quoted = false, escaped = false, any = false
        for c in s {
            if escaped { current.append(c); escaped = false; continue }
            if c == "\\" { escaped = true; continue }
            if c == "\"" { quoted.toggle(); any = true; continue }
            if c == ",", !quoted { out.append(current); current = ""; any = false; continue }
            current.append(c); any = true
        }
        if any || !out.isEmpty { out.append(current) }
        return out
    }
}
