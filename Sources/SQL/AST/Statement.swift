/// A parsed SQL statement, with the exact text it came from.
public struct ParsedStatement: Sendable {
    public var statement: Statement
    /// The statement's source text (without the terminating `;`).
    public var text: String
    public var location: SourceLocation
    public init(statement: Statement, text: String, location: SourceLocation) { self.statement = statement; self.text = text; self.location = location }
}

/// A column in `CREATE TABLE` / `ALTER TABLE ADD COLUMN`.
public struct ColumnDefinition: Sendable {
    public var name: String
    public var type: TypeName
    public var notNull: Bool
    public var defaultValue: Expression?
    public var location: SourceLocation
    public init(name: String, type: TypeName, notNull: Bool = false, defaultValue: Expression? = nil, location: SourceLocation = .unknown) {
        self.name = name; self.type = type; self.notNull = notNull; self.defaultValue = defaultValue; self.location = location
    }
}

/// `CONSTRAINT name EXPECT (condition) [ON VIOLATION DROP ROW | FAIL UPDATE]` (Databricks expectations).
public struct Expectation: Sendable {
    public enum Action: String, Sendable { case keep = "KEEP", dropRow = "DROP ROW", failUpdate = "FAIL UPDATE" }
    public var name: String
    public var condition: Expression
    /// The condition's SQL text, stored in the catalog.
    public var conditionText: String
    public var action: Action
    public init(name: String, condition: Expression, conditionText: String, action: Action) {
        self.name = name; self.condition = condition; self.conditionText = conditionText; self.action = action
    }
}

/// `CREATE [OR REPLACE] TABLE [IF NOT EXISTS] name (columns…) | AS query`.
public struct CreateTable: Sendable {
    public var name: QualifiedName
    public var columns: [ColumnDefinition]
    public var expectations: [Expectation]
    public var query: Query?
    public var orReplace: Bool
    public var ifNotExists: Bool
    /// `CREATE OR REFRESH [INCREMENTAL] TABLE` in pipelines.
    public var orRefresh: Bool
    public var incremental: Bool
    /// `CREATE TEMP[ORARY] TABLE`: lives in the session, never in the lake.
    public var temporary: Bool = false
    /// `TBLPROPERTIES ('key' = 'value', …)` (Databricks), and the table properties Tarn knows from Trino's
    /// `WITH (key = value, …)`: stored with the table's first version, as `ALTER TABLE … SET TBLPROPERTIES` would.
    /// Keys lower-cased.
    public var properties: [String: String] = [:]
    public init(name: QualifiedName, columns: [ColumnDefinition] = [], expectations: [Expectation] = [], query: Query? = nil,
                orReplace: Bool = false, ifNotExists: Bool = false, orRefresh: Bool = false, incremental: Bool = false) {
        self.name = name; self.columns = columns; self.expectations = expectations; self.query = query
        self.orReplace = orReplace; self.ifNotExists = ifNotExists; self.orRefresh = orRefresh; self.incremental = incremental
    }
}

/// `CREATE [OR REPLACE] VIEW name [(cols)] AS query`.
public struct CreateView: Sendable {
    public var name: QualifiedName
    public var columnNames: [String]
    public var query: Query
    /// The query's source text, stored in the catalog and re-parsed when the view is used.
    public var queryText: String
    public var orReplace: Bool
    public var ifNotExists: Bool
    /// `CREATE TEMP[ORARY] VIEW`.
    public var temporary: Bool = false
    public init(name: QualifiedName, columnNames: [String] = [], query: Query, queryText: String, orReplace: Bool = false, ifNotExists: Bool = false) {
        self.name = name; self.columnNames = columnNames; self.query = query; self.queryText = queryText
        self.orReplace = orReplace; self.ifNotExists = ifNotExists
    }
}

