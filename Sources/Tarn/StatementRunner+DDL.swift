import Foundation
import Storage
import SQL
import Execution
import Planner

extension StatementRunner {
    func createTable(_ c: CreateTable) throws -> StatementResult {
        // Checked first, as ALTER TABLE … SET TBLPROPERTIES checks them: a value Tarn cannot use creates nothing.
        try TablePropertyValidation.validate(c.properties)
        let name = session.tableName(c.name)
        try requireSchema(name.schema)
        if try lake.view(name) != nil {
            throw TarnError.semantic("'\(name)' is a view; a table cannot have the same name", line: c.name.location.line, column: c.name.location.column)
        }
        if c.ifNotExists, try lake.tableExists(name) { return message("CREATE TABLE") }
        guard let query = c.query else {
            let fields = try declaredFields(c)
            if let declared = try declaredExpectations(c, table: name) { return try createEmptyTable(name, schema: Schema(fields), c, declared: declared) }
            try lake.createTable(name, schema: Schema(fields), ifNotExists: c.ifNotExists, orReplace: c.orReplace || c.orRefresh,
                                 properties: c.properties)
            return message("CREATE TABLE")
        }
        // CTAS: plan first (errors leave nothing behind), then create and fill in one commit.
        let planned = try QueryPlanner.plan(query, context: context())
        let fields = try queryFields(planned)
        let op = try planned.makeOperator()
        guard let writer = try lake.beginCreate(name, schema: Schema(fields), ifNotExists: c.ifNotExists, orReplace: c.orReplace || c.orRefresh,
                                                properties: c.properties) else {
            return message("CREATE TABLE")
        }
        let pipeline: TableWritePipeline
        do { pipeline = try writePipeline(name, schema: writer.schema, declared: try declaredExpectations(c, table: name)) } catch { writer.abort(); throw error }
        let rows = try commitRows(op, into: writer, through: pipeline, operation: "CREATE TABLE AS SELECT", parameters: parametersJSON(["statement": text]))
        return message("CREATE TABLE", rows: rows)
    }

    /// The columns `CREATE TABLE t (…)` declares; a name given twice or no column at all is an error.
    func declaredFields(_ c: CreateTable) throws -> [Field] {
        var fields: [Field] = []
        var seen = Set<String>()
        for col in c.columns {
            guard seen.insert(col.name.lowercased()).inserted else {
                throw TarnError.semantic("column '\(col.name)' is defined twice", line: col.location.line, column: col.location.column)
            }
            fields.append(Field(name: col.name, type: try context().dataType(col.type, at: col.location), nullable: !col.notNull))
        }
        guard !fields.isEmpty else { throw TarnError.semantic("a table needs at least one column") }
        return fields
    }

    /// The columns `CREATE TABLE t AS query` gets (an untyped NULL column becomes INTEGER); two columns of one name
    /// are an error.
    func queryFields(_ planned: PlannedQuery) throws -> [Field] {
        var fields: [Field] = []
        var seen = Set<String>()
        for f in planned.columns {
            guard seen.insert(f.name.lowercased()).inserted else {
                throw TarnError.semantic("CREATE TABLE AS: the query has two columns named '\(f.name)'; give them distinct aliases")
            }
            fields.append(Field(name: f.name, type: f.type == .null ? .integer : f.type))
        }
        return fields
    }

    func createView(_ v: CreateView) throws -> StatementResult {
        let name = session.tableName(v.name)
        try requireSchema(name.schema)
        if try lake.tableExists(name) {
            throw TarnError.semantic("'\(name)' is a table; a view cannot have the same name", line: v.name.location.line, column: v.name.location.column)
        }
        // Bind now so a broken view is reported at CREATE time, with the view's schema for unqualified names.
        let ctx = context()
        ctx.currentSchema = name.schema
        let planned = try QueryPlanner.plan(v.query, context: ctx)
        if !v.columnNames.isEmpty, v.columnNames.count != planned.columns.count {
            throw TarnError.semantic("view '\(name)' names \(v.columnNames.count) columns but its query returns \(planned.columns.count)")
        }
        try lake.createView(name, sql: v.queryText, columnNames: v.columnNames, orReplace: v.orReplace, ifNotExists: v.ifNotExists)
        return message("CREATE VIEW")
    }

    func drop(_ kind: ObjectKind, _ q: QualifiedName, ifExists: Bool, cascade: Bool) throws -> StatementResult {
        switch kind {
        case .table:
            let name = try session.existingTableName(q)
            if try lake.view(name) != nil { throw TarnError.semantic("'\(name)' is a view; use DROP VIEW") }
            try lake.dropTable(name, ifExists: ifExists)
            return message("DROP TABLE")
        case .view:
            let name = session.tableName(q)
            if try lake.tableExists(name) { throw TarnError.semantic("'\(name)' is a table; use DROP TABLE") }
            try lake.dropView(name, ifExists: ifExists)
            return message("DROP VIEW")
        case .schema:
            try lake.dropSchema(q.name, ifExists: ifExists, cascade: cascade)
            if session.currentSchema == q.name.lowercased() { session.currentSchema = TableName.defaultSchema }
            return message("DROP SCHEMA")
        case .model:
            return try dropModel(q, ifExists: ifExists)
        }
    }

    func alter(_ q: QualifiedName, _ action: AlterAction) throws -> StatementResult {
        let name = try session.existingTableName(q)
        switch action {
        case let .addColumn(col, ifNotExists):
            let snapshot = try lake.snapshot(of: name)
            if snapshot.schema.index(of: col.name) != nil {
                if ifNotExists { return message("ALTER TABLE") }
                throw TarnError.semantic("column '\(col.name)' already exists in '\(name)'", line: col.location.line, column: col.location.column)
            }
            let t = try context().dataType(col.type, at: col.location)
            try lake.addColumn(name, field: Field(name: col.name, type: t, nullable: true))
            return message("ALTER TABLE")
        case .addExpectation, .dropExpectation:
            return try alterExpectations(name, action)
        case let .setProperties(properties):
            try TablePropertyValidation.validate(properties)
            try lake.setProperties(name, properties)
            // A new publish target is brought in step at once.
            if properties.keys.contains(DeltaPublishing.propertyKey) { try publishIfConfigured(name) }
            return message("ALTER TABLE")
        default:
            throw TarnError.unsupported("this ALTER TABLE action is not supported yet")
        }
    }

    func requireSchema(_ schema: String) throws {
        guard try lake.schemaExists(schema) else {
            throw TarnError.semantic("schema '\(schema)' does not exist; create it with CREATE SCHEMA \(schema)")
        }
    }
}

/// Minimal JSON object text for history parameters.
func parametersJSON(_ dict: [String: String]) -> String {
    // Statement text may hold a DSN: stored without its password.
    "{" + dict.keys.sorted().map { "\(JSONText.quoted($0)):\(JSONText.quoted(CredentialScrubber.scrub(dict[$0] ?? "")))" }.joined(separator: ",") + "}"
}
