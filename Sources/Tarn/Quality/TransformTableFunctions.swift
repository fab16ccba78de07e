import Foundation
import Storage
import Execution
import Planner
import Transforms

/// The cleaning, segmentation and key table functions, and the relations that show what they and the
/// expectations dropped: `fill_nulls`, `impute`, `segment`, `surrogate_key`, `generate_retail`,
/// `violations('t')`, `dropped_rows('t')`, `expectations('t')`. See docs/TRANSFORMS.md.
enum TransformTableFunctions {
    static func all(database: Database, ledger: DropLedger) -> [TableFunctionDefinition] {
        let lake = database.lake
        return [
            TableFunctionDefinition(name: "fill_nulls") { call in try fillNulls(call) },
            TableFunctionDefinition(name: "impute") { call in try impute(call, ledger: ledger) },
            TableFunctionDefinition(name: "segment") { call in try segment(call) },
            TableFunctionDefinition(name: "surrogate_key") { call in try surrogateKey(call, lake: lake, ledger: ledger) },
            TableFunctionDefinition(name: "generate_retail") { call in try generateRetail(call) },
            TableFunctionDefinition(name: "violations") { call in try QualityRelations.violations(lake, table: try tableArgument(call)) },
            TableFunctionDefinition(name: "dropped_rows") { call in try QualityRelations.droppedRows(lake, table: try tableArgument(call)) },
            TableFunctionDefinition(name: "expectations") { call in try QualityRelations.expectations(lake, table: try tableArgument(call)) },
        ]
    }

    // MARK: argument helpers

    static func tableArgument(_ call: TableFunctionCall) throws -> TableName {
        guard call.positional.count == 1, case let .varchar(name) = call.positional[0] else {
            throw TarnError.semantic("\(call.name)('table') takes a table name")
        }
        let parts = name.split(separator: ".").map(String.init)
        return parts.count == 2 ? TableName(schema: parts[0], name: parts[1]) : TableName(name: name)
    }

    static func singleInput(_ call: TableFunctionCall, usage: String) throws -> TableFunctionInput {
        guard call.inputs.count == 1 else { throw TarnError.semantic("\(call.name) needs one input relation: \(usage)") }
        return call.inputs[0]
    }

    static func string(_ call: TableFunctionCall, _ key: String, usage: String) throws -> String {
        guard let v = call.named[key] else { throw TarnError.semantic("\(call.name): missing \(key) => … (\(usage))") }
        guard case let .varchar(s) = v else { throw TarnError.semantic("\(call.name): \(key) must be a string, not \(v)") }
        return s
    }

    static func columnIndex(_ name: String, in columns: [Field], function: String) throws -> Int {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard let i = columns.firstIndex(where: { $0.name.lowercased() == trimmed.lowercased() }) else {
            throw TarnError.semantic("\(function): the input has no column '\(trimmed)' (columns: \(columns.map(\.name).joined(separator: ", ")))")
        }
        return i
    }

    static func columnList(_ text: String, in columns: [Field], function: String) throws -> [Int] {
        let names = text.split(separator: ",").map(String.init)
        guard !names.isEmpty else { throw TarnError.semantic("\(function): an empty column list") }
        return try names.map { try columnIndex($0, in: columns, function: function) }
    }