/// `CREATE [OR REPLACE] [PERSISTENT | TEMPORARY] SECRET [IF NOT EXISTS] [name] (TYPE postgres, HOST …, PASSWORD …)`
/// (DuckDB's syntax): connection settings for ATTACH, kept in the lake's catalog (PERSISTENT, the default) or for
/// the session (TEMPORARY). Without a name it is the type's default secret, `__default_postgres`.
public struct CreateSecret: Sendable {
    public var name: String?
    public var orReplace: Bool
    public var ifNotExists: Bool
    public var temporary: Bool
    /// Keys lower-cased (`type`, `host`, `port`, `user`, `password`, `database`, …).
    public var options: [String: Expression]
    public init(name: String?, orReplace: Bool, ifNotExists: Bool, temporary: Bool, options: [String: Expression]) {
        self.name = name; self.orReplace = orReplace; self.ifNotExists = ifNotExists; self.temporary = temporary; self.options = options
    }
}

/// `CREATE [OR REPLACE] MODEL [IF NOT EXISTS] name AS mmm(TABLE weekly, date => 'week', …)`: fits a model with a
/// model-fitting table function and stores it under `name` (the call's `name => …` argument, supplied by the statement).
public struct CreateModel: Sendable {
    public var name: String
    /// The fitting call as written (without `name =>`).
    public var call: FunctionCall
    /// `OR REPLACE`: an existing model gets a new version (older versions stay readable).
    public var orReplace: Bool
    /// `IF NOT EXISTS`: an existing model is left alone and nothing is fitted.
    public var ifNotExists: Bool
    public var location: SourceLocation
    public init(name: String, call: FunctionCall, orReplace: Bool = false, ifNotExists: Bool = false, location: SourceLocation = .unknown) {
        self.name = name; self.call = call; self.orReplace = orReplace; self.ifNotExists = ifNotExists; self.location = location
    }
}

/// `INSERT INTO t [(cols)] query|VALUES`.
public struct Insert: Sendable {
    public var table: QualifiedName
    public var columns: [String]?
    public var source: Query
    /// `INSERT OVERWRITE` (Databricks): replace the table's rows.
    public var overwrite: Bool
    public init(table: QualifiedName, columns: [String]? = nil, source: Query, overwrite: Bool = false) {
        self.table = table; self.columns = columns; self.source = source; self.overwrite = overwrite
    }
}

/// One `col = expr` of UPDATE.
public struct Assignment: Sendable {
    public var column: String
    public var value: Expression
    public init(column: String, value: Expression) { self.column = column; self.value = value }
}

/// `ALTER TABLE` actions.
public enum AlterAction: Sendable {
    case addColumn(ColumnDefinition, ifNotExists: Bool)
    case dropColumn(String, ifExists: Bool)
    case renameColumn(from: String, to: String)
    case renameTable(to: QualifiedName)
    case addExpectation(Expectation)
    case dropExpectation(String)
    /// `SET TBLPROPERTIES ('key' = 'value', …)`: table properties (not a new version), such as `delta.publish_to`.
    case setProperties([String: String])
}

/// Object kinds for DROP / SHOW.
public enum ObjectKind: String, Sendable { case table = "TABLE", view = "VIEW", schema = "SCHEMA", model = "MODEL" }

/// `MERGE INTO target [AS t] USING source [AS s] ON condition` followed by WHEN clauses, tried in order for each row.
public struct MergeStatement: Sendable {
    /// Which rows a WHEN clause is for.
    public enum Match: Sendable, Equatable {
        /// `WHEN MATCHED`: a target row with a matching source row.
        case matched
        /// `WHEN NOT MATCHED [BY TARGET]`: a source row no target row matches.
        case notMatchedByTarget
        /// `WHEN NOT MATCHED BY SOURCE`: a target row no source row matches.
        case notMatchedBySource
    }
    /// What a WHEN clause does.
    public enum Action: Sendable {
        case update([Assignment])
        /// `UPDATE SET *`: every target column from the source column of the same name.
        case updateAll
        case delete
        /// `INSERT [(columns)] VALUES (…)`.
        case insert(columns: [String]?, values: [Expression])
        /// `INSERT *`: every target column from the source column of the same name.
        case insertAll
        case doNothing
    }
    public struct Clause: Sendable {
        public var match: Match
        public var condition: Expression?
        public var action: Action
        public var location: SourceLocation
        public init(match: Match, condition: Expression?, action: Action, location: SourceLocation) {
            self.match = match; self.condition = condition; self.action = action; self.location = location
        }
    }
    public var target: QualifiedName
    public var targetAlias: String?
    public var source: TableReference
    public var condition: Expression
    public var clauses: [Clause]
    public init(target: QualifiedName, targetAlias: String?, source: TableReference, condition: Expression, clauses: [Clause]) {
        self.target = target; self.targetAlias = targetAlias; self.source = source; self.condition = condition; self.clauses = clauses
    }
}

