/// Instruction-set extensions of this machine, as Linux names them in the `flags` line of /proc/cpuinfo.
public struct CPUFeatures: Sendable, Equatable {
    public let flags: Set<String>

    public init(flags: Set<String>) { self.flags = flags }

    /// Parses the first `flags` line of a /proc/cpuinfo text (all cores of a machine report the same).
    public init(cpuinfo: String) {
        for line in cpuinfo.split(separator: "\n") where line.hasPrefix("flags") {
            if let colon = line.firstIndex(of: ":") {
                self.init(flags: Set(line[line.index(after: colon)...].split(separator: " ").map(String.init)))
                return
            }
        }
        self.init(flags: [])
    }

    /// This machine's features (empty where /proc/cpuinfo does not exist, e.g. macOS).
    public static let current = CPUFeatures(cpuinfo: readTextFile("/proc/cpuinfo") ?? "")

    /// The OpenBLAS kernel family for these features, or nil to leave OpenBLAS to its own detection (which
    /// has picked generic kernels, about 5x slower, on some CPUs it does not know).
    ///
    /// AVX-512 CPUs, with or without avx512_bf16, get "SkylakeX": OpenBLAS's Cooperlake target is SkylakeX's
    /// kernels plus bf16 GEMMs, which the CPU backend does not use, and OpenBLAS 0.3.21 (Debian 12) cannot
    /// force "Cooperlake" at all: it prints "Core not found: Cooperlake" and falls back to its own detection
    /// (fixed in 0.3.22 by OpenMathLib/OpenBLAS#3806). "SkylakeX" is honoured by every version.
    public var openBLASCoreType: String? {
        let avx512 = ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"]
        if avx512.allSatisfy(flags.contains) { return "SkylakeX" }
        if flags.contains("avx2") && flags.contains("fma") { return "Haswell" }
        return nil
    }
}
