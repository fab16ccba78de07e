import Foundation

/// A lift test (geo or holdout experiment) of one channel, used to calibrate a fit: moving the channel's weekly spend
/// from `spend` to `spend + deltaSpend` changed the weekly target by `lift`, measured with standard error
/// `standardError` (all in the data's units). Each test adds
/// `lift ~ Normal(β_c · (f(spend + Δ) − f(spend)), standardError)` to the likelihood, on the model's scales and at
/// steady state (adstock of a constant spend is that spend), as PyMC-Marketing's `add_lift_test_measurements` does
/// (which uses a gamma likelihood on |lift|).
public struct MMMLiftTest: Sendable, Equatable, Codable {
    public var channel: String
    public var spend: Double
    public var deltaSpend: Double
    public var lift: Double
    public var standardError: Double

    public init(channel: String, spend: Double, deltaSpend: Double, lift: Double, standardError: Double) {
        self.channel = channel; self.spend = spend; self.deltaSpend = deltaSpend; self.lift = lift
        self.standardError = standardError
    }
}

extension MMMDesign {
    /// The same design calibrated with lift tests. Throws `MMMInputError` naming the test (1-based) and what is wrong.
    public func calibrated(with tests: [MMMLiftTest]) throws -> MMMDesign {
        let names = specification.channelNames.map { $0.lowercased() }
        for (i, test) in tests.enumerated() {
            let which = "lift test \(i + 1)"
            guard names.contains(test.channel.lowercased()) else {
                throw MMMInputError("\(which): channel '\(test.channel)' is not one of the model's channels (\(specification.channelNames.joined(separator: ", ")))")
            }
            guard [test.spend, test.deltaSpend, test.lift, test.standardError].allSatisfy(\.isFinite) else {
                throw MMMInputError("\(which): spend, delta_spend, lift and standard_error must be finite numbers")
            }
            guard test.spend >= 0, test.spend + test.deltaSpend >= 0 else {
                throw MMMInputError("\(which): spend (\(test.spend)) and spend + delta_spend (\(test.spend + test.deltaSpend)) must not be negative")
            }
            guard test.deltaSpend != 0 else { throw MMMInputError("\(which): delta_spend is 0, so the test measures nothing") }
            guard test.standardError > 0 else { throw MMMInputError("\(which): standard_error must be positive (got \(test.standardError))") }
        }
        var design = self
        design.liftTests = tests
        return design
    }

    /// Channel index of a lift test (validated by `calibrated(with:)`).
    func channelIndex(of test: MMMLiftTest) -> Int {
        specification.channelNames.firstIndex { $0.lowercased() == test.channel.lowercased() } ?? 0
    }
}
