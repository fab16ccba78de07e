/// A tiny, fast, seedable pseudo-random generator (Steele, Lea & Flood's SplitMix64).
///
/// Deterministic on every platform, unlike the system generator; `SplitMix64(seed:stream:)` gives each
/// row its own independent stream so generated data does not depend on batch sizes or threads.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// The generator for item `stream` of a seeded sequence (e.g. row number `stream`).
    public init(seed: UInt64, stream: UInt64) {
        var mixer = SplitMix64(seed: seed &+ stream &* 0xD1B5_4A32_D192_ED03)
        state = mixer.next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound` (`bound` > 0); the tiny modulo bias is irrelevant for test data.
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// A uniform double in `[0, 1)`.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { unit() < p }
}
