import Foundation
import Storage
import Execution
import Planner

/// `pg_catalog`: PostgreSQL's system catalogs as virtual relations over the lake's catalog, so the queries
/// drivers and BI tools send at connect and browse time (pgjdbc's `DatabaseMetaData`, Npgsql's type loading,
/// Metabase's sync, psql's describe commands) run as ordinary Tarn queries. Reachable as `pg_catalog.pg_class`
/// and, as in PostgreSQL, unqualified (`FROM pg_type`) when no lake relation has the name.
///
/// Relations describe the lake's schemas, tables, views and columns with stable OIDs (`PostgresOIDs`) and the
/// built-in types with PostgreSQL's OIDs; what Tarn has no notion of (indexes, constraints, defaults, comments,
/// enums, ranges, inheritance) is present with PostgreSQL's columns and no rows. Arrays (`indkey`, `conkey`,
/// `proargtypes`, `datacl`…) are VARCHAR in PostgreSQL's text form (`{1,2}`), which `= ANY(…)`, `array_upper`
/// and `pg_array_element` read. Read when a query runs, so they show the catalog as of that statement.
enum PostgresCatalog {
    typealias Relation = (columns: [Field], factory: OperatorFactory)

    /// A relation's columns (name and type) and its rows, computed when the query runs.
    private struct Table {
        let columns: [(String, DataType)]
        let rows: @Sendable (Snapshot) throws -> [[Value]]
    }

    /// What the relations are computed from, read once per relation instance.
    private struct Snapshot {
        let schemas: [String]
        let relations: [(schema: String, name: String, kind: String, columns: [Field], rowCount: Int?)]
        let databaseName: String
    }

    static func relation(_ name: String, session: Session) throws -> Relation? {
        guard let table = tables[name.lowercased()] else { return nil }
        let fields = table.columns.map { Field(name: $0.0, type: $0.1) }
        let databaseName = session.postgresDatabaseName
        return (fields, OperatorFactory { [unowned session] in
            let rows = try table.rows(try snapshot(session, databaseName: databaseName))
            return IngestRelations.values(fields, rows)
        })
    }

    private static func snapshot(_ session: Session, databaseName: String) throws -> Snapshot {
        let lake = session.lake
        var relations: [(schema: String, name: String, kind: String, columns: [Field], rowCount: Int?)] = []
        for t in try lake.tableNames(schema: nil) {
            let s = try lake.snapshot(of: t)
            relations.append((t.schema, t.name, "r", s.schema.fields, s.rowCount))
        }
        for v in try lake.viewNames(schema: nil) {
            relations.append((v.schema, v.name, "v", InformationSchema.viewColumns(v, session: session) ?? [], nil))
        }
        return Snapshot(schemas: try lake.schemaNames().sorted(), relations: relations, databaseName: databaseName)
    }

    // MARK: values

    private static func o(_ x: Int64) -> Value { .bigint(x) }
    private static func i(_ x: Int) -> Value { .integer(Int32(x)) }
    private static func s(_ x: String) -> Value { .varchar(x) }
    private static func b(_ x: Bool) -> Value { .boolean(x) }
    private static let null = Value.null

    private static func columns(_ spec: String) -> [(String, DataType)] {
        spec.split(separator: ",").map { item in
            let parts = item.split(separator: ":").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            let type: DataType
            switch parts.count > 1 ? parts[1] : "oid" {
            case "oid", "int8": type = .bigint
            case "int", "int2", "int4": type = .integer
            case "bool": type = .boolean
            case "float": type = .double
            default: type = .varchar
            }
            return (parts[0], type)
        }
    }

    private static func empty(_ spec: String) -> Table { Table(columns: columns(spec)) { _ in [] } }

    /// `typname` + `recv`: the receive function PostgreSQL names for a base type (synthetic OIDs above 20000).
    private static func receiveOID(_ t: PostgresOIDs.BuiltinType) -> Int64 { 20_000 + t.oid }

    // MARK: the relations

