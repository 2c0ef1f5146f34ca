// Register-blocked SIMD products for attention tiles. Measured on this AMD EPYC (attention-bench --tiles, one
// core whose fma peak is 115 GFLOP/s): a 64x64x64 tile runs at 95-105 GFLOP/s against 25-75 for OpenBLAS sgemm
// with a transposed operand and 65-108 without; it also needs no BLAS threading setup when called from many
// threads at once, so the attention kernels use it rather than BLAS.
//
// The register block is 6 rows x 16 columns: six accumulators, which is 12 ymm registers in a haswell build (of 16)
// and 6 zmm in a skylake-avx512 build. A 4 x 64 block (sixteen accumulators) is 7% faster on whole attention passes
// when built for AVX-512, but spills in a haswell build and runs at half speed there; 6 x 16 runs well with either
// flag.
//
// `c.addProduct(a, b)` is written on purpose: Swift does not contract `a * b + c` into an fma (it stays a
// vmulps + vaddps pair), while addProduct becomes one inline vfmadd231ps once the build names a CPU with FMA
// (`-Xswiftc -target-cpu -Xswiftc haswell`); without that flag it is a libm call per lane.

/// An operand read by scalars: element (row, step) lives at `base[row * rowStride + step * stepStride]`,
/// so a row-major matrix (stepStride 1) and a transposed one (rowStride 1) cost the same.
struct BroadcastOperand {
    var base: UnsafePointer<Float>
    var rowStride: Int
    var stepStride: Int

    static func rows(_ base: UnsafePointer<Float>, ld: Int) -> BroadcastOperand {
        BroadcastOperand(base: base, rowStride: ld, stepStride: 1)
    }
    static func transposed(_ base: UnsafePointer<Float>, ld: Int) -> BroadcastOperand {
        BroadcastOperand(base: base, rowStride: 1, stepStride: ld)
    }
}

/// Steps (the summed index) each row needs. On a diagonal tile A is zero on one side of the causal boundary, so a
/// block of rows can stop at, or start from, its own row index and skip about half of the work.
enum StepRange {
    case all
    /// Row r needs steps 0...r (A = probabilities, steps = keys).
    case throughRow
    /// Row r needs steps r..<depth (A = transposed probabilities, rows = keys, steps = queries).
    case fromRow

    @inline(__always)
    func steps(rows: Range<Int>, depth: Int) -> Range<Int> {
        switch self {
        case .all: return 0..<depth
        case .throughRow: return 0..<min(depth, rows.upperBound)
        case .fromRow: return min(rows.lowerBound, depth)..<depth
        }
    }
}

/// C[rows x columns] = A[rows x depth] * B[depth x columns] (+ C when `accumulate`), summing only the steps
/// `stepRange` keeps (the others must be zero in A). B and C are row-major with leading dimensions `ldb`, `ldc`;
/// `columns` must be a multiple of 16.
@inline(__always)
func multiplyTile(
    rows: Int, columns: Int, depth: Int, a: BroadcastOperand,
    b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool,
    stepRange: StepRange = .all
) {
    precondition(columns % 16 == 0, "tile columns must be a multiple of 16")
    var row = 0
    while row < rows {
        let height = row + 6 <= rows ? 6 : row + 4 <= rows ? 4 : 1
        let steps = stepRange.steps(rows: row..<row + height, depth: depth)
        let aBlock = a.base + row * a.rowStride + steps.lowerBound * a.stepStride
        let bBlock = b + steps.lowerBound * ldb
        let cBlock = c + row * ldc
        for column in stride(from: 0, to: columns, by: 16) {
            switch height {
            case 6: multiply6x16(aBlock, a.rowStride, a.stepStride, bBlock + column, ldb, steps.count, cBlock + column, ldc, accumulate)
            case 4: multiply4x16(aBlock, a.rowStride, a.stepStride, bBlock + column, ldb, steps.count, cBlock + column, ldc, accumulate)
            default: multiply1x16(aBlock, a.stepStride, bBlock + column, ldb, steps.count, cBlock + column, accumulate)
            }
        }
        row += height
    }
}

// The kernels: the accumulators stay in registers across the whole depth loop; each step broadcasts one A scalar
// per row and reads one 16-float B row once for all rows.

