#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An I/O failure, naming the file and what the system said.
public struct FileError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let message: String
    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }
    public var description: String { "\(path): \(message)" }
}

/// Reads a whole file (no Foundation, so the module stays small for static builds).
public func readFileBytes(_ path: String) throws(FileError) -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw FileError(path: path, String(cString: strerror(errno))) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw FileError(path: path, String(cString: strerror(errno))) }
    if (info.st_mode & S_IFMT) == S_IFDIR { throw FileError(path: path, "is a directory") }
    var bytes = [UInt8]()
    bytes.reserveCapacity(max(Int(info.st_size), 0))
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw FileError(path: path, String(cString: strerror(errno)))
        }
        if n == 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return bytes
}

public enum PathKind: Sendable { case missing, file, directory }

public func pathKind(_ path: String) -> PathKind {
    var info = stat()
    guard stat(path, &info) == 0 else { return .missing }
    return (info.st_mode & S_IFMT) == S_IFDIR ? .directory : .file
}

/// Names in a directory, without "." and "..".
public func listDirectory(_ path: String) throws(FileError) -> [String] {
    guard let dir = opendir(path) else { throw FileError(path: path, String(cString: strerror(errno))) }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names
}

/// Writes `parts` to `path.tmp-PID`, fsyncs, then renames: readers (and a resumed job) never see a
/// half-written file under the final name.
public func writeFileAtomically(_ path: String, parts: [[UInt8]]) throws(FileError) {
    let temporary = "\(path).tmp-\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw FileError(path: temporary, "open failed: \(String(cString: strerror(errno)))") }
    func fail(_ operation: String) -> FileError {
        let error = FileError(path: path, "\(operation) failed: \(String(cString: strerror(errno)))")
        close(fd)
        unlink(temporary)
        return error
    }
    for part in parts {
        var done = 0
        while done < part.count {
            let n = part.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 { if errno == EINTR { continue }; throw fail("write") }
            done += n
        }
    }
    guard fsync(fd) == 0 else { throw fail("fsync") }
    close(fd)
    guard rename(temporary, path) == 0 else {
        let error = FileError(path: path, "rename failed: \(String(cString: strerror(errno)))")
        unlink(temporary)
        throw error
    }
}
