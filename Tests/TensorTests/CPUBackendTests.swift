import Synchronization
import XCTest
@testable import Tensor

/// OpenBLAS loading and core type choice, the row-major sgemm entry point, and the worker pool.
final class CPUBackendTests: XCTestCase {
    func testCoreTypeFromFlags() {
        let avx512 = "avx512f avx512bw avx512vl avx512dq avx512cd"
        // avx512_bf16 too: "Cooperlake" cannot be forced in OpenBLAS 0.3.21 and has the same sgemm kernels.
        XCTAssertEqual(CPUFeatures(cpuinfo: "processor : 0\nflags\t\t: fpu sse2 avx2 fma \(avx512) avx512_bf16\n").openBLASCoreType, "SkylakeX")
        XCTAssertEqual(CPUFeatures(cpuinfo: "flags : avx2 fma \(avx512)\n").openBLASCoreType, "SkylakeX")
        XCTAssertEqual(CPUFeatures(cpuinfo: "flags : avx2 fma avx512f\n").openBLASCoreType, "Haswell")
        XCTAssertNil(CPUFeatures(cpuinfo: "flags : sse2 avx\n").openBLASCoreType)
        XCTAssertNil(CPUFeatures(cpuinfo: "").openBLASCoreType)
    }

    func testOpenBLASLoadedWithChosenCore() throws {
        try BLAS.load()
        XCTAssertFalse(BLAS.coreName.isEmpty)
        XCTAssertNotEqual(BLAS.coreName, "unknown")
        let setting = BLAS.coreTypeSetting
        if setting.chosenHere {
            XCTAssertEqual(setting.value, CPUFeatures.current.openBLASCoreType)
            // The choice took effect (a name OpenBLAS does not know would fall back to its own detection).
            XCTAssertEqual(BLAS.coreName.lowercased(), setting.value?.lowercased())
        }
        XCTAssertTrue(TestSupport.device.name.contains(BLAS.coreName), TestSupport.device.name)
    }

    func testMissingLibraryNamesThePackage() {
        XCTAssertThrowsError(try BLAS.openFirst(["libopenblas-missing-for-test.so.9"])) { error in
            XCTAssertTrue("\(error)".contains("libopenblas0"), "\(error)")
        }
    }

    func testSgemmOnSubmatrices() {
        // c (2x2, ldc 3) = a (2x3 block of a 2x4, lda 4) * b^T (b is 2x3 inside 2x5, ldb 5).
        let a: [Float] = [1, 2, 3, 99, 4, 5, 6, 99]
        let b: [Float] = [1, 0, 1, 99, 99, 0, 1, 0, 99, 99]
        var c: [Float] = [0, 0, -1, 0, 0, -1]
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    BLAS.sgemm(transA: false, transB: true, m: 2, n: 2, k: 3, alpha: 1, a: pa.baseAddress!, lda: 4,
                               b: pb.baseAddress!, ldb: 5, beta: 0, c: pc.baseAddress!, ldc: 3)
                }
            }
        }
        XCTAssertEqual(c, [4, 2, -1, 10, 5, -1])
    }

    func testPoolRunsEveryTaskOnceAndNestsInline() {
        let pool = CPUThreadPool(threadCount: 3)
        defer { pool.shutdown() }
        for count in [0, 1, 2, 5, 1000] {
            var hits = [Int](repeating: 0, count: count)
            hits.withUnsafeMutableBufferPointer { hits in
                pool.run(tasks: count) { i in
                    hits[i] += 1
                    pool.run(tasks: 2) { _ in }  // nested: runs inline
                }
            }
            XCTAssertEqual(hits, [Int](repeating: 1, count: count))
        }
        let seen = Mutex<[Range<Int>]>([])
        pool.forEachChunk(10, chunk: 4) { r in seen.withLock { $0.append(r) } }
        XCTAssertEqual(seen.withLock { $0 }.sorted { $0.lowerBound < $1.lowerBound }, [0..<4, 4..<8, 8..<10])
    }
}
