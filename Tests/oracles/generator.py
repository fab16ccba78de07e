"""Random tables and typed random SQL for the logic-bug oracles (oracles.py); every choice comes from one seeded RNG.

The SQL stays inside what Tarn (Trino semantics) and DuckDB both define the same way: numbers compare with
numbers (INTEGER, BIGINT and DOUBLE mixed), strings with strings, dates with dates; no VARCHAR↔number coercion;
`/` and `%` only by non-zero literals; DOUBLE values are multiples of 1/4 below 10^6 (integers reach DOUBLE only
modulo 10^5) so sums are exact in any order: a double sum over ±9.2e18 and small values depends on the order.
"""

INT, DOUBLE, VARCHAR, DATE, BOOL = "int", "double", "varchar", "date", "bool"
NULL_TYPES = {INT: "INTEGER", DOUBLE: "DOUBLE", VARCHAR: "VARCHAR", DATE: "DATE", BOOL: "BOOLEAN"}
SQL_TYPES = {"INTEGER": INT, "BIGINT": INT, "DOUBLE": DOUBLE, "VARCHAR": VARCHAR, "DATE": DATE, "BOOLEAN": BOOL}

INTEGER_VALUES = [0, -1, 1, 2, 3, 7, 10, 42, 100, -100, 2147483647, -2147483648]
BIGINT_VALUES = [0, -1, 1, 2, 5, 42, 3000000000, -3000000000, 9223372036854775807, -9223372036854775807]
DOUBLE_VALUES = [0.0, 1.0, -1.0, 0.5, 1.5, -2.25, 3.0, 42.0, 100.75, -999999.5, 0.25]
STRING_VALUES = ["", "a", "A", "ab", "b", "abc", " a", "a ", "a%", "_", "x y", "ü", "0", "10", "NULL", "Zz"]
DATE_VALUES = ["2024-01-01", "1970-01-01", "2000-02-29", "1969-12-31", "2024-12-31", "1900-01-01", "2099-12-31",
               "2024-05-20"]
LIKE_PATTERNS = ["a%", "%a", "%", "_", "a_", "%b%", "", "A%", "_%", "x y", "%\\%%"]


class Source:
    """A FROM clause and the columns it makes visible: [(name, class)]."""

    def __init__(self, sql, columns, subqueries=True):
        self.sql = sql
        self.columns = columns
        self.subqueries = subqueries  # False where aggregates stand in for columns (HAVING)


def double_literal(v):
    return repr(float(v)) + "E0" if "e" not in repr(float(v)) else repr(float(v))


def literal(cls, rng, sql_type=None):
    if cls == INT:
        if sql_type == "BIGINT" or (sql_type is None and rng.random() < 0.3):
            v = rng.choice(BIGINT_VALUES) if rng.random() < 0.6 else rng.randint(-50, 50)
        else:
            v = rng.choice(INTEGER_VALUES) if rng.random() < 0.6 else rng.randint(-20, 20)
        return str(v) if v >= 0 else f"({v})" if sql_type is None else str(v)
    if cls == DOUBLE:
        v = rng.choice(DOUBLE_VALUES) if rng.random() < 0.6 else rng.randint(-400, 400) / 4
        return double_literal(v)
    if cls == VARCHAR:
        return "'" + rng.choice(STRING_VALUES).replace("'", "''") + "'"
    if cls == DATE:
        return f"DATE '{rng.choice(DATE_VALUES)}'"
    return rng.choice(["TRUE", "FALSE"])


