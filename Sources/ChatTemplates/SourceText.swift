/// The template text as jinja2's lexer sees it: newlines normalised to "\n" and one trailing newline dropped
/// (keep_trailing_newline=False), held as Unicode scalars so offsets and columns count code points like Python.
struct SourceText: Sendable {
    let scalars: [Unicode.Scalar]
    private let lineStarts: [Int]

    init(_ source: String) {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(source.unicodeScalars.count)
        var previousWasCR = false
        for scalar in source.unicodeScalars {
            if scalar == "\r" {
                out.append("\n")
                previousWasCR = true
                continue
            }
            if scalar == "\n" && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = false
            out.append(scalar)
        }
        if out.last == "\n" { out.removeLast() }
        scalars = out
        var starts = [0]
        for (index, scalar) in out.enumerated() where scalar == "\n" { starts.append(index + 1) }
        lineStarts = starts
    }

    /// 1-based line and column of a scalar offset.
    func location(of offset: Int) -> (line: Int, column: Int) {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return (low + 1, offset - lineStarts[low] + 1)
    }

    func error(_ kind: TemplateError.Kind, _ message: String, at offset: Int) -> TemplateError {
        let (line, column) = location(of: offset)
        return TemplateError(kind, message, line: line, column: column)
    }
}
