import Foundation

extension SplitMix64 {
    /// A standard normal draw (Box–Muller; one of the pair is discarded to keep the generator state simple).
    public mutating func standardNormal() -> Double {
        var u = unit()
        while u <= 0 { u = unit() }
        let v = unit()
        return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * v)
    }
}
