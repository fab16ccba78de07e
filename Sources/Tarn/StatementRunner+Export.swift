import Foundation
import Storage
import SQL
import Parquet
import Delta

/// `EXPORT TABLE t TO 'folder' (FORMAT delta [, PRINT_DDL] [, COMPRESSION snappy|zstd|gzip|uncompressed])`:
/// publishes the table's versions not yet in the folder as Delta commits (see `DeltaPublisher`).
extension StatementRunner {
    func exportTable(_ q: QualifiedName, _ path: String, _ options: [String: Expression]) throws -> StatementResult {
        let values = try StatementOptions.values(options, statement: "EXPORT TABLE")
        var format: String?
        var printDDL = false
        var writeOptions = ParquetWriteOptions(compression: .snappy)
        for (key, value) in values {
            switch key {
            case "format": format = value.description.lowercased()
            case "print_ddl":
                guard case let .boolean(b) = value else { throw TarnError.semantic("EXPORT TABLE: PRINT_DDL must be true or false") }
                printDDL = b
            case "compression", "codec":
                guard let codec = ParquetCompressionCodec(name: value.description) else {
                    throw TarnError.semantic("EXPORT TABLE: unknown compression '\(value.description)' (snappy, zstd, gzip, uncompressed)")
                }
                writeOptions.compression = codec
            default:
                throw TarnError.semantic("EXPORT TABLE: unknown option '\(key)' (FORMAT, PRINT_DDL, COMPRESSION)")
            }
        }
        guard format == "delta" else {
            throw TarnError.semantic("EXPORT TABLE needs (FORMAT delta); for one file of the current rows use COPY t TO 'file.parquet'")
        }
        let name = try session.existingTableName(q)
        let publisher = DeltaPublisher(lake: lake, table: name, root: path, options: writeOptions)
        let summary = try publisher.publish()
        if printDDL {
            let location = URL(fileURLWithPath: path).standardizedFileURL.path
            return table([Field(name: "engine", type: .varchar), Field(name: "statement", type: .varchar)],
                         DeltaRegistration.statements(table: name.name, schema: name.schema, location: location).map { [.varchar($0.engine), .varchar($0.statement)] })
        }
        let fields = [Field(name: "first_version", type: .bigint), Field(name: "last_version", type: .bigint),
                      Field(name: "versions_published", type: .bigint), Field(name: "files_written", type: .bigint),
                      Field(name: "bytes_written", type: .bigint)]
        let range = summary.versions
        return table(fields, [[range.map { .bigint($0.lowerBound) } ?? .null, .bigint(summary.latestVersion),
                               .bigint(range.map { $0.upperBound - $0.lowerBound + 1 } ?? 0),
                               .bigint(Int64(summary.parquetFilesWritten)), .bigint(Int64(summary.bytesWritten))]])
    }
}

/// `delta.publish_to`: the table property naming a folder the table is published to as Delta after every commit.
enum DeltaPublishing {
    static let propertyKey = "delta.publish_to"
}

extension StatementRunner {
    /// Publishes the table's new versions to its `delta.publish_to` folder, if it has one.
    func publishIfConfigured(_ name: TableName) throws {
        guard let target = try lake.properties(of: name)[DeltaPublishing.propertyKey], !target.isEmpty else { return }
        do {
            _ = try DeltaPublisher(lake: lake, table: name, root: target).publish()
        } catch let e as TarnError {
            throw TarnError(e.kind, "table '\(name)' was committed, but publishing it to \(target) (delta.publish_to) failed: \(e.message); EXPORT TABLE \(name) TO '\(target)' (FORMAT delta) retries")
        }
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
