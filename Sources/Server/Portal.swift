import Storage
import Tarn

/// A bound statement (Bind): the SQL with parameters substituted, the result formats and, once run,
/// the result and how far Execute has read it.
final class Portal {
    let sql: String
    let resultFormats: [Int16]
    var result: StatementResult?
    /// The command tag when the statement was answered without a result set.
    var batchIndex = 0
    var rowIndex = 0
    var rowsSent = 0
    var finished = false

    init(sql: String, resultFormats: [Int16]) {
        self.sql = sql
        self.resultFormats = resultFormats
    }

    var hasMoreRows: Bool {
        guard let result else { return false }
        return batchIndex < result.batches.count
    }
}
