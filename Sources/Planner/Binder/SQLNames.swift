import SQL

/// Foundation also declares `Expression`; in the Planner the word means the SQL AST node.
typealias Expression = SQL.Expression
