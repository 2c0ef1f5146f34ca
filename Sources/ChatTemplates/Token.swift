/// One token of a template, as jinja2's lexer produces them: text between tags, the tag delimiters, and the
/// names, literals and operators inside tags. `offset` is where it starts in `SourceText.scalars`.
struct Token: Sendable {
    enum Kind: Sendable, Equatable {
        case data(String)
        case variableBegin, variableEnd, blockBegin, blockEnd
        case name(String)
        case string(String)
        case integer(Int)
        case float(Double)
        case op(String)
        case eof
    }

    let kind: Kind
    let offset: Int

    /// How jinja2 names a token in "unexpected ..." messages.
    var describe: String {
        switch kind {
        case .data: return "template data / text"
        case .variableBegin: return "begin of print statement"
        case .variableEnd: return "end of print statement"
        case .blockBegin: return "begin of statement block"
        case .blockEnd: return "end of statement block"
        case .name(let n): return n
        case .string: return "string"
        case .integer: return "integer"
        case .float: return "float"
        case .op(let o): return o
        case .eof: return "end of template"
        }
    }

    func isName(_ n: String) -> Bool { if case .name(n) = kind { return true } else { return false } }
    func isOp(_ o: String) -> Bool { if case .op(o) = kind { return true } else { return false } }
}
