import SQL

/// Foundation also declares `Expression`; in the facade the word means the SQL AST node.
typealias Expression = SQL.Expression
