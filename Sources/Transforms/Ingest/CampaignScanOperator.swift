import Storage
import Execution

/// Produces `rows` generated ad-campaign records (`generate_campaigns(rows, seed => …, clean => …)`),
/// batch by batch from the shared `CampaignGenerator`, so memory stays flat for any row count.
public final class CampaignScanOperator: PhysicalOperator {
    public let generator: CampaignGenerator
    public let rows: Int
    public let statistics = OperatorStatistics()
    private var position = 0
    private var context = ExecutionContext()
    private let batchRows = 65_536

    public init(generator: CampaignGenerator, rows: Int) {
        self.generator = generator
        self.rows = max(0, rows)
    }

    public var outputTypes: [DataType] { CampaignGenerator.schema.types }
    public var children: [PhysicalOperator] { [] }
    public var explainLine: String { "GenerateCampaigns rows=\(rows) seed=\(generator.options.seed)" }

    public func open(_ context: ExecutionContext) throws { self.context = context; position = 0 }

    public func next() throws -> Batch? {
        guard position < rows else { return nil }
        try context.progress.checkCancelled()
        let end = min(rows, position + batchRows)
        let batch = generator.batch(rows: position..<end)
        position = end
        statistics.add(rows: batch.count, nanos: 0)
        return batch
    }

    public func close() {}
}