@inline(never)
func multiply6x16(
    _ a: UnsafePointer<Float>, _ rowStride: Int, _ stepStride: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
    _ depth: Int, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool
) {
    let c1 = c + ldc, c2 = c + 2 * ldc, c3 = c + 3 * ldc, c4 = c + 4 * ldc, c5 = c + 5 * ldc
    var r0 = SIMD16<Float>(), r1 = SIMD16<Float>(), r2 = SIMD16<Float>()
    var r3 = SIMD16<Float>(), r4 = SIMD16<Float>(), r5 = SIMD16<Float>()
    if accumulate {
        r0 = loadVector(c); r1 = loadVector(c1); r2 = loadVector(c2)
        r3 = loadVector(c3); r4 = loadVector(c4); r5 = loadVector(c5)
    }
    let a1 = a + rowStride, a2 = a + 2 * rowStride, a3 = a + 3 * rowStride, a4 = a + 4 * rowStride, a5 = a + 5 * rowStride
    var bRow = b
    var offset = 0
    for _ in 0..<depth {
        let b0 = loadVector(bRow)
        r0.addProduct(SIMD16<Float>(repeating: a[offset]), b0)
        r1.addProduct(SIMD16<Float>(repeating: a1[offset]), b0)
        r2.addProduct(SIMD16<Float>(repeating: a2[offset]), b0)
        r3.addProduct(SIMD16<Float>(repeating: a3[offset]), b0)
        r4.addProduct(SIMD16<Float>(repeating: a4[offset]), b0)
        r5.addProduct(SIMD16<Float>(repeating: a5[offset]), b0)
        bRow += ldb
        offset += stepStride
    }
    storeVector(r0, c); storeVector(r1, c1); storeVector(r2, c2)
    storeVector(r3, c3); storeVector(r4, c4); storeVector(r5, c5)
}

@inline(never)
func multiply4x16(
    _ a: UnsafePointer<Float>, _ rowStride: Int, _ stepStride: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
    _ depth: Int, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool
) {
    let c1 = c + ldc, c2 = c + 2 * ldc, c3 = c + 3 * ldc
    var r0 = SIMD16<Float>(), r1 = SIMD16<Float>(), r2 = SIMD16<Float>(), r3 = SIMD16<Float>()
    if accumulate { r0 = loadVector(c); r1 = loadVector(c1); r2 = loadVector(c2); r3 = loadVector(c3) }
    let a1 = a + rowStride, a2 = a + 2 * rowStride, a3 = a + 3 * rowStride
    var bRow = b
    var offset = 0
    for _ in 0..<depth {
        let b0 = loadVector(bRow)
        r0.addProduct(SIMD16<Float>(repeating: a[offset]), b0)
        r1.addProduct(SIMD16<Float>(repeating: a1[offset]), b0)
        r2.addProduct(SIMD16<Float>(repeating: a2[offset]), b0)
        r3.addProduct(SIMD16<Float>(repeating: a3[offset]), b0)
        bRow += ldb
        offset += stepStride
    }
    storeVector(r0, c); storeVector(r1, c1); storeVector(r2, c2); storeVector(r3, c3)
}

@inline(never)
func multiply1x16(
    _ a: UnsafePointer<Float>, _ stepStride: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
    _ depth: Int, _ c: UnsafeMutablePointer<Float>, _ accumulate: Bool
) {
    var r0 = SIMD16<Float>()
    if accumulate { r0 = loadVector(c) }
    var bRow = b
    var offset = 0
    for _ in 0..<depth {
        r0.addProduct(SIMD16<Float>(repeating: a[offset]), loadVector(bRow))
        bRow += ldb
        offset += stepStride
    }
    storeVector(r0, c)
}

/// The row-major product the kernels use, C = A B (+ C), exposed so attention-bench can compare it with BLAS.
public enum TileProduct {
    public static func multiply(
        rows: Int, columns: Int, depth: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool = false
    ) {
        multiplyTile(
            rows: rows, columns: columns, depth: depth, a: .rows(a, ld: lda), b: b, ldb: ldb, c: c, ldc: ldc,
            accumulate: accumulate)
    }
}
