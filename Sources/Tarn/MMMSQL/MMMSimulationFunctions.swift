import Storage
import Execution
import Planner
import Transforms

/// `simulate_mmm(weeks => 156, channels => 3, seed => 1, noise => 0.25, channel_names => ARRAY[…],
/// adstock => 'geometric' | 'weibull_pdf' | 'weibull_cdf', adstock_shape => ARRAY[…], adstock_scale => ARRAY[…])`:
/// weekly data generated from known parameters (columns week, revenue, one spend column per channel, event_1, event_2),
/// and `simulate_mmm_truth(…same arguments…)`: the true parameters, contribution and ROAS per channel.
enum MMMSimulationFunctions {
    static let known: Set<String> = ["weeks", "channels", "seed", "noise", "channel_names", "adstock", "adstock_shape", "adstock_scale"]

    static func simulation(_ args: MMMArguments) throws -> MMMSimulation {
        try args.rejectUnknown(known)
        let weeks = try args.int("weeks", position: 0, default: 156, range: 8...5000)
        let names = try args.strings("channel_names")
        let channels = try args.int("channels", position: 1, default: names?.count ?? 3, range: 1...10)
        let seed = try args.int("seed", position: 2, default: 1, range: 0...Int.max)
        let noise = try args.double("noise") ?? 0.25
        let adstock = try MMMFitFunction.adstockKind(args)
        let shapes = try args.doubles("adstock_shape"), scales = try args.doubles("adstock_scale")
        do {
            return try MMMSimulation(weeks: weeks, channels: channels, seed: UInt64(seed), noise: noise, channelNames: names,
                                     adstock: adstock, adstockShapes: shapes, adstockScales: scales)
        } catch let e as MMMInputError {
            throw TarnError.semantic("\(args.function)(): \(e.message)")
        }
    }

    static func definitions() -> [TableFunctionDefinition] {
        [
            TableFunctionDefinition(name: "simulate_mmm") { call in
                let sim = try simulation(MMMArguments(call: call))
                let fields = [Field(name: "week", type: .date), Field(name: "revenue", type: .double)]
                    + sim.channelNames.map { Field(name: $0, type: .double) }
                    + sim.controlNames.map { Field(name: $0, type: .double) }
                let columns = [Column(type: .date, data: .int32(sim.weeks)), Column(type: .double, data: .double(sim.revenue))]
                    + (sim.spend + sim.controls).map { Column(type: .double, data: .double($0)) }
                let batch = Batch(columns: columns, count: sim.weeks.count)
                return (fields, OperatorFactory { ValuesOperator(types: fields.map(\.type), batches: [batch]) })
            },
            TableFunctionDefinition(name: "simulate_mmm_truth") { call in
                let sim = try simulation(MMMArguments(call: call))
                // The adstock columns are the kind's parameters: alpha (geometric) or adstock_shape, adstock_scale (Weibull).
                let weibull = sim.truth.adstock != .geometric
                let adstockFields = weibull ? [Field(name: "adstock_shape", type: .double), Field(name: "adstock_scale", type: .double)]
                                            : [Field(name: "alpha", type: .double)]
                let fields = [Field(name: "channel", type: .varchar)] + adstockFields + [
                              Field(name: "lambda", type: .double), Field(name: "beta", type: .double),
                              Field(name: "spend_scale", type: .double), Field(name: "total_spend", type: .double),
                              Field(name: "contribution", type: .double), Field(name: "roas", type: .double)]
                let rows: [[Value]] = sim.truth.channels.map { c in
                    let adstock: [Value] = weibull ? [.double(c.adstockShape ?? .nan), .double(c.adstockScale ?? .nan)] : [.double(c.alpha)]
                    return [.varchar(c.name)] + adstock + [.double(c.lambda), .double(c.beta), .double(c.spendScale),
                     .double(c.totalSpend), .double(c.contribution), .double(c.roas)]
                }
                let batch = makeBatch(fields, rows)
                return (fields, OperatorFactory { ValuesOperator(types: fields.map(\.type), batches: [batch]) })
            },
        ]
    }
}
