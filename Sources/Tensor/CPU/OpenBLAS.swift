#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// OpenBLAS could not be loaded.
public struct BLASLoadError: Error, CustomStringConvertible {
    public let description: String
}

/// Row-major single-precision BLAS, from OpenBLAS loaded at run time (dlopen), so the build needs no BLAS and
/// the core type can be chosen before the library initialises.
public enum BLAS {
    /// Library file names tried in order.
    static let libraryNames = ["libopenblas.so.0", "libopenblas.so", "libopenblasp-r0.3.21.so", "libopenblas.dylib"]

    /// Loads OpenBLAS once (later calls return at once). Unless the user has set OPENBLAS_CORETYPE, and when
    /// `selectCoreType` is true, sets it first from the CPU's features (`CPUFeatures.openBLASCoreType`):
    /// OpenBLAS reads it only while loading.
    public static func load(selectCoreType: Bool = true) throws {
        try state.withLock { state in
            if state != nil { return }
            state = try OpenBLASLibrary(selectCoreType: selectCoreType)
        }
    }

    /// c = alpha * op(a) * op(b) + beta * c on row-major matrices: op(a) is m x k, op(b) k x n, c m x n; lda, ldb
    /// and ldc are the row strides of the matrices as stored. Requires `load()` to have succeeded.
    public static func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                             a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if m == 0 || n == 0 { return }
        precondition(m > 0 && n > 0 && k >= 0, "sgemm: negative size m=\(m) n=\(n) k=\(k)")
        precondition(lda >= max(1, transA ? m : k) && ldb >= max(1, transB ? k : n) && ldc >= n,
                     "sgemm: leading dimension too small (lda \(lda), ldb \(ldb), ldc \(ldc))")
        let limit = Int(Int32.max)
        precondition(m <= limit && n <= limit && k <= limit && lda <= limit && ldb <= limit && ldc <= limit,
                     "sgemm: sizes exceed 32-bit BLAS")
        let rowMajor: Int32 = 101, noTrans: Int32 = 111, trans: Int32 = 112
        library.sgemm(rowMajor, transA ? trans : noTrans, transB ? trans : noTrans, Int32(m), Int32(n), Int32(k),
                      alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Threads OpenBLAS uses for one call (process-wide).
    public static var threadCount: Int {
        get { Int(library.getNumThreads?() ?? 1) }
        set { library.setNumThreads?(Int32(max(1, newValue))) }
    }

    /// The kernel family OpenBLAS runs (openblas_get_corename), e.g. "Cooperlake".
    public static var coreName: String { library.string(library.getCorename) }

    /// Build configuration OpenBLAS reports (openblas_get_config).
    public static var configuration: String { library.string(library.getConfig) }

    /// OPENBLAS_CORETYPE as it was when the library loaded, and whether this process chose it.
    public static var coreTypeSetting: (value: String?, chosenHere: Bool) {
        (library.coreTypeAtLoad, library.coreTypeChosenHere)
    }

    /// dlopen of the first of `names` that loads, or an error that says which package provides OpenBLAS.
    static func openFirst(_ names: [String]) throws -> UnsafeMutableRawPointer {
        var errors: [String] = []
        for name in names {
            if let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) { return handle }
            errors.append(dlerror().map { String(cString: $0) } ?? name)
        }
        throw BLASLoadError(description: """
            OpenBLAS not found (tried \(names.joined(separator: ", "))). Install the Debian/Ubuntu package \
            libopenblas0 (or libopenblas-dev). Loader said: \(errors.joined(separator: "; "))
            """)
    }

    private static let state = Mutex<OpenBLASLibrary?>(nil)

    private static var library: OpenBLASLibrary {
        if let loaded = state.withLock({ $0 }) { return loaded }
        do {
            try load()
        } catch {
            fatalError("\(error)")
        }
        return state.withLock { $0! }
    }
}

/// The loaded library's entry points (immutable after init, hence safe to share).
private final class OpenBLASLibrary: @unchecked Sendable {
    typealias SgemmFunction = @convention(c) (Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?,
                                              Int32, UnsafePointer<Float>?, Int32, Float,
                                              UnsafeMutablePointer<Float>?, Int32) -> Void
    typealias SetIntFunction = @convention(c) (Int32) -> Void
    typealias GetIntFunction = @convention(c) () -> Int32
    typealias GetStringFunction = @convention(c) () -> UnsafeMutablePointer<CChar>?

    let sgemm: SgemmFunction
    let setNumThreads: SetIntFunction?
    let getNumThreads: GetIntFunction?
    let getCorename: GetStringFunction?
    let getConfig: GetStringFunction?
    let coreTypeAtLoad: String?
    let coreTypeChosenHere: Bool

    init(selectCoreType: Bool) throws {
        var chosen = false
        if selectCoreType, getenv("OPENBLAS_CORETYPE") == nil, let core = CPUFeatures.current.openBLASCoreType {
            setenv("OPENBLAS_CORETYPE", core, 0)
            chosen = true
        }
        coreTypeAtLoad = getenv("OPENBLAS_CORETYPE").map { String(cString: $0) }
        coreTypeChosenHere = chosen

        let handle = try BLAS.openFirst(BLAS.libraryNames)
        func symbol<F>(_ name: String, as type: F.Type) -> F? {
            dlsym(handle, name).map { unsafeBitCast($0, to: type) }
        }
        guard let sgemm = symbol("cblas_sgemm", as: SgemmFunction.self) else {
            throw BLASLoadError(description: "the loaded OpenBLAS has no cblas_sgemm")
        }
        self.sgemm = sgemm
        setNumThreads = symbol("openblas_set_num_threads", as: SetIntFunction.self)
        getNumThreads = symbol("openblas_get_num_threads", as: GetIntFunction.self)
        getCorename = symbol("openblas_get_corename", as: GetStringFunction.self)
        getConfig = symbol("openblas_get_config", as: GetStringFunction.self)
    }

    func string(_ function: GetStringFunction?) -> String {
        guard let function, let text = function() else { return "unknown" }
        return String(cString: text)
    }
}
