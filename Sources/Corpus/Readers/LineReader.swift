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
            if let newline = chunk[position...].firstIndex(of: 10) {
                line.append(contentsOf: chunk[position..<newline])
                position = newline + 1
                return finish(line)
            }
            line.append(contentsOf: chunk[position...])
            position = chunk.count
        }
    }

    private func finish(_ line: [UInt8]) -> [UInt8] {
        lineNumber += 1
        if line.last == 13 { return Array(line.dropLast()) }
        return line
    }
}
