import Planner

/// Every marketing-mix table function: fitting (`mmm`), model outputs, the model registry and the simulator.
enum MMMTableFunctions {
    static func all(database: Database) -> [TableFunctionDefinition] {
        [MMMFitFunction.definition(database: database)]
            + MMMOutputFunctions.definitions(database: database)
            + MMMSimulationFunctions.definitions()
    }
}
