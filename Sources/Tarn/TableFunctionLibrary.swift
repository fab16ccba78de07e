import Storage
import Planner

/// The table functions a session can call in FROM, beyond the planner's built-in series functions.
enum TableFunctionLibrary {
    static func all(database: Database) -> [TableFunctionDefinition] {
        []
    }
}
