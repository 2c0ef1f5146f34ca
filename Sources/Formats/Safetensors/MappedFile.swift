#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file mapped read-only; unmapped when the last reference goes. Views into it are valid
/// only while the owner holds this object.
final class MappedFile: @unchecked Sendable {
    let path: String
    let count: Int
    let base: UnsafeRawPointer?

    /// An empty file gets no mapping (mmap rejects length 0); `bytes` is then empty.
    init(path: String) throws(FileError) {
        func fail(_ what: String) -> FileError { FileError(path: path, "\(what): \(String(cString: strerror(errno)))") }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw fail("cannot open") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw fail("cannot stat") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw FileError(path: path, "not a regular file") }
        self.path = path
        self.count = Int(st.st_size)
        if count == 0 {
            base = nil
            return
        }
        let p = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != UnsafeMutableRawPointer(bitPattern: -1) else { throw fail("cannot mmap") }
        base = UnsafeRawPointer(p)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
    }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    func bytes(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "\(range) outside \(path) (\(count) bytes)")
        return UnsafeRawBufferPointer(start: base.map { $0 + range.lowerBound }, count: range.count)
    }
}
