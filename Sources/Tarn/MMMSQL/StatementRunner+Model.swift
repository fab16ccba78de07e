import Storage
import SQL

/// `CREATE [OR REPLACE] MODEL [IF NOT EXISTS] m AS mmm(TABLE weekly, …)` and `DROP MODEL [IF EXISTS] m`: the statement
/// form of the `mmm(…, name => 'm')` fit and of removing a model from the registry.
extension StatementRunner {
    /// Fits the model by running `SELECT * FROM mmm(…, name => 'm')`; returns the fit's posterior summary.
    /// Without OR REPLACE an existing model is an error (with it, the fit becomes the model's next version).
    func createModel(_ model: CreateModel) throws -> StatementResult {
        let function = model.call.name.joined(separator: ".")
        guard model.call.name.count == 1, model.call.baseName == "mmm" else {
            throw TarnError.semantic("CREATE MODEL \(model.name) AS \(function)(…): '\(function)' does not fit a model; "
                                     + "use mmm(TABLE weekly, date => 'week', target => 'revenue', channels => ARRAY['tv', 'search'])",
                                     line: model.location.line, column: model.location.column)
        }
        if model.call.arguments.contains(where: { $0.name?.lowercased() == "name" }) {
            throw TarnError.semantic("CREATE MODEL \(model.name): the model is named by the statement; remove name => … from mmm(…)",
                                     line: model.location.line, column: model.location.column)
        }
        if try MMMModelCatalog(catalog: lake.catalog).contains(model.name) {
            if model.ifNotExists { return message("CREATE MODEL") }
            if !model.orReplace {
                throw TarnError.semantic("model '\(model.name)' already exists; CREATE OR REPLACE MODEL \(model.name) AS mmm(…) fits "
                                         + "a new version (older versions stay readable with version => n)",
                                         line: model.location.line, column: model.location.column)
            }
        }
        var call = model.call
        call.arguments.append(FunctionArgument(name: "name", value: .expression(Expression(.literal(.string(model.name)), at: model.location))))
        let select = Select(items: [.star(qualifier: nil, exclude: [], location: model.location)],
                            from: [.function(call, alias: nil, columnAliases: [], location: model.location)], location: model.location)
        return try runQuery(Query(body: .select(select), location: model.location))
    }

    /// Removes every version of a model from the registry.
    func dropModel(_ name: QualifiedName, ifExists: Bool) throws -> StatementResult {
        guard name.parts.count == 1 else {
            throw TarnError.semantic("model names have one part (got '\(name)')", line: name.location.line, column: name.location.column)
        }
        let versions = try MMMModelCatalog(catalog: lake.catalog).drop(name.name)
        if versions == 0, !ifExists {
            throw TarnError.semantic("model '\(name.name)' does not exist", line: name.location.line, column: name.location.column)
        }
        return message("DROP MODEL")
    }
}