class Generator:
    """Random tables t0 (columns a0…) and t1 (b0…), and random expressions, predicates and queries over them."""

    def __init__(self, rng):
        self.rng = rng
        self.tables = {}
        for name, prefix in (("t0", "a"), ("t1", "b")):
            n = rng.randint(1, 5)
            types = [rng.choice(list(SQL_TYPES)) for _ in range(n)]
            if INT not in (SQL_TYPES[t] for t in types) and rng.random() < 0.7:
                types.append(rng.choice(["INTEGER", "BIGINT"]))
            columns = [(f"{prefix}{i}", t) for i, t in enumerate(types)]
            self.tables[name] = (columns, self.rows(columns))

    # --- data -----------------------------------------------------------------------------------------------
    def rows(self, columns):
        rng = self.rng
        rows = []
        for _ in range(rng.choice([0, 1, 2, 3, 5, 8, 12, 20, 30])):
            if rows and rng.random() < 0.15:
                rows.append(rng.choice(rows))  # a duplicate row
                continue
            rows.append(tuple("NULL" if rng.random() < 0.2 else literal(SQL_TYPES[t], rng, t) for _, t in columns))
        return rows

    def tables_sql(self):
        out = []
        for name, (columns, rows) in self.tables.items():
            out.append(f"CREATE TABLE {name} ({', '.join(f'{c} {t}' for c, t in columns)})")
            if rows:
                out.append(f"INSERT INTO {name} VALUES " + ", ".join("(" + ", ".join(r) + ")" for r in rows))
        return out

    def columns(self, table):
        return [(c, SQL_TYPES[t]) for c, t in self.tables[table][0]]

    # --- sources --------------------------------------------------------------------------------------------
    def from_clause(self):
        rng = self.rng
        r = rng.random()
        if r < 0.4:
            return Source("t0", self.columns("t0"))
        if r < 0.6:
            return Source("t1", self.columns("t1"))
        columns = self.columns("t0") + self.columns("t1")
        if r < 0.7:
            return Source("t0 CROSS JOIN t1", columns)
        kind = rng.choice(["JOIN", "LEFT JOIN", "INNER JOIN", "RIGHT JOIN", "FULL JOIN"])
        on = self.join_condition()
        return Source(f"t0 {kind} t1 ON {on}", columns)

    def join_condition(self):
        rng = self.rng
        left, right = self.columns("t0"), self.columns("t1")
        for cls in rng.sample([INT, DOUBLE, VARCHAR, DATE, BOOL], 5):
            a = [c for c, k in left if k == cls or (cls in (INT, DOUBLE) and k in (INT, DOUBLE))]
            b = [c for c, k in right if k == cls or (cls in (INT, DOUBLE) and k in (INT, DOUBLE))]
            if a and b:
                cond = f"{rng.choice(a)} = {rng.choice(b)}"
                if rng.random() < 0.3:
                    cond += f" {rng.choice(['AND', 'OR'])} {self.predicate(Source('', left + right), 1)}"
                return cond
        return self.predicate(Source("", left + right), 2)

    # --- expressions ----------------------------------------------------------------------------------------
    def column_of(self, source, cls):
        choices = [c for c, k in source.columns if k == cls]
        return self.rng.choice(choices) if choices else None

    def expr(self, source, cls, depth=2):
        rng = self.rng
        col = self.column_of(source, cls)
        if depth <= 0 or rng.random() < 0.45:
            if col is not None and rng.random() < 0.75:
                return col
            if rng.random() < 0.05:
                return f"CAST(NULL AS {NULL_TYPES[cls]})"  # a bare NULL: DuckDB cannot pick year(NULL)'s overload
            return literal(cls, rng)
        d = depth - 1
        if cls == BOOL:
            return self.predicate(source, depth)
        choice = rng.random()
        if choice < 0.15:
            return f"coalesce({self.expr(source, cls, d)}, {self.expr(source, cls, d)})"
        if choice < 0.3:
            return f"CASE WHEN {self.predicate(source, d)} THEN {self.expr(source, cls, d)} " \
                   f"ELSE {self.expr(source, cls, d)} END"
        if choice < 0.36:
            return f"nullif({self.expr(source, cls, d)}, {self.expr(source, cls, d)})"
        if choice < 0.4 and cls in (INT, DOUBLE, VARCHAR, DATE):
            return self.scalar_subquery(cls)
        if cls == INT:
            return rng.choice([
                lambda: f"year({self.expr(source, DATE, d)})",
                lambda: f"month({self.expr(source, DATE, d)})",
                lambda: f"({self.expr(source, INT, d)} + {self.expr(source, INT, d)})",
                lambda: f"({self.expr(source, INT, d)} - {self.expr(source, INT, d)})",
                lambda: f"({self.expr(source, INT, d)} * {rng.randint(-3, 3)})",
                lambda: f"({self.expr(source, INT, d)} / {rng.choice([1, 2, 3, -2, 7])})",
                lambda: f"({self.expr(source, INT, d)} % {rng.choice([1, 2, 3, -2, 7])})",
                lambda: f"(- {self.expr(source, INT, d)})",
                lambda: f"abs({self.expr(source, INT, d)})",
                lambda: f"length({self.expr(source, VARCHAR, d)})",
            ])()
        if cls == DOUBLE:
            return rng.choice([
                lambda: f"({self.expr(source, DOUBLE, d)} + {self.expr(source, DOUBLE, d)})",
                lambda: f"({self.expr(source, DOUBLE, d)} - ({self.expr(source, INT, d)} % 1000))",
                lambda: f"({self.expr(source, DOUBLE, d)} * 2.0E0)",
                lambda: f"abs({self.expr(source, DOUBLE, d)})",
                lambda: f"CAST(({self.expr(source, INT, d)} % 100000) AS DOUBLE)",
                lambda: f"floor({self.expr(source, DOUBLE, d)})",
            ])()
        if cls == VARCHAR:
            return rng.choice([
                lambda: f"lower({self.expr(source, VARCHAR, d)})",
                lambda: f"upper({self.expr(source, VARCHAR, d)})",
                lambda: f"({self.expr(source, VARCHAR, d)} || {self.expr(source, VARCHAR, d)})",
                lambda: f"substr({self.expr(source, VARCHAR, d)}, {rng.randint(1, 3)}, {rng.randint(0, 3)})",
                lambda: f"trim({self.expr(source, VARCHAR, d)})",
                lambda: f"replace({self.expr(source, VARCHAR, d)}, 'a', 'b')",
                lambda: f"CAST({self.expr(source, INT, d)} AS VARCHAR)",
            ])()
        return self.expr(source, cls, 0)

    def comparable(self, source, depth):
        """Two expressions of comparable classes (mixed numeric types allowed)."""
        rng = self.rng
        cls = rng.choice([INT, INT, DOUBLE, VARCHAR, DATE, BOOL, "num"])
        if cls == "num":
            a, b = rng.sample([INT, DOUBLE], 2)
            return INT, self.expr(source, a, depth), self.expr(source, b, depth)
        return cls, self.expr(source, cls, depth), self.expr(source, cls, depth)

    def predicate(self, source, depth=3):
        rng = self.rng
        d = depth - 1
        r = rng.random()
        if depth <= 0 or r < 0.3:
            cls, a, b = self.comparable(source, max(d, 0))
            if rng.random() < 0.1:
                col = self.column_of(source, BOOL)
                return col if col else rng.choice(["TRUE", "FALSE", "NULL"])
            op = rng.choice(["=", "<>", "<", "<=", ">", ">=", "!="])
            return f"({a} {op} {b})"
        if r < 0.38:
            return f"({self.predicate(source, d)} {rng.choice(['AND', 'OR'])} {self.predicate(source, d)})"
        if r < 0.52:
            return f"(NOT {self.predicate(source, d)})"
        if r < 0.6:
            cls = rng.choice([INT, DOUBLE, VARCHAR, DATE, BOOL])
            return f"({self.expr(source, cls, d)} IS {rng.choice(['', 'NOT '])}NULL)"
        if r < 0.68:
            cls = rng.choice([INT, DOUBLE, VARCHAR, DATE])
            not_ = rng.choice(["", "NOT "])
            return f"({self.expr(source, cls, d)} {not_}BETWEEN {self.expr(source, cls, 0)} AND {self.expr(source, cls, 0)})"
        if r < 0.76:
            cls = rng.choice([INT, DOUBLE, VARCHAR, DATE])
            items = ", ".join(self.expr(source, cls, 0) if rng.random() < 0.3 else literal(cls, rng)
                              for _ in range(rng.randint(1, 4)))
            if rng.random() < 0.15:
                items += ", NULL"
            return f"({self.expr(source, cls, d)} {rng.choice(['', 'NOT '])}IN ({items}))"
        if r < 0.83:
            pattern = rng.choice(LIKE_PATTERNS)
            if "\\" in pattern:
                return f"({self.expr(source, VARCHAR, d)} LIKE '{pattern}' ESCAPE '\\')"
            return f"({self.expr(source, VARCHAR, d)} {rng.choice(['', 'NOT '])}LIKE '{pattern}')"
        if r < 0.86 and depth > 1 and source.subqueries:
            return self.subquery_predicate(source, d)
        if r < 0.88:
            cls, a, b = self.comparable(source, max(d, 0))
            return f"({a} IS {rng.choice(['', 'NOT '])}DISTINCT FROM {b})"
        if r < 0.93:
            return f"coalesce({self.predicate(source, d)}, {rng.choice(['TRUE', 'FALSE', 'NULL'])})"
        return f"(CASE WHEN {self.predicate(source, d)} THEN {self.predicate(source, d)} " \
               f"ELSE {self.predicate(source, d)} END)"

    # --- subqueries -----------------------------------------------------------------------------------------
    def inner_table(self):
        return self.rng.choice(["t0", "t1"])

    def scalar_subquery(self, cls):
        """A one-row, one-column subquery of class `cls` (an aggregate, so never more than one row)."""
        rng = self.rng
        table = self.inner_table()
        inner = Source(table, self.columns(table))
        col = self.column_of(inner, cls)
        if col is None:
            return literal(cls, rng)
        where = f" WHERE {self.predicate(inner, 1)}" if rng.random() < 0.5 else ""
        return f"(SELECT {rng.choice(['min', 'max'])}({col}) FROM {table}{where})"

    def subquery_predicate(self, source, depth):
        """[NOT] IN (SELECT …), x op ANY/SOME/ALL (SELECT …), [NOT] EXISTS (correlated or not), a comparison with a
        scalar subquery."""
        rng = self.rng
        table = self.inner_table()
        inner = Source(table, self.columns(table))
        r = rng.random()
        if r < 0.45:
            cls = rng.choice([c for _, c in inner.columns if c != BOOL] or [INT])
            col = self.column_of(inner, cls)
            if col is None:
                return "TRUE"
            where = f" WHERE {self.predicate(inner, 1)}" if rng.random() < 0.5 else ""
            not_ = rng.choice(["", "NOT "])
            return f"({self.expr(source, cls, depth)} {not_}IN (SELECT {col} FROM {table}{where}))"
        if r < 0.52:
            # A quantified comparison: x op ANY | SOME | ALL (SELECT col …), with the standard's NULL rules.
            cls = rng.choice([c for _, c in inner.columns if c != BOOL] or [INT])
            col = self.column_of(inner, cls)
            if col is None:
                return "TRUE"
            where = f" WHERE {self.predicate(inner, 1)}" if rng.random() < 0.5 else ""
            op = rng.choice(["=", "<>", "<", "<=", ">", ">="])
            quantifier = rng.choice(["ANY", "SOME", "ALL"])
            return f"({self.expr(source, cls, depth)} {op} {quantifier} (SELECT {col} FROM {table}{where}))"
        if r < 0.82:
            # Correlated when the inner predicate mentions outer columns (names are unique across t0 and t1).
            both = Source("", inner.columns + [c for c in source.columns if c not in inner.columns])
            not_ = rng.choice(["", "NOT "])
            return f"({not_}EXISTS (SELECT 1 FROM {table} WHERE {self.predicate(both, 1)}))"
        cls = rng.choice([INT, DOUBLE, VARCHAR, DATE])
        op = rng.choice(["=", "<>", "<", ">=", "!="])
        return f"({self.expr(source, cls, depth)} {op} {self.scalar_subquery(cls)})"

    # --- select lists, aggregates, queries ------------------------------------------------------------------
    def select_list(self, source, exprs=True):
        rng = self.rng
        items = []
        for _ in range(rng.randint(1, 3)):
            if exprs and rng.random() < 0.4:
                items.append(self.expr(source, rng.choice([INT, DOUBLE, VARCHAR, DATE, BOOL]), 2))
            else:
                items.append(rng.choice(source.columns)[0])
        return ", ".join(f"{e} AS x{i}" for i, e in enumerate(items))

    def aggregate(self, source):
        """(function, argument) for TLP's aggregate form: recombinable from the three partitions."""
        rng = self.rng
        kind = rng.choice(["min", "max", "sum", "count"])
        if kind == "count":
            return kind, rng.choice(["*", self.expr(source, rng.choice([INT, VARCHAR, DATE, BOOL]), 1)])
        if kind == "sum":
            return kind, self.expr(source, rng.choice([INT, DOUBLE]), 1)
        return kind, self.expr(source, rng.choice([INT, DOUBLE, VARCHAR, DATE]), 1)

    def aggregate_sql(self, source):
        rng = self.rng
        kind = rng.choice(["min", "max", "sum", "count", "avg", "count_distinct"])
        if kind == "count_distinct":
            return f"count(DISTINCT {self.expr(source, rng.choice([INT, VARCHAR, DATE]), 1)})"
        if kind in ("sum", "avg"):
            return f"{kind}({self.expr(source, rng.choice([INT, DOUBLE]), 1)})"
        if kind == "count":
            return f"count({self.expr(source, rng.choice([INT, VARCHAR, BOOL]), 1)})"
        return f"{kind}({self.expr(source, rng.choice([INT, DOUBLE, VARCHAR, DATE]), 1)})"

    def group_keys(self, source):
        return ", ".join(sorted({self.rng.choice(source.columns)[0] for _ in range(self.rng.randint(1, 2))}))

    def having_predicate(self, source, group):
        keys = group.split(", ")
        cols = [(k, c) for k, c in source.columns if k in keys]
        virtual = cols + [("count(*)", INT)]
        for _ in range(2):
            c, cls = self.rng.choice(source.columns)
            if cls in (INT, DOUBLE):
                virtual.append((f"sum({c})", cls))
            if cls != BOOL:
                virtual.append((f"{self.rng.choice(['min', 'max'])}({c})", cls))
        return self.predicate(Source(source.sql, virtual, subqueries=False), 2)

    def random_query(self):
        """A random query for the differential oracle."""
        rng = self.rng
        source = self.from_clause()
        where = f" WHERE {self.predicate(source)}" if rng.random() < 0.7 else ""
        form = rng.random()
        if form < 0.35:
            return f"SELECT {self.select_list(source)} FROM {source.sql}{where}"
        if form < 0.5:
            return f"SELECT DISTINCT {self.select_list(source)} FROM {source.sql}{where}"
        if form < 0.7:
            group = self.group_keys(source)
            aggs = ", ".join(f"{self.aggregate_sql(source)} AS g{i}" for i in range(rng.randint(1, 3)))
            having = f" HAVING {self.having_predicate(source, group)}" if rng.random() < 0.4 else ""
            return f"SELECT {group}, {aggs} FROM {source.sql}{where} GROUP BY {group}{having}"
        if form < 0.75:
            aggs = ", ".join(f"{self.aggregate_sql(source)} AS g{i}" for i in range(rng.randint(1, 3)))
            return f"SELECT {aggs} FROM {source.sql}{where}"
        if form < 0.82:
            cls = rng.choice([INT, DOUBLE, VARCHAR, DATE, BOOL])
            other = self.from_clause()
            op = rng.choice(["UNION", "UNION ALL", "INTERSECT", "EXCEPT"])
            return (f"SELECT {self.expr(source, cls, 1)} AS x FROM {source.sql}{where} {op} "
                    f"SELECT {self.expr(other, cls, 1)} AS x FROM {other.sql} WHERE {self.predicate(other, 1)}")
        return f"SELECT {self.select_list(source, exprs=False)}, {self.window(source)} AS w FROM {source.sql}{where}"

    def window(self, source):
        rng = self.rng
        part = rng.choice(source.columns)[0]
        order = rng.choice(source.columns)[0]
        num = self.column_of(source, INT) or self.column_of(source, DOUBLE)
        options = [
            f"rank() OVER (PARTITION BY {part} ORDER BY {order})",
            f"dense_rank() OVER (PARTITION BY {part} ORDER BY {order} DESC)",
            f"count(*) OVER (PARTITION BY {part})",
            f"count({order}) OVER (PARTITION BY {part} ORDER BY {order})",
            f"max({order}) OVER (PARTITION BY {part})",
            f"min({order}) OVER ()",
        ]
        if num:
            options += [f"sum({num}) OVER (PARTITION BY {part})", f"sum({num}) OVER (ORDER BY {order})"]
        return rng.choice(options)
