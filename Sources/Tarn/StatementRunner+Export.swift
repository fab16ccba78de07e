import SQL
import Storage

extension StatementRunner {
    func exportTable(_ q: QualifiedName, _ path: String, _ options: [String: Expression]) throws -> StatementResult {
        throw TarnError.unsupported("EXPORT TABLE is not available yet")
    }
}

/// `delta.publish_to`: the table property naming a folder the table is published to as Delta after every commit.
enum DeltaPublishing {
    static let propertyKey = "delta.publish_to"
}

extension StatementRunner {
    /// Publishes the table's new versions to its `delta.publish_to` folder, if it has one.
    func publishIfConfigured(_ name: TableName) throws {
    }
}

extension Statement {
    /// The lake table a writing statement commits to (nil for statements that write no single table).
    var writtenTable: QualifiedName? {
        switch self {
        case let .createTable(c): return c.temporary ? nil : c.name
        case let .insert(i): return i.table
        case let .delete(table, _), let .update(table, _, _), let .optimize(table, _, _), let .copyInto(table, _, _): return table
        case let .restore(table, _): return table
        case let .merge(m): return m.target
        case let .alterTable(table, action):
            if case .setProperties = action { return nil }
            return table
        default: return nil
        }
    }
}
