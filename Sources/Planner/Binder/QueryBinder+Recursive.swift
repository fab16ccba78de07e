import Storage
import SQL
import Execution

extension QueryBinder {
    /// `WITH RECURSIVE`: every CTE whose query is `anchor UNION [ALL] step` with `step` reading the CTE itself is
    /// computed here, to a fixpoint: the anchor's rows, then the step run on the rows the last round added, until a
    /// round adds none (UNION also drops rows already there, so cycles end); more rounds than
    /// `max_recursion_depth` is an error. The result then stands in for the CTE as a relation of rows; the step's
    /// columns take the anchor's types. Other CTEs stay ordinary. Returns the query without the computed CTEs.
    func materializingRecursiveCTEs(_ q: Query) throws -> Query {
        var rest: [CommonTableExpression] = []
        for cte in q.with {
            let name = cte.name.lowercased()
            guard case let .setOperation(.union, all, anchorBody, stepBody) = cte.query.body,
                  Self.reads(stepBody, name) else {
                rest.append(cte)
                continue
            }
            // Earlier CTEs are visible to this one, as in an ordinary WITH (computed recursive ones as rows).
            let earlier = rest
            func query(_ body: QueryBody) -> Query { Query(with: earlier, body: body, location: cte.query.location) }
            var (fields, rows) = try run(query(anchorBody))
            if !cte.columnNames.isEmpty {
                guard cte.columnNames.count == fields.count else {
                    throw TarnError.semantic("recursive CTE '\(cte.name)' names \(cte.columnNames.count) columns but its query returns \(fields.count)",
                                             line: cte.query.location.line, column: cte.query.location.column)
                }
                fields = zip(fields, cte.columnNames).map { Field(name: $1, type: $0.type) }
            }
            var seen = Set<[Value]>()
            if !all { rows = rows.filter { seen.insert($0).inserted } }
            var result = rows, working = rows
            var round = 0
            // The rows are held as values until the query ends: accounted (about 40 bytes a value), no spilling.
            let reservation = MemoryReservation(MemoryBudget(limit: context.settings.memoryLimit), owner: "recursive CTE '\(cte.name)'")
            try reservation.resize(to: result.count * max(1, fields.count) * 40)
            // The CTE's name stands for rows for the rest of this statement (shadowing a TEMP table of the name).
            while !working.isEmpty {
                round += 1
                guard round <= context.settings.maxRecursionDepth else {
                    throw TarnError(.execution, "recursive CTE '\(cte.name)' did not stop after \(context.settings.maxRecursionDepth) rounds "
                                    + "(SET max_recursion_depth raises the limit; UNION instead of UNION ALL stops at repeated rows)")
                }
                context.temporaryTables[name] = (fields, [Self.batch(working, fields)])
                var (stepFields, next) = try run(query(stepBody))
                guard stepFields.count == fields.count else {
                    throw TarnError.semantic("recursive CTE '\(cte.name)': the recursive part returns \(stepFields.count) columns, the first part \(fields.count)")
                }
                next = try next.map { row in try zip(row, fields).map { value, field in try Self.convert(value, to: field.type, cte: cte.name) } }
                stepFields = fields
                if !all { next = next.filter { seen.insert($0).inserted } }
                result += next
                working = next
                try reservation.resize(to: result.count * max(1, fields.count) * 40)
            }
            context.temporaryTables[name] = (fields, result.isEmpty ? [] : [Self.batch(result, fields)])
        }
        return Query(with: rest, recursive: false, body: q.body, orderBy: q.orderBy, limit: q.limit, offset: q.offset, location: q.location)
    }

    /// Binds, plans and runs a query here, for its rows (recursive CTEs are computed before the query using them).
    func run(_ query: Query) throws -> (fields: [Field], rows: [[Value]]) {
        let planned = try QueryPlanner.plan(query, context: context)
        let op = try planned.makeOperator()
        try op.open(ExecutionContext(settings: context.settings))
        defer { op.close() }
        var rows: [[Value]] = []
        while let batch = try op.next() {
            for i in 0..<batch.count { rows.append(batch.row(i)) }
        }
        return (planned.columns, rows)
    }

    private static func batch(_ rows: [[Value]], _ fields: [Field]) -> Batch {
        var builders = fields.map { ColumnBuilder(type: $0.type, capacity: rows.count) }
        for row in rows { for (i, v) in row.enumerated() { builders[i].append(v) } }
        return Batch(columns: builders.indices.map { builders[$0].finish() }, count: rows.count)
    }

    /// A value of the recursive part in the anchor's column type (numbers widen or narrow with a range check).
    private static func convert(_ v: Value, to type: DataType, cte: String) throws -> Value {
        if v == .null { return .null }
        switch type {
        case .integer:
            if case .integer = v { return v }
            guard let n = v.int64Value, let small = Int32(exactly: n) else { break }
            return .integer(small)
        case .bigint:
            guard let n = v.int64Value else { break }
            return .bigint(n)
        case .double:
            guard let d = v.doubleValue else { break }
            return .double(d)
        case .varchar:
            if case .varchar = v { return v }
            return .varchar(v.description)
        default:
            return v
        }
        throw TarnError(.execution, "recursive CTE '\(cte)': the value \(v) does not fit the column type \(type) its first part gives")
    }

    /// Whether a query body reads the relation `name` (lower-cased) in some FROM clause.
    static func reads(_ body: QueryBody, _ name: String) -> Bool {
        let text = ASTPrinter.print(Query(body: body)).lowercased()
        return text.contains("(table \(name))") || text.contains("(table \(name) ")
    }
}
