/// An error from parsing or rendering a chat template, with the 1-based line and column of the template text it
/// comes from. `message` alone is what jinja2 would say; `raise_exception('msg')` gives `.raised` with `message == msg`.
public struct TemplateError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The template text is not valid Jinja (jinja2's TemplateSyntaxError).
        case syntax
        /// A filter or test that does not exist (jinja2's TemplateAssertionError).
        case unknownFilterOrTest
        /// A name, attribute or key that is not there was used as a value (jinja2's UndefinedError).
        case undefined
        /// The template called `raise_exception(message)`.
        case raised
        /// A Python-level failure: wrong types, division by zero, an unsafe method (TypeError, SecurityError, ...).
        case runtime
    }

    public let kind: Kind
    public let message: String
    public let line: Int
    public let column: Int

    public init(_ kind: Kind, _ message: String, line: Int, column: Int) {
        self.kind = kind
        self.message = message
        self.line = line
        self.column = column
    }

    public var description: String { "chat template line \(line), column \(column): \(message)" }
}

/// An error raised below the point where the template position is known; the evaluator adds the position.
struct ValueError: Error {
    let kind: TemplateError.Kind
    let message: String
    init(_ kind: TemplateError.Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    init(_ message: String) { self.init(.runtime, message) }
}
