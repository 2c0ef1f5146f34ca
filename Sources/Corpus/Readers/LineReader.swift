#if canImport(Glibc)
import Glibc
#endif

/// Splits a byte stream on "\n" without ever needing the whole file: a line may span any number
/// of chunks (a 5 MB JSON line with 1 MiB chunks is normal), only the current line is kept.
final class LineReader {
    private let source: ByteSource
    private var chunk: [UInt8] = []
    private var position = 0
    private var finished = false
    /// 1-based number of the line last returned.
    private(set) var lineNumber = 0
    var path: String { source.path }

    init(_ source: ByteSource) { self.source = source }

    /// The next line without its "\n" (and without a trailing "\r"), or nil at the end.
    /// A final line with no newline is still returned; an empty trailing piece is not a line.
    func nextLine() throws -> [UInt8]? {
        var line: [UInt8] = []
        while true {
            if position == chunk.count {
                guard !finished, let next = try source.nextChunk() else {
                    finished = true
                    if line.isEmpty { return nil }
                    return finish(line)
                }
                chunk = next
                position = 0
            }
            if let newline = newlineIndex() {
                line.append(contentsOf: chunk[position..<newline])
                position = newline + 1
                return finish(line)
            }
            line.append(contentsOf: chunk[position...])
            position = chunk.count
        }
    }

    /// The next "\n" in the chunk from `position`, by memchr (a byte-at-a-time search was a third of reading a
    /// jsonl file).
    private func newlineIndex() -> Int? {
        chunk.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, position < buffer.count,
                  let found = memchr(base + position, 10, buffer.count - position) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    private func finish(_ line: [UInt8]) -> [UInt8] {
        lineNumber += 1
        if line.last == 13 { return Array(line.dropLast()) }
        return line
    }
}
