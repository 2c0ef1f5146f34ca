#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

extension GGMLType {
    /// Whether `GGMLDequantizer` widens this type to Float.
    public var isDequantizable: Bool {
        switch self {
        case .f32, .f16, .bf16, .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K: true
        default: false
        }
    }
}

/// Widens GGUF tensor data to Float, bit-identical to gguf-py's `gguf.quants.dequantize` (and to
/// ggml's reference `dequantize_row_*`). Large tensors are split across cores.
public enum GGMLDequantizer {
    /// Below this many elements a tensor is decoded on the calling thread.
    static let parallelThreshold = 1 << 18

    /// Decodes `destination.count` elements of `type` from `source`, which must hold exactly
    /// `type.byteCount(elements: destination.count)` bytes.
    public static func dequantize(
        _ source: UnsafeRawBufferPointer, type: GGMLType, into destination: UnsafeMutableBufferPointer<Float>
    ) throws(GGUFWeightsError) {
        guard type.isDequantizable else { throw GGUFWeightsError(path: "", reason: .unsupportedType(type)) }
        decodeAll(source, type: type, into: destination)
    }

    public static func dequantize(_ source: UnsafeRawBufferPointer, type: GGMLType, count: Int) throws(GGUFWeightsError) -> [Float] {
        guard type.isDequantizable else { throw GGUFWeightsError(path: "", reason: .unsupportedType(type)) }
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            decodeAll(source, type: type, into: buffer)
            initialized = count
        }
    }

    static func decodeAll(_ source: UnsafeRawBufferPointer, type: GGMLType, into destination: UnsafeMutableBufferPointer<Float>) {
        precondition(type.byteCount(elements: destination.count) == source.count,
                     "\(source.count) bytes of \(type) do not hold \(destination.count) elements")
        guard let src = source.baseAddress, let dst = destination.baseAddress else { return }
        let blocks = destination.count / type.blockSize
        let workers = destination.count < parallelThreshold ? 1 : min(max(sysconf(Int32(_SC_NPROCESSORS_ONLN)), 1), 64)
        if workers == 1 {
            decode(type, src, dst, blocks: 0..<blocks)
            return
        }
        // A few chunks per worker evens out uneven progress; chunks are whole blocks.
        let chunks = workers * 4
        let perChunk = (blocks + chunks - 1) / chunks
        nonisolated(unsafe) let (s, d) = (src, dst)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let lo = c * perChunk, hi = min(blocks, lo + perChunk)
            if lo < hi { decode(type, s, d, blocks: lo..<hi) }
        }
    }

    /// One loop per type so each block decoder inlines into it.
    private static func decode(_ type: GGMLType, _ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, blocks: Range<Int>) {
        let inBytes = type.typeSize, outCount = type.blockSize
        @inline(__always)
        func each(_ body: (UnsafeRawPointer, UnsafeMutablePointer<Float>) -> Void) {
            for b in blocks { body(src + b * inBytes, dst + b * outCount) }
        }
        switch type {
        case .f32:  // raw copy: the source need not be 4-byte aligned
            UnsafeMutableRawPointer(dst + blocks.lowerBound).copyMemory(from: src + 4 * blocks.lowerBound, byteCount: 4 * blocks.count)
        case .f16:
            for i in blocks { dst[i] = HalfPrecision.float(fromHalf: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
        case .bf16:
            for i in blocks { dst[i] = HalfPrecision.float(fromBFloat16: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
        case .q4_0: each(LegacyQuantBlocks.q4_0)
        case .q4_1: each(LegacyQuantBlocks.q4_1)
        case .q5_0: each(LegacyQuantBlocks.q5_0)
        case .q5_1: each(LegacyQuantBlocks.q5_1)
        case .q8_0: each(LegacyQuantBlocks.q8_0)
        case .q2_K: each(KQuantBlocks.q2_K)
        case .q3_K: each(KQuantBlocks.q3_K)
        case .q4_K: each(KQuantBlocks.q4_K)
        case .q5_K: each(KQuantBlocks.q5_K)
        case .q6_K: each(KQuantBlocks.q6_K)
        default: preconditionFailure("\(type) is not dequantizable")
        }
    }
}
