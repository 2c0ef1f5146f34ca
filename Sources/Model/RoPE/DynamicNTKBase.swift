import Foundation

extension RoPEConfiguration {
    /// The dynamic-NTK rule of thumb for a new RoPE base when training at a longer length (emozilla
    /// 2023, used by ProLong to pick its bases): `base * t^(d / (d - 2))`, t = target / original length,
    /// d = rotary dimension. ProLong: 5e5 at 8K -> 64K, d = 128 gives about 4.1e6 (they then use 8e6);
    /// their 64K model at 8e6 -> 512K gives about 6.6e7 (they use 1.28e8).
    public static func dynamicNTKBase(base: Double, originalLength: Int, targetLength: Int, rotaryDim: Int) -> Double {
        precondition(originalLength > 0 && targetLength > 0 && rotaryDim > 2, "lengths must be positive and the rotary dim above 2")
        let ratio = Double(targetLength) / Double(originalLength)
        let dim = Double(rotaryDim)
        return base * Foundation.pow(ratio, dim / (dim - 2))
    }

    /// The suggestion for this configuration's base and rotary dimension.
    public func suggestedDynamicNTKBase(originalLength: Int, targetLength: Int) -> Double {
        Self.dynamicNTKBase(base: base, originalLength: originalLength, targetLength: targetLength, rotaryDim: rotaryDim)
    }
}
