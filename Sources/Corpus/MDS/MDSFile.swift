import Formats

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File helpers on plain POSIX calls (no Foundation in library code).
enum MDSFile {
    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    static func makeDirectory(_ path: String) throws(MDSError) {
        if isDirectory(path) { return }
        // Create parents first, like `mkdir -p`.
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try makeDirectory(String(path[..<slash]))
        }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw ioError(path, "mkdir") }
    }

    static func readAll(_ path: String) throws(MDSError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ioError(path, "open") }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw ioError(path, "read") }
            if n == 0 { return out }
            out.append(contentsOf: chunk[0..<n])
        }
    }

    static func writeAtomically(_ path: String, parts: [[UInt8]]) throws(MDSError) {
        do { try writeFileAtomically(path, parts: parts) } catch { throw .io(path: error.path, reason: error.message) }
    }

    static func ioError(_ path: String, _ op: String) -> MDSError {
        .io(path: path, reason: "\(op) failed: \(String(cString: strerror(errno)))")
    }
}

/// A read-only memory map of a whole shard file, so samples are sliced without copying the shard.
/// Also holds decompressed shards (`init(path:copying:)`), so the reader has one byte source.
final class MDSMappedFile: @unchecked Sendable {  // immutable after init
    let path: String
    let bytes: UnsafeRawBufferPointer
    private let mapped: Bool

    init(path: String, copying data: [UInt8]) {
        self.path = path
        mapped = false
        let p = UnsafeMutableRawBufferPointer.allocate(byteCount: max(data.count, 1), alignment: 16)
        data.withUnsafeBytes { src in if src.count > 0 { p.baseAddress!.copyMemory(from: src.baseAddress!, byteCount: src.count) } }
        bytes = UnsafeRawBufferPointer(start: p.baseAddress, count: data.count)
    }

    init(path: String) throws(MDSError) {
        self.path = path
        mapped = true
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw errno == ENOENT ? .missingShard(path: path) : MDSFile.ioError(path, "open")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw MDSFile.ioError(path, "stat") }
        let size = Int(st.st_size)
        if size == 0 { bytes = UnsafeRawBufferPointer(start: nil, count: 0); return }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw MDSFile.ioError(path, "mmap")
        }
        bytes = UnsafeRawBufferPointer(start: p, count: size)
    }

    deinit {
        guard let base = bytes.baseAddress else { return }
        if mapped { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) } else { base.deallocate() }
    }
}
