#if canImport(Glibc)
import Glibc
#endif

/// Reads all of standard input as bytes.
func readStandardInput() -> [UInt8] {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return bytes
}

/// Writes bytes to standard output without any added newline.
func writeStandardOutput(_ bytes: some Collection<UInt8>) {
    var data = Array(bytes)
    var offset = 0
    while offset < data.count {
        let n = data.withUnsafeMutableBytes { write(1, $0.baseAddress! + offset, $0.count - offset) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return }
        offset += n
    }
    data.removeAll()
}

func writeStandardError(_ text: String) {
    var line = text
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

/// The byte offset of the first invalid UTF-8 sequence, or nil when the bytes are valid UTF-8.
func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    var offset = 0
    while true {
        switch decoder.decode(&iterator) {
        case .scalarValue(let s): offset += UTF8.width(s)
        case .emptyInput: return nil
        case .error: return offset
        }
    }
}

/// Cores this process may use.
func availableCores() -> Int {
    max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}