/// Every statement Tarn understands.
public indirect enum Statement: Sendable {
    case query(Query)
    case createTable(CreateTable)
    case createView(CreateView)
    case createSchema(name: String, ifNotExists: Bool)
    case insert(Insert)
    case delete(table: QualifiedName, whereClause: Expression?)
    case update(table: QualifiedName, assignments: [Assignment], whereClause: Expression?)
    case drop(ObjectKind, QualifiedName, ifExists: Bool, cascade: Bool)
    case alterTable(QualifiedName, AlterAction)
    /// `SHOW TABLES [FROM|IN schema] [LIKE 'pattern']`.
    case showTables(schema: String?, like: String?)
    case showSchemas
    /// `SHOW COLUMNS FROM t` / `DESCRIBE t`.
    case describe(QualifiedName)
    /// `DESCRIBE SELECT …`: the columns and types a query returns, without running it.
    case describeQuery(Query)
    /// `SUMMARIZE t` / `SUMMARIZE SELECT …` (DuckDB): per column its type, min, max, distinct estimate, mean, standard
    /// deviation, quartiles, count and share of NULLs.
    case summarize(Query)
    /// `SHOW CREATE TABLE t` / `SHOW CREATE VIEW v`: the statement that makes it.
    case showCreate(QualifiedName)
    /// `DESCRIBE HISTORY t`.
    case describeHistory(QualifiedName)
    case explain(Statement, analyze: Bool)
    /// `RESTORE TABLE t TO VERSION AS OF n | TIMESTAMP AS OF '…'`.
    case restore(QualifiedName, TimeTravel)
    /// `VACUUM t [RETAIN n HOURS] [DRY RUN]`.
    case vacuum(QualifiedName, retainHours: Double?, dryRun: Bool)
    /// `SET name = value` / `SET name TO value` / `PRAGMA name = value`.
    case set(name: String, value: Expression)
    /// `RESET name`.
    case reset(name: String)
    /// `BEGIN`, `COMMIT`, `ROLLBACK` (accepted; each statement is its own transaction).
    case transaction(String)
    /// `COPY INTO t FROM 'path' [PATTERN '…'] [FORMAT …] [OPTIONS (…)] [MERGE SCHEMA] [STRICT]`.
    case copyInto(table: QualifiedName, source: String, options: [String: Expression])
    /// `COPY (query) TO 'file' (FORMAT csv, HEADER true, …)` / `COPY t TO 'file' …`.
    case copyTo(source: Query, path: String, options: [String: Expression])
    /// `EXPORT TABLE t TO 'folder' (FORMAT delta [, PRINT_DDL])`: the table with its history as a Delta Lake table.
    case exportTable(QualifiedName, path: String, options: [String: Expression])
    /// `ATTACH 'ops.db' AS ops (TYPE sqlite)`.
    case attach(path: String, alias: String, options: [String: Expression])
    case detach(alias: String)
    /// `USE schema`: sets the schema for unqualified names (same as `SET schema = …`).
    case use(String)
    /// `CREATE [OR REPLACE] MODEL [IF NOT EXISTS] m AS mmm(…)`.
    case createModel(CreateModel)
    /// `MERGE INTO target USING source ON … WHEN …` (Databricks / DuckDB).
    case merge(MergeStatement)
    /// `OPTIMIZE t [WHERE condition] [ZORDER BY (columns)]` (Delta Lake): small files compacted into large ones.
    case optimize(QualifiedName, whereClause: Expression?, zorder: [String])
    /// `CREATE SECRET …` (see `CreateSecret`).
    case createSecret(CreateSecret)
    /// `DROP [PERSISTENT | TEMPORARY] SECRET [IF EXISTS] name`.
    case dropSecret(name: String, ifExists: Bool)
}
