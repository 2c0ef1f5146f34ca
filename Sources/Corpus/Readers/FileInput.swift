import Glibc

/// A read-only file descriptor read in fixed-size chunks. Plain POSIX I/O so the module needs no
/// Foundation and so the caller controls exactly how much is buffered.
final class FileInput {
    let path: String
    private let fd: Int32
    /// Bytes read from the file so far (the compressed offset for decoders).
    private(set) var offset = 0

    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReaderError.cannotOpen(path: path, reason: errnoText()) }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Fills up to `capacity` bytes; returns 0 only at end of file.
    func read(into buffer: UnsafeMutablePointer<UInt8>, capacity: Int) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer, capacity)
            if n >= 0 { offset += n; return n }
            if errno == EINTR { continue }
            throw ReaderError.readFailed(path: path, reason: errnoText())
        }
    }
}

func errnoText() -> String { String(cString: strerror(errno)) }

/// Reads a whole (small) file, refusing anything over `limit` bytes: returns nil then.
func readWholeFile(_ path: String, limit: Int = Int.max) throws -> [UInt8]? {
    let input = try FileInput(path: path)
    var out: [UInt8] = []
    let chunk = 1 << 20
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: chunk)
    defer { buffer.deallocate() }
    while true {
        let n = try input.read(into: buffer, capacity: chunk)
        if n == 0 { return out }
        if out.count + n > limit { return nil }
        out.append(contentsOf: UnsafeBufferPointer(start: buffer, count: n))
    }
}
