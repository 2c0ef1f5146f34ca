import Glibc

/// A child process with pipes on stdin and stdout (stderr goes to /dev/null), started with
/// posix_spawnp because Foundation's Process is not allowed in library code.
final class Subprocess {
    let pid: pid_t
    private(set) var stdinFD: Int32
    let stdoutFD: Int32
    private var exited = false

    init(_ arguments: [String]) throws {
        var toChild: [Int32] = [0, 0], fromChild: [Int32] = [0, 0]
        guard pipe(&toChild) == 0, pipe(&fromChild) == 0 else {
            throw ReaderError.cannotOpen(path: arguments.first ?? "", reason: "pipe: \(errnoText())")
        }
        // Close-on-exec so other children never inherit these ends (pipe2 needs _GNU_SOURCE).
        for fd in toChild + fromChild { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child = pid_t()
        let status = posix_spawnp(&child, arguments[0], &actions, nil, argv, environ)
        close(toChild[0])
        close(fromChild[1])
        guard status == 0 else {
            close(toChild[1])
            close(fromChild[0])
            throw ReaderError.cannotOpen(path: arguments[0], reason: String(cString: strerror(status)))
        }
        pid = child
        stdinFD = toChild[1]
        stdoutFD = fromChild[0]
    }

    deinit {
        closeInput()
        close(stdoutFD)
        if !exited { _ = try? wait() }
    }

    func write(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(stdinFD, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    func closeInput() {
        if stdinFD >= 0 { close(stdinFD); stdinFD = -1 }
    }

    /// Waits for the child; returns its exit status (128 + signal when killed).
    @discardableResult
    func wait() throws -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { throw ReaderError.readFailed(path: "waitpid", reason: errnoText()) }
        }
        exited = true
        if status & 0x7f == 0 { return (status >> 8) & 0xff }
        return 128 + (status & 0x7f)
    }
}

/// Buffered reading of a pipe: exact byte counts and delimiter-terminated records.
final class PipeReader {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var position = 0

    init(fd: Int32) { self.fd = fd }

    /// Reads more from the pipe; false at end of file.
    private func fill() throws -> Bool {
        if position > 0 { buffer.removeFirst(position); position = 0 }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw ReaderError.readFailed(path: "pipe", reason: errnoText()) }
            buffer.append(contentsOf: chunk[0..<n])
            return n > 0
        }
    }

    /// Bytes up to (not including) `delimiter`; nil at a clean end of input.
    func read(until delimiter: UInt8) throws -> [UInt8]? {
        var searchFrom = position
        while true {
            if let end = buffer[searchFrom...].firstIndex(of: delimiter) {
                let record = Array(buffer[position..<end])
                position = end + 1
                return record
            }
            searchFrom = buffer.count - position
            guard try fill() else {
                guard buffer.count > position else { return nil }
                defer { position = buffer.count }
                return Array(buffer[position...])  // last record without a delimiter
            }
            searchFrom = position + searchFrom
        }
    }

    /// Exactly `count` bytes, or nil if the input ends first.
    func read(count: Int) throws -> [UInt8]? {
        while buffer.count - position < count {
            guard try fill() else { return nil }
        }
        let bytes = Array(buffer[position..<position + count])
        position += count
        return bytes
    }
}
