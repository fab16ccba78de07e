import Foundation

/// A deterministic mutation fuzzer (the fallback and CI smoke when libFuzzer is not used): from a seed corpus it
/// derives inputs by bit flips, byte and interesting-value overwrites, deletions, duplications, dictionary
/// splices and crossovers, all from one seeded generator, so a run is reproducible from (`seed`, corpus).
/// Inputs that reach a new outcome-and-length class are kept in the corpus (a coarse stand-in for coverage).
public struct MutationFuzzer {
    private var state: UInt64
    public private(set) var corpus: [[UInt8]]
    let dictionary: [[UInt8]]
    let maxLength: Int
    private var seenClasses = Set<Int>()

    public init(seed: UInt64, corpus: [[UInt8]], dictionary: [[UInt8]], maxLength: Int) {
        state = seed &+ 0x9E37_79B9_7F4A_7C15
        self.corpus = corpus.isEmpty ? [[]] : corpus
        self.dictionary = dictionary
        self.maxLength = maxLength
    }

    /// SplitMix64.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }

    /// The next input: a corpus entry with one to eight mutations stacked.
    public mutating func nextInput() -> [UInt8] {
        var input = corpus[below(corpus.count)]
        for _ in 0..<(1 + below(8)) { mutate(&input) }
        if input.count > maxLength { input.removeLast(input.count - maxLength) }
        return input
    }

    /// Keeps `input` when its (outcome, length bucket, first bytes) class is new.
    public mutating func observe(_ input: [UInt8], outcome: FuzzOutcome) {
        var hasher = Hasher()
        hasher.combine(outcome == .accepted)
        hasher.combine(input.count.bitWidth - input.count.leadingZeroBitCount)
        hasher.combine(input.prefix(3))
        if seenClasses.insert(hasher.finalize()).inserted && corpus.count < 20_000 { corpus.append(input) }
    }

    mutating func mutate(_ input: inout [UInt8]) {
        let interesting: [UInt8] = [0, 1, 0x7F, 0x80, 0xFF, 0x20, 0x0A, 0x22, 0x27, 0x2C, 0x3B, 0x5C]
        switch below(input.isEmpty ? 2 : 9) {
        case 0:  // splice a dictionary token
            guard !dictionary.isEmpty else { fallthrough }
            let token = dictionary[below(dictionary.count)]
            input.insert(contentsOf: token, at: below(input.count + 1))
        case 1:  // insert a random byte
            input.insert(UInt8(truncatingIfNeeded: next()), at: below(input.count + 1))
        case 2:  // flip one bit
            let i = below(input.count); input[i] ^= UInt8(1) << UInt8(below(8))
        case 3:  // overwrite with an interesting byte
            input[below(input.count)] = interesting[below(interesting.count)]
        case 4:  // delete a run
            let start = below(input.count), length = 1 + below(min(16, input.count - start))
            input.removeSubrange(start..<(start + length))
        case 5:  // duplicate a run
            let start = below(input.count), length = 1 + below(min(32, input.count - start))
            input.insert(contentsOf: input[start..<(start + length)], at: below(input.count + 1))
        case 6:  // crossover with another corpus entry
            let other = corpus[below(corpus.count)]
            guard !other.isEmpty else { return }
            let cut = below(input.count + 1), from = below(other.count)
            input = Array(input[..<cut]) + Array(other[from...])
        case 7:  // overwrite a 1-, 2-, 4- or 8-byte little-endian integer with an edge value
            let width = [1, 2, 4, 8][below(4)]
            guard input.count >= width else { return }
            let at = below(input.count - width + 1)
            let edge: UInt64 = [0, 1, UInt64.max, UInt64(Int64.max), UInt64(UInt32.max), 0x8000_0000, next()][below(7)]
            for k in 0..<width { input[at + k] = UInt8(truncatingIfNeeded: edge >> (8 * UInt64(k))) }
        default:  // truncate
            input.removeLast(below(input.count) + 1)
        }
    }
}
