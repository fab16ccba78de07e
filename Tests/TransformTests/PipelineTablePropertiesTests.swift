import Foundation
import XCTest
@testable import Tarn
import Storage

/// `CREATE OR REFRESH TABLE t TBLPROPERTIES (…) AS …` in a pipeline: the properties are stored when the refresh
/// creates the table, and a refused value fails the step without creating it.
final class PipelineTablePropertiesTests: TransformTestCase {
    func testRefreshCreatesTheTableWithItsProperties() throws {
        let s = try openSession()
        _ = try s.runPipeline("""
            CREATE OR REFRESH TABLE bronze TBLPROPERTIES ('deletion_vectors' = 'false', 'owner' = 'ops')
                AS SELECT * FROM (VALUES (1, 10), (2, 20)) v(id, qty);
            """, baseDirectory: folder)
        XCTAssertEqual(try s.lake.properties(of: TableName(name: "bronze")), ["deletion_vectors": "false", "owner": "ops"])
    }

    func testARefusedValueFailsTheStepAndCreatesNothing() throws {
        let s = try openSession()
        XCTAssertThrowsError(try s.runPipeline("""
            CREATE OR REFRESH TABLE bronze TBLPROPERTIES ('auto_optimize.min_files' = '1') AS SELECT 1 AS id;
            """, baseDirectory: folder)) { error in
            XCTAssertTrue("\(error)".contains("auto_optimize.min_files"), "\(error)")
        }
        XCTAssertFalse(try s.lake.tableExists(TableName(name: "bronze")))
    }
}