    private static let tables: [String: Table] = [
        "pg_namespace": Table(columns: columns("oid, nspname:name, nspowner, nspacl:text")) { c in
            [[o(PostgresOIDs.pgCatalogNamespace), s("pg_catalog"), o(PostgresOIDs.ownerOID), null],
             [o(PostgresOIDs.informationSchemaNamespace), s("information_schema"), o(PostgresOIDs.ownerOID), null]]
                + c.schemas.map { [o(PostgresOIDs.namespaceOID($0)), s($0), o(PostgresOIDs.ownerOID), null] }
        },
        "pg_class": Table(columns: columns("""
            oid, relname:name, relnamespace, reltype, reloftype, relowner, relam, relfilenode, reltablespace, relpages:int4,
            reltuples:float, relallvisible:int4, reltoastrelid, relhasindex:bool, relisshared:bool, relpersistence:char,
            relkind:char, relnatts:int2, relchecks:int2, relhasrules:bool, relhastriggers:bool, relhassubclass:bool,
            relrowsecurity:bool, relforcerowsecurity:bool, relispopulated:bool, relreplident:char, relispartition:bool,
            relrewrite, relfrozenxid:int8, relminmxid:int8, relacl:text, reloptions:text, relpartbound:text
            """)) { c in
            func row(_ oid: Int64, _ name: String, _ namespace: Int64, _ kind: String, _ attributes: Int, _ tuples: Int?) -> [Value] {
                [o(oid), s(name), o(namespace), o(0), o(0), o(PostgresOIDs.ownerOID), o(kind == "r" ? 2 : 0), o(oid), o(0), i(0),
                 .double(Double(tuples ?? -1)), i(0), o(0), b(false), b(false), s("p"), s(kind), i(attributes), i(0), b(false),
                 b(false), b(false), b(false), b(false), b(true), s("d"), b(false), o(0), o(0), o(0), null, null, null]
            }
            return PostgresOIDs.catalogRelations.map { row($0.oid, $0.name, PostgresOIDs.pgCatalogNamespace, "v", tables[$0.name]?.columns.count ?? 0, nil) }
                + c.relations.map { r in
                    row(PostgresOIDs.relationOID(schema: r.schema, name: r.name), r.name, PostgresOIDs.namespaceOID(r.schema), r.kind, r.columns.count, r.rowCount)
                }
        },
        "pg_attribute": Table(columns: columns("""
            attrelid, attname:name, atttypid, attstattarget:int4, attlen:int2, attnum:int2, attndims:int4, attcacheoff:int4,
            atttypmod:int4, attbyval:bool, attalign:char, attstorage:char, attcompression:char, attnotnull:bool,
            atthasdef:bool, atthasmissing:bool, attidentity:char, attgenerated:char, attisdropped:bool, attislocal:bool,
            attinhcount:int4, attcollation, attacl:text, attoptions:text, attfdwoptions:text, attmissingval:text
            """)) { c in
            var rows: [[Value]] = []
            for r in c.relations {
                let rel = PostgresOIDs.relationOID(schema: r.schema, name: r.name)
                for (n, f) in r.columns.enumerated() {
                    let typeOID = PostgresOIDs.typeOID(of: f.type)
                    let length = PostgresOIDs.builtinTypes.first { $0.oid == typeOID }?.length ?? -1
                    rows.append([o(rel), s(f.name), o(typeOID), i(-1), i(length), i(n + 1), i(0), i(-1),
                                 i(Int(PostgresOIDs.typeModifier(of: f.type))), b(length > 0), s(length == 8 ? "d" : "i"),
                                 s(length > 0 ? "p" : "x"), s(""), b(!f.nullable), b(false), b(false), s(""), s(""), b(false),
                                 b(true), i(0), o(f.type == .varchar ? 100 : 0), null, null, null, null])
                }
            }
            return rows
        },
        "pg_type": Table(columns: columns("""
            oid, typname:name, typnamespace, typowner, typlen:int2, typbyval:bool, typtype:char, typcategory:char,
            typispreferred:bool, typisdefined:bool, typdelim:char, typrelid, typsubscript:regproc, typelem, typarray,
            typinput:regproc, typoutput:regproc, typreceive, typsend:regproc, typmodin:regproc, typmodout:regproc,
            typanalyze:regproc, typalign:char, typstorage:char, typnotnull:bool, typbasetype, typtypmod:int4, typndims:int4,
            typcollation, typdefaultbin:text, typdefault:text, typacl:text
            """)) { _ in
            var rows: [[Value]] = []
            for t in PostgresOIDs.builtinTypes {
                let typtype = t.pseudo ? "p" : "b"
                rows.append([o(t.oid), s(t.name), o(PostgresOIDs.pgCatalogNamespace), o(PostgresOIDs.ownerOID), i(t.length),
                             b(t.length > 0 && t.length <= 8), s(typtype), s(t.category), b(false), b(true), s(","), o(0), s("-"),
                             o(0), o(t.arrayOID), s(t.name + "in"), s(t.name + "out"), o(receiveOID(t)), s(t.name + "send"), s("-"),
                             s("-"), s("-"), s(t.length == 8 ? "d" : "i"), s(t.length > 0 ? "p" : "x"), b(false), o(0), i(-1), i(0),
                             o(t.category == "S" ? 100 : 0), null, null, null])
                guard t.arrayOID != 0 else { continue }
                rows.append([o(t.arrayOID), s("_" + t.name), o(PostgresOIDs.pgCatalogNamespace), o(PostgresOIDs.ownerOID), i(-1),
                             b(false), s("b"), s("A"), b(false), b(true), s(","), o(0), s("array_subscript_handler"), o(t.oid), o(0),
                             s("array_in"), s("array_out"), o(PostgresOIDs.arrayReceiveFunction), s("array_send"), s("-"), s("-"),
                             s("array_typanalyze"), s("i"), s("x"), b(false), o(0), i(-1), i(0), o(0), null, null, null])
            }
            return rows
        },
        "pg_proc": Table(columns: columns("""
            oid, proname:name, pronamespace, proowner, prolang, procost:float, prorows:float, provariadic, prosupport:regproc,
            prokind:char, prosecdef:bool, proleakproof:bool, proisstrict:bool, proretset:bool, provolatile:char,
            proparallel:char, pronargs:int2, pronargdefaults:int2, prorettype, proargtypes:oidvector, proallargtypes:text,
            proargmodes:text, proargnames:text, proargdefaults:text, protrftypes:text, prosrc:text, probin:text,
            prosqlbody:text, proconfig:text, proacl:text
            """)) { _ in
            func row(_ oid: Int64, _ name: String, _ returns: Int64) -> [Value] {
                [o(oid), s(name), o(PostgresOIDs.pgCatalogNamespace), o(PostgresOIDs.ownerOID), o(12), .double(1), .double(0), o(0),
                 s("-"), s("f"), b(false), b(false), b(true), b(false), s("i"), s("s"), i(1), i(0), o(returns), s(""), null, null,
                 null, null, null, s(name), null, null, null, null]
            }
            var rows = [row(PostgresOIDs.arrayReceiveFunction, "array_recv", 2277)]
            rows += PostgresOIDs.builtinTypes.map { row(receiveOID($0), $0.name + "recv", $0.oid) }
            return rows
        },
        "pg_database": Table(columns: columns("""
            oid, datname:name, datdba, encoding:int4, datlocprovider:char, datistemplate:bool, datallowconn:bool,
            datconnlimit:int4, datfrozenxid:int8, datminmxid:int8, dattablespace, datcollate:text, datctype:text,
            daticulocale:text, datcollversion:text, datacl:text
            """)) { c in
            [[o(PostgresOIDs.databaseOID), s(c.databaseName), o(PostgresOIDs.ownerOID), i(6), s("c"), b(false), b(true), i(-1),
              o(0), o(0), o(1663), s("C"), s("C"), null, null, null]]
        },
        "pg_settings": Table(columns: columns("""
            name:text, setting:text, unit:text, category:text, short_desc:text, extra_desc:text, context:text, vartype:text,
            source:text, min_val:text, max_val:text, enumvals:text, boot_val:text, reset_val:text, sourcefile:text,
            sourceline:int4, pending_restart:bool
            """)) { _ in
            let settings: [(String, String, String)] = [
                ("server_version", "15.0", "string"), ("server_version_num", "150000", "integer"), ("server_encoding", "UTF8", "string"),
                ("client_encoding", "UTF8", "string"), ("DateStyle", "ISO, MDY", "string"), ("TimeZone", "UTC", "string"),
                ("integer_datetimes", "on", "bool"), ("standard_conforming_strings", "on", "bool"),
                ("max_identifier_length", "63", "integer"), ("max_index_keys", "32", "integer"), ("search_path", TableName.defaultSchema, "string"),
                ("default_transaction_read_only", "off", "bool"), ("transaction_isolation", "read committed", "enum"),
                ("lc_collate", "C", "string"), ("lc_ctype", "C", "string"), ("block_size", "8192", "integer"),
            ]
            return settings.map { [s($0.0), s($0.1), null, s("Preset Options"), s(""), null, s("internal"), s($0.2), s("default"),
                                   null, null, null, s($0.1), s($0.1), null, null, b(false)] }
        },
        "pg_tablespace": Table(columns: columns("oid, spcname:name, spcowner, spcacl:text, spcoptions:text")) { _ in
            [[o(1663), s("pg_default"), o(PostgresOIDs.ownerOID), null, null], [o(1664), s("pg_global"), o(PostgresOIDs.ownerOID), null, null]]
        },
        "pg_am": Table(columns: columns("oid, amname:name, amhandler:regproc, amtype:char")) { _ in
            [[o(2), s("heap"), s("heap_tableam_handler"), s("t")], [o(403), s("btree"), s("bthandler"), s("i")]]
        },
        "pg_roles": Table(columns: columns("""
            rolname:name, rolsuper:bool, rolinherit:bool, rolcreaterole:bool, rolcreatedb:bool, rolcanlogin:bool,
            rolreplication:bool, rolconnlimit:int4, rolpassword:text, rolvaliduntil:text, rolbypassrls:bool, rolconfig:text, oid
            """)) { _ in
            [[s("tarn"), b(false), b(true), b(false), b(false), b(true), b(false), i(-1), s("********"), null, b(false), null, o(PostgresOIDs.ownerOID)]]
        },
        "pg_user": Table(columns: columns("""
            usename:name, usesysid, usecreatedb:bool, usesuper:bool, userepl:bool, usebypassrls:bool, passwd:text,
            valuntil:text, useconfig:text
            """)) { _ in
            [[s("tarn"), o(PostgresOIDs.ownerOID), b(false), b(false), b(false), b(false), s("********"), null, null]]
        },
        "pg_tables": Table(columns: columns("""
            schemaname:name, tablename:name, tableowner:name, tablespace:name, hasindexes:bool, hasrules:bool,
            hastriggers:bool, rowsecurity:bool
            """)) { c in
            c.relations.filter { $0.kind == "r" }.map { [s($0.schema), s($0.name), s("tarn"), null, b(false), b(false), b(false), b(false)] }
        },
        "pg_views": Table(columns: columns("schemaname:name, viewname:name, viewowner:name, definition:text")) { c in
            c.relations.filter { $0.kind == "v" }.map { [s($0.schema), s($0.name), s("tarn"), null] }
        },
        "pg_stat_user_tables": Table(columns: columns("""
            relid, schemaname:name, relname:name, seq_scan:int8, seq_tup_read:int8, idx_scan:int8, idx_tup_fetch:int8,
            n_tup_ins:int8, n_tup_upd:int8, n_tup_del:int8, n_live_tup:int8, n_dead_tup:int8
            """)) { c in
            c.relations.filter { $0.kind == "r" }.map { r in
                [o(PostgresOIDs.relationOID(schema: r.schema, name: r.name)), s(r.schema), s(r.name), o(0), o(0), null, null, o(0), o(0), o(0),
                 o(Int64(r.rowCount ?? 0)), o(0)]
            }
        },
        "pg_index": empty("""
            indexrelid, indrelid, indnatts:int2, indnkeyatts:int2, indisunique:bool, indnullsnotdistinct:bool, indisprimary:bool,
            indisexclusion:bool, indimmediate:bool, indisclustered:bool, indisvalid:bool, indcheckxmin:bool, indisready:bool,
            indislive:bool, indisreplident:bool, indkey:int2vector, indcollation:oidvector, indclass:oidvector,
            indoption:int2vector, indexprs:text, indpred:text
            """),
        "pg_description": empty("objoid, classoid, objsubid:int4, description:text"),
        "pg_attrdef": empty("oid, adrelid, adnum:int2, adbin:text"),
        "pg_constraint": empty("""
            oid, conname:name, connamespace, contype:char, condeferrable:bool, condeferred:bool, convalidated:bool, conrelid,
            contypid, conindid, conparentid, confrelid, confupdtype:char, confdeltype:char, confmatchtype:char,
            conislocal:bool, coninhcount:int4, connoinherit:bool, conkey:text, confkey:text, conpfeqop:text,
            conppeqop:text, conffeqop:text, confdelsetcols:text, conexclop:text, conbin:text
            """),
        "pg_inherits": empty("inhrelid, inhparent, inhseqno:int4, inhdetachpending:bool"),
        "pg_enum": empty("oid, enumtypid, enumsortorder:float, enumlabel:name"),
        "pg_range": empty("rngtypid, rngsubtype, rngmultitypid, rngcollation, rngsubopc, rngcanonical:regproc, rngsubdiff:regproc"),
        "pg_matviews": empty("schemaname:name, matviewname:name, matviewowner:name, tablespace:name, hasindexes:bool, ispopulated:bool, definition:text"),
        "pg_extension": empty("oid, extname:name, extowner, extnamespace, extrelocatable:bool, extversion:text, extconfig:text, extcondition:text"),
        "pg_collation": empty("oid, collname:name, collnamespace, collowner, collprovider:char, collisdeterministic:bool, collencoding:int4, collcollate:text, collctype:text"),
        "pg_sequence": empty("seqrelid, seqtypid, seqstart:int8, seqincrement:int8, seqmax:int8, seqmin:int8, seqcache:int8, seqcycle:bool"),
        "pg_trigger": empty("oid, tgrelid, tgparentid, tgname:name, tgfoid, tgtype:int2, tgenabled:char, tgisinternal:bool"),
        "pg_depend": empty("classid, objid, objsubid:int4, refclassid, refobjid, refobjsubid:int4, deptype:char"),
        "pg_rewrite": empty("oid, rulename:name, ev_class, ev_type:char, ev_enabled:char, is_instead:bool, ev_qual:text, ev_action:text"),
    ]
}
