#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams a file of any size to `path.tmp-PID`; `commit()` fsyncs and renames it into place, so
/// readers never see a half-written file under the final name. Dropped without `commit()` (an
/// error on the way), it removes the temporary file. `writeFileAtomically` is the one-shot form
/// for data already in memory.
public final class AtomicFileWriter {
    public let path: String
    private let temporary: String
    private var fd: Int32
    private var committed = false

    public init(path: String) throws(FileError) {
        self.path = path
        temporary = "\(path).tmp-\(getpid())"
        fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileError(path: temporary, "open failed: \(String(cString: strerror(errno)))") }
    }

    deinit {
        if !committed {
            if fd >= 0 { close(fd) }
            unlink(temporary)
        }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(FileError) {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let n = writeToDescriptor(fd, base + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("write")
            }
            done += n
        }
    }

    public func write(_ bytes: [UInt8]) throws(FileError) {
        try bytes.withUnsafeBytes { raw in Result { () throws(FileError) in try write(raw) } }.get()
    }

    public func commit() throws(FileError) {
        guard fsync(fd) == 0 else { throw failure("fsync") }
        close(fd)
        fd = -1
        guard rename(temporary, path) == 0 else { throw failure("rename") }
        committed = true
    }

    private func failure(_ operation: String) -> FileError {
        FileError(path: path, "\(operation) failed: \(String(cString: strerror(errno)))")
    }
}

/// The system call, out of reach of the method of the same name.
private func writeToDescriptor(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
    write(fd, p, n)
}
