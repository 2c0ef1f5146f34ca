/// A report's bad input or failed output: names the file (and line, for samples.jsonl) at fault.
public struct EvalReportError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