    static func checkKnown(_ call: TableFunctionCall, _ allowed: Set<String>) throws {
        for key in Array(call.named.keys) + Array(call.arrays.keys) where !allowed.contains(key) && !key.hasPrefix("#") {
            throw TarnError.semantic("\(call.name): unknown argument '\(key)' (expected \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    // MARK: functions

    static func fillNulls(_ call: TableFunctionCall) throws -> (columns: [Field], factory: OperatorFactory) {
        let usage = "fill_nulls(TABLE t, column => default, …)"
        let input = try singleInput(call, usage: usage)
        guard call.arrays.isEmpty, call.positional.isEmpty else { throw TarnError.semantic("fill_nulls takes constants by column name: \(usage)") }
        var defaults: [(column: Int, value: Value)] = []
        for (key, value) in call.named.sorted(by: { $0.key < $1.key }) {
            let index = try columnIndex(key, in: input.columns, function: "fill_nulls")
            let field = input.columns[index]
            defaults.append((index, try ConstantConversion.convert(value, to: field.type, for: field.name)))
        }
        let make = input.makeOperator
        return (input.columns, OperatorFactory { FillNullsOperator(input: try make.make(), defaults: defaults) })
    }

    static func impute(_ call: TableFunctionCall, ledger: DropLedger) throws -> (columns: [Field], factory: OperatorFactory) {
        let usage = "impute(TABLE t, column => 'spend', method => 'median'|'mean'|'mode', levels => ARRAY['a,b', 'a'] [, source_column => 'name'])"
        try checkKnown(call, ["column", "method", "levels", "source_column"])
        let input = try singleInput(call, usage: usage)
        let columnName = try string(call, "column", usage: usage)
        let column = try columnIndex(columnName, in: input.columns, function: "impute")
        guard input.columns[column].type.isNumeric else {
            throw TarnError.semantic("impute: column '\(columnName)' is \(input.columns[column].type); impute works on numbers")
        }
        let methodName = call.named["method"].map { $0.description.lowercased() } ?? "median"
        guard let method = ImputeOperator.Method(rawValue: methodName) else {
            throw TarnError.semantic("impute: method must be median, mean or mode, not '\(methodName)'")
        }
        guard let levelValues = call.arrays["levels"], !levelValues.isEmpty else {
            throw TarnError.semantic("impute: missing levels => ARRAY['col,col', 'col', …] (\(usage))")
        }
        let levelNames = levelValues.map { $0.description.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ",") }
        let levels = try levelNames.map { try columnList($0, in: input.columns, function: "impute") }
        var sourceColumn: String?
        if call.named["source_column"] != nil { sourceColumn = try string(call, "source_column", usage: usage) }
        let plan = ImputeOperator.Plan(column: column, columnName: input.columns[column].name, method: method, levels: levels,
                                       levelNames: levelNames, emitsSource: sourceColumn != nil)
        var fields = input.columns
        fields[column].type = ImputeOperator.outputType(of: fields[column].type, method: method)
        if let sourceColumn { fields.append(Field(name: sourceColumn, type: .varchar)) }
        let make = input.makeOperator
        return (fields, OperatorFactory { ImputeOperator(input: try make.make(), plan: plan, ledger: ledger) })
    }

    static func segment(_ call: TableFunctionCall) throws -> (columns: [Field], factory: OperatorFactory) {
        let usage = "segment(TABLE t, by => 'key', value => 'amount', cuts => ARRAY[0.5, 0.8], labels => ARRAY['Low', 'Medium', 'High'] [, label_column => 'segment'])"
        try checkKnown(call, ["by", "value", "cuts", "labels", "label_column"])
        let input = try singleInput(call, usage: usage)
        let keys = try columnList(try string(call, "by", usage: usage), in: input.columns, function: "segment")
        let valueName = try string(call, "value", usage: usage)
        let value = try columnIndex(valueName, in: input.columns, function: "segment")
        guard input.columns[value].type.isNumeric else { throw TarnError.semantic("segment: value column '\(valueName)' is not numeric") }
        let cuts = try (call.arrays["cuts"] ?? [.double(0.5), .double(0.8)]).map { v -> Double in
            guard let d = v.doubleValue, d >= 0, d <= 1 else { throw TarnError.semantic("segment: cuts must be numbers between 0 and 1, not \(v)") }
            return d
        }
        guard cuts == cuts.sorted() else { throw TarnError.semantic("segment: cuts must be in increasing order") }
        let labels = (call.arrays["labels"] ?? [.varchar("Low"), .varchar("Medium"), .varchar("High")]).map(\.description)
        guard labels.count == cuts.count + 1 else {
            throw TarnError.semantic("segment: \(cuts.count) cuts make \(cuts.count + 1) segments, but \(labels.count) labels were given")
        }
        var labelColumn = "segment"
        if call.named["label_column"] != nil { labelColumn = try string(call, "label_column", usage: usage) }
        let plan = SegmentOperator.Plan(keyColumns: keys, valueColumn: value, cuts: cuts, labels: labels)
        let fields = keys.map { input.columns[$0] } + [Field(name: input.columns[value].name, type: .double), Field(name: labelColumn, type: .varchar)]
        let make = input.makeOperator
        return (fields, OperatorFactory { SegmentOperator(input: try make.make(), plan: plan) })
    }

    static func surrogateKey(_ call: TableFunctionCall, lake: Lake, ledger: DropLedger) throws -> (columns: [Field], factory: OperatorFactory) {
        let usage = "surrogate_key(TABLE t, natural_key => 'id' | 'a,b', dimension => 'dim_name' [, key_column => 'name_key'])"
        try checkKnown(call, ["natural_key", "dimension", "key_column"])
        let input = try singleInput(call, usage: usage)
        let keys = try columnList(try string(call, "natural_key", usage: usage), in: input.columns, function: "surrogate_key")
        let dimension = try string(call, "dimension", usage: usage).lowercased()
        var keyColumn = (dimension.hasPrefix("dim_") ? String(dimension.dropFirst(4)) : dimension) + "_key"
        if call.named["key_column"] != nil { keyColumn = try string(call, "key_column", usage: usage) }
        if input.columns.contains(where: { $0.name.lowercased() == keyColumn.lowercased() }) {
            throw TarnError.semantic("surrogate_key: the input already has a column '\(keyColumn)'; choose key_column => …")
        }
        let stored = try QualityCatalog.keyMap(lake, dimension: dimension)
        let map = SurrogateKeyOperator.KeyMap(keys: stored.keys, nextKey: stored.next)
        let make = input.makeOperator
        return ([Field(name: keyColumn, type: .bigint)] + input.columns, OperatorFactory {
            SurrogateKeyOperator(input: try make.make(), dimension: dimension, keyColumns: keys, map: map, ledger: ledger)
        })
    }

    static func generateRetail(_ call: TableFunctionCall) throws -> (columns: [Field], factory: OperatorFactory) {
        let usage = "generate_retail('customers'|'products'|'orders' [, rows => n] [, seed => n] [, customers => n] [, products => n])"
        try checkKnown(call, ["rows", "seed", "customers", "products"])
        guard call.positional.count == 1, case let .varchar(name) = call.positional[0], let table = RetailGenerator.Table(rawValue: name.lowercased()) else {
            throw TarnError.semantic("generate_retail needs a table name: \(usage)")
        }
        var options = RetailGenerator.Options()
        func count(_ key: String) throws -> Int? {
            guard let v = call.named[key] else { return nil }
            guard let n = v.int64Value, n >= 1, n <= 100_000_000 else { throw TarnError.semantic("generate_retail: \(key) must be a positive integer") }
            return Int(n)
        }
        if let s = call.named["seed"] {
            guard let v = s.int64Value else { throw TarnError.semantic("generate_retail: seed must be an integer") }
            options.seed = UInt64(bitPattern: v)
        }
        if let c = try count("customers") { options.customers = c }
        if let p = try count("products") { options.products = p }
        let generator = RetailGenerator(options: options)
        let rows: Int
        switch table {
        case .customers: rows = options.customers
        case .products: rows = options.products
        case .orders: rows = try count("rows") ?? generator.defaultRows(.orders)
        }
        if table != .orders, call.named["rows"] != nil {
            throw TarnError.semantic("generate_retail: the \(table.rawValue) count is set with \(table.rawValue) => n, so orders refer to them")
        }
        return (RetailGenerator.schema(table).fields, OperatorFactory { RetailScanOperator(generator: generator, table: table, rows: rows) })
    }
}
