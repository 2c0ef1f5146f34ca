/// Builds statements from tokens following jinja2's parser: the same statements (if, for, set, macro, break,
/// continue, raw, and transformers' `generation`), the same operator precedence, and its error messages.
struct Parser {
    private let source: SourceText
    private let tokens: [Token]
    private var index = 0
    /// Open block tags and the end tags each is waiting for, for jinja2's "Jinja was looking for..." messages.
    private var tagStack: [String] = []
    private var endTokenStack: [[String]] = []

    init(source: SourceText, tokens: [Token]) {
        self.source = source
        self.tokens = tokens
    }

    static func parse(_ source: SourceText) throws -> [Statement] {
        var parser = Parser(source: source, tokens: try Lexer.tokenize(source))
        let body = try parser.subparse(endTokens: nil)
        if case .eof = parser.current.kind {} else { throw parser.fail("unexpected \(parser.current.describe)") }
        return body
    }

    // MARK: token stream

    private var current: Token { tokens[index] }
    private var lookahead: Token { tokens[min(index + 1, tokens.count - 1)] }

    @discardableResult
    private mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private func fail(_ message: String, at offset: Int? = nil) -> TemplateError {
        source.error(.syntax, message, at: offset ?? current.offset)
    }

    private mutating func skipName(_ name: String) -> Bool {
        if current.isName(name) { advance(); return true }
        return false
    }

    private mutating func skipOp(_ op: String) -> Bool {
        if current.isOp(op) { advance(); return true }
        return false
    }

    private mutating func expectName(_ name: String? = nil) throws -> String {
        if case .name(let n) = current.kind, name == nil || n == name {
            advance()
            return n
        }
        if case .eof = current.kind { throw fail("unexpected end of template, expected '\(name ?? "name")'.") }
        throw fail("expected token '\(name ?? "name")', got '\(current.describe)'")
    }

    private mutating func expectOp(_ op: String) throws {
        if skipOp(op) { return }
        if case .eof = current.kind { throw fail("unexpected end of template, expected '\(op)'.") }
        throw fail("expected token '\(op)', got '\(current.describe)'")
    }

    private mutating func expect(_ kind: Token.Kind) throws {
        if current.kind == kind { advance(); return }
        let wanted = Token(kind: kind, offset: 0).describe
        if case .eof = current.kind { throw fail("unexpected end of template, expected '\(wanted)'.") }
        throw fail("expected token '\(wanted)', got '\(current.describe)'")
    }

    // MARK: statements

    private mutating func subparse(endTokens: [String]?) throws -> [Statement] {
        var body: [Statement] = []
        while true {
            let token = current
            switch token.kind {
            case .eof:
                return body
            case .data(let text):
                advance()
                body.append(Statement(kind: .text(text), offset: token.offset))
            case .variableBegin:
                advance()
                let expr = try parseTuple(withCondexpr: true)
                try expect(.variableEnd)
                body.append(Statement(kind: .output(expr), offset: token.offset))
            case .blockBegin:
                advance()
                if let endTokens, case .name(let name) = current.kind, endTokens.contains(name) { return body }
                if let statement = try parseStatement() { body.append(statement) }
                try expect(.blockEnd)
            default:
                throw fail("unexpected \(token.describe)")
            }
        }
    }

    private mutating func parseStatement() throws -> Statement? {
        guard case .name(let name) = current.kind else { throw fail("tag name expected") }
        let offset = current.offset
        tagStack.append(name)
        defer { tagStack.removeLast() }
        switch name {
        case "if": return try parseIf()
        case "for": return try parseFor()
        case "set": return try parseSet()
        case "macro": return try parseMacro()
        case "break", "continue":
            advance()
            return Statement(kind: name == "break" ? .breakLoop : .continueLoop, offset: offset)
        case "generation":
            // transformers' AssistantTracker tag: renders its body in place.
            advance()
            let body = try parseStatements(["endgeneration"], dropNeedle: true)
            return Statement(kind: .conditional(branches: [(Expr(kind: .literal(.bool(true)), offset: offset), body)], otherwise: []), offset: offset)
        default:
            tagStack.removeLast()
            defer { tagStack.append(name) }
            throw unknownTag(name)
        }
    }

    /// jinja2's `_fail_ut_eof`: an unknown or misplaced tag (or the end of the template) inside open blocks.
    private func unknownTag(_ name: String?) -> TemplateError {
        var message = [name.map { "Encountered unknown tag '\($0)'." } ?? "Unexpected end of template."]
        if let looking = endTokenStack.last {
            let expected = Set(endTokenStack.joined())
            let currently = looking.map { "'\($0)'" }.joined(separator: " or ")
            if let name, expected.contains(name) {
                message.append("You probably made a nesting mistake. Jinja is expecting this tag, but currently looking for \(currently).")
            } else {
                message.append("Jinja was looking for the following tags: \(currently).")
            }
        }
        if let innermost = tagStack.last { message.append("The innermost block that needs to be closed is '\(innermost)'.") }
        return fail(message.joined(separator: " "))
    }

    private mutating func parseStatements(_ endTokens: [String], dropNeedle: Bool = false) throws -> [Statement] {
        _ = skipOp(":")
        try expect(.blockEnd)
        endTokenStack.append(endTokens)
        defer { endTokenStack.removeLast() }
        let body = try subparse(endTokens: endTokens)
        if case .eof = current.kind { throw unknownTag(nil) }
        if dropNeedle { advance() }
        return body
    }

    private mutating func parseIf() throws -> Statement {
        let offset = advance().offset
        var branches: [(Expr, [Statement])] = []
        var otherwise: [Statement] = []
        while true {
            let test = try parseTuple(withCondexpr: false)
            let body = try parseStatements(["elif", "else", "endif"])
            branches.append((test, body))
            let token = advance()
            if token.isName("elif") { continue }
            if token.isName("else") { otherwise = try parseStatements(["endif"], dropNeedle: true) }
            break
        }
        return Statement(kind: .conditional(branches: branches, otherwise: otherwise), offset: offset)
    }

    private mutating func parseFor() throws -> Statement {
        let offset = advance().offset
        let target = try parseAssignTarget(extraEnd: ["in"])
        _ = try expectName("in")
        let iterable = try parseTuple(withCondexpr: false, extraEnd: ["recursive"])
        var condition: Expr?
        if skipName("if") { condition = try parseExpression() }
        if current.isName("recursive") { throw fail("recursive loops are not supported by this Jinja subset") }
        let body = try parseStatements(["endfor", "else"])
        var otherwise: [Statement] = []
        if advance().isName("else") { otherwise = try parseStatements(["endfor"], dropNeedle: true) }
        return Statement(kind: .loop(target: target, iterable: iterable, condition: condition, body: body, otherwise: otherwise), offset: offset)
    }

    private mutating func parseSet() throws -> Statement {
        let offset = advance().offset
        let target: AssignTarget
        if case .name(let object) = current.kind, lookahead.isOp(".") {
            advance()
            advance()
            target = .attribute(object, try expectName())
        } else {
            target = try parseAssignTarget(extraEnd: [])
        }
        if skipOp("=") { return Statement(kind: .assign(target, try parseTuple(withCondexpr: true)), offset: offset) }
        var filters: [(String, Expr.Arguments, Int)] = []
        while skipOp("|") {
            let at = current.offset
            let name = try filterName()
            let arguments = current.isOp("(") ? try parseCallArguments() : Expr.Arguments()
            filters.append((name, arguments, at))
        }
        let body = try parseStatements(["endset"], dropNeedle: true)
        return Statement(kind: .assignBlock(target, filters: filters, body: body), offset: offset)
    }

    private mutating func parseMacro() throws -> Statement {
        let offset = advance().offset
        let name = try expectName()
        try expectOp("(")
        var parameters: [(name: String, defaultValue: Expr?)] = []
        while !current.isOp(")") {
            if !parameters.isEmpty { try expectOp(",") }
            let parameter = try expectName()
            if skipOp("=") {
                parameters.append((parameter, try parseExpression()))
            } else {
                if parameters.contains(where: { $0.defaultValue != nil }) { throw fail("non-default argument follows default argument") }
                parameters.append((parameter, nil))
            }
        }
        try expectOp(")")
        let body = try parseStatements(["endmacro"], dropNeedle: true)
        return Statement(kind: .macro(MacroDefinition(name: name, parameters: parameters, body: body)), offset: offset)
    }

    /// A name, or names separated by commas (optionally in parentheses), for `for` and `set`.
    private mutating func parseAssignTarget(extraEnd: [String]) throws -> AssignTarget {
        var items: [AssignTarget] = []
        var isTuple = false
        while true {
            if !items.isEmpty { try expectOp(",") }
            if isTupleEnd(extraEnd) { break }
            items.append(try parseSingleTarget())
            if current.isOp(",") { isTuple = true } else { break }
        }
        if !isTuple, let only = items.first { return only }
        if items.isEmpty { throw fail("Expected an expression, got '\(current.describe)'") }
        return .tuple(items)
    }

    private mutating func parseSingleTarget() throws -> AssignTarget {
        if skipOp("(") {
            let inner = try parseAssignTarget(extraEnd: [])
            try expectOp(")")
            return inner
        }
        guard case .name(let name) = current.kind, !["true", "false", "none", "True", "False", "None"].contains(name) else {
            throw fail("can't assign to '\(current.describe)'")
        }
        advance()
        return .name(name)
    }

    // MARK: expressions

    private func isTupleEnd(_ extraEnd: [String]) -> Bool {
        switch current.kind {
        case .variableEnd, .blockEnd, .eof: return true
        case .op(")"): return true
        case .name(let n): return extraEnd.contains(n)
        default: return false
        }
    }

    /// Comma-separated expressions become a tuple (`{% set a, b = 1, 2 %}`); one expression is itself.
    private mutating func parseTuple(withCondexpr: Bool = true, extraEnd: [String] = [], explicitParentheses: Bool = false) throws -> Expr {
        let offset = current.offset
        var items: [Expr] = []
        var isTuple = false
        while true {
            if !items.isEmpty { try expectOp(",") }
            if isTupleEnd(extraEnd) { break }
            items.append(withCondexpr ? try parseExpression() : try parseOr())
            if current.isOp(",") { isTuple = true } else { break }
        }
        if !isTuple {
            if let only = items.first { return only }
            if !explicitParentheses { throw fail("Expected an expression, got '\(current.describe)'") }
        }
        return Expr(kind: .tuple(items), offset: offset)
    }

    private mutating func parseExpression() throws -> Expr {
        var expr = try parseOr()
        while current.isName("if") {
            advance()
            let condition = try parseOr()
            let otherwise = skipName("else") ? try parseExpression() : nil
            expr = Expr(kind: .conditional(condition: condition, then: expr, otherwise: otherwise), offset: expr.offset)
        }
        return expr
    }

    private mutating func parseOr() throws -> Expr {
        var left = try parseAnd()
        while skipName("or") { left = Expr(kind: .or(left, try parseAnd()), offset: left.offset) }
        return left
    }

    private mutating func parseAnd() throws -> Expr {
        var left = try parseNot()
        while skipName("and") { left = Expr(kind: .and(left, try parseNot()), offset: left.offset) }
        return left
    }

    private mutating func parseNot() throws -> Expr {
        if current.isName("not") {
            let offset = advance().offset
            return Expr(kind: .not(try parseNot()), offset: offset)
        }
        return try parseCompare()
    }

    private mutating func parseCompare() throws -> Expr {
        let left = try parseMath1()
        var operations: [(String, Expr)] = []
        while true {
            if case .op(let op) = current.kind, ["==", "!=", "<", "<=", ">", ">="].contains(op) {
                advance()
                operations.append((op, try parseMath1()))
            } else if skipName("in") {
                operations.append(("in", try parseMath1()))
            } else if current.isName("not") && lookahead.isName("in") {
                advance()
                advance()
                operations.append(("not in", try parseMath1()))
            } else {
                break
            }
        }
        return operations.isEmpty ? left : Expr(kind: .compare(left, operations), offset: left.offset)
    }

    private mutating func parseBinary(_ ops: Set<String>, _ operand: (inout Parser) throws -> Expr) throws -> Expr {
        var left = try operand(&self)
        while case .op(let op) = current.kind, ops.contains(op) {
            advance()
            left = Expr(kind: .binary(op, left, try operand(&self)), offset: left.offset)
        }
        return left
    }

    private mutating func parseMath1() throws -> Expr { try parseBinary(["+", "-"]) { try $0.parseConcat() } }
    private mutating func parseConcat() throws -> Expr { try parseBinary(["~"]) { try $0.parseMath2() } }
    private mutating func parseMath2() throws -> Expr { try parseBinary(["*", "/", "//", "%"]) { try $0.parsePow() } }
    private mutating func parsePow() throws -> Expr { try parseBinary(["**"]) { try $0.parseUnary(withFilter: true) } }

    private mutating func parseUnary(withFilter: Bool) throws -> Expr {
        var node: Expr
        if case .op(let op) = current.kind, op == "-" || op == "+" {
            let offset = advance().offset
            node = Expr(kind: .unary(op, try parseUnary(withFilter: false)), offset: offset)
        } else {
            node = try parsePrimary()
        }
        node = try parsePostfix(node)
        if withFilter { node = try parseFilterExpression(node) }
        return node
    }

    private mutating func parsePrimary() throws -> Expr {
        let token = current
        switch token.kind {
        case .name(let name):
            advance()
            switch name {
            case "true", "True": return Expr(kind: .literal(.bool(true)), offset: token.offset)
            case "false", "False": return Expr(kind: .literal(.bool(false)), offset: token.offset)
            case "none", "None": return Expr(kind: .literal(.none), offset: token.offset)
            default: return Expr(kind: .name(name), offset: token.offset)
            }
        case .string(var text):
            advance()
            // Adjacent string literals join, as in Python.
            while case .string(let more) = current.kind {
                text += more
                advance()
            }
            return Expr(kind: .literal(.string(text)), offset: token.offset)
        case .integer(let value):
            advance()
            return Expr(kind: .literal(.int(value)), offset: token.offset)
        case .float(let value):
            advance()
            return Expr(kind: .literal(.double(value)), offset: token.offset)
        case .op("("):
            advance()
            let inner = try parseTuple(explicitParentheses: true)
            try expectOp(")")
            return inner
        case .op("["):
            advance()
            var items: [Expr] = []
            while !current.isOp("]") {
                if !items.isEmpty { try expectOp(",") }
                if current.isOp("]") { break }
                items.append(try parseExpression())
            }
            try expectOp("]")
            return Expr(kind: .list(items), offset: token.offset)
        case .op("{"):
            advance()
            var pairs: [(Expr, Expr)] = []
            while !current.isOp("}") {
                if !pairs.isEmpty { try expectOp(",") }
                if current.isOp("}") { break }
                let key = try parseExpression()
                try expectOp(":")
                pairs.append((key, try parseExpression()))
            }
            try expectOp("}")
            return Expr(kind: .dict(pairs), offset: token.offset)
        case .eof:
            throw fail("unexpected end of template")
        default:
            throw fail("unexpected '\(token.describe)'")
        }
    }

    private mutating func parsePostfix(_ start: Expr) throws -> Expr {
        var node = start
        while true {
            if current.isOp(".") || current.isOp("[") {
                node = try parseSubscript(node)
            } else if current.isOp("(") {
                node = Expr(kind: .call(node, try parseCallArguments()), offset: node.offset)
            } else {
                return node
            }
        }
    }

    private mutating func parseFilterExpression(_ start: Expr) throws -> Expr {
        var node = start
        while true {
            if current.isOp("|") {
                advance()
                let offset = current.offset
                let name = try filterName()
                let arguments = current.isOp("(") ? try parseCallArguments() : Expr.Arguments()
                node = Expr(kind: .filter(node, name: name, arguments), offset: offset)
            } else if current.isName("is") {
                node = try parseTest(node)
            } else if current.isOp("(") {
                node = Expr(kind: .call(node, try parseCallArguments()), offset: node.offset)
            } else {
                return node
            }
        }
    }

    private mutating func filterName() throws -> String {
        var name = try expectName()
        while skipOp(".") { name += "." + (try expectName()) }
        return name
    }

    private mutating func parseTest(_ subject: Expr) throws -> Expr {
        advance()
        let negated = skipName("not")
        let offset = current.offset
        let name = try filterName()
        var arguments = Expr.Arguments()
        if current.isOp("(") {
            arguments = try parseCallArguments()
        } else {
            let startsArgument: Bool
            switch current.kind {
            case .name(let n): startsArgument = !["else", "or", "and"].contains(n)
            case .string, .integer, .float, .op("["), .op("{"): startsArgument = true
            default: startsArgument = false
            }
            if startsArgument {
                if current.isName("is") { throw fail("You cannot chain multiple tests with is") }
                arguments.positional = [try parsePostfix(try parsePrimary())]
            }
        }
        return Expr(kind: .test(subject, name: name, arguments, negated: negated), offset: offset)
    }

    private mutating func parseSubscript(_ node: Expr) throws -> Expr {
        let token = advance()
        if token.isOp(".") {
            let attribute = current
            advance()
            switch attribute.kind {
            case .name(let name): return Expr(kind: .attribute(node, name), offset: node.offset)
            case .integer(let i): return Expr(kind: .item(node, Expr(kind: .literal(.int(i)), offset: attribute.offset)), offset: node.offset)
            default: throw fail("expected name or number", at: attribute.offset)
            }
        }
        var arguments: [Expr] = []
        while !current.isOp("]") {
            if !arguments.isEmpty { try expectOp(",") }
            arguments.append(try parseSubscribed(node))
        }
        try expectOp("]")
        if arguments.count == 1, case .slice = arguments[0].kind { return arguments[0] }
        let key = arguments.count == 1 ? arguments[0] : Expr(kind: .tuple(arguments), offset: token.offset)
        return Expr(kind: .item(node, key), offset: node.offset)
    }

    /// One subscript: an expression or a slice `start:stop:step` (a slice is returned already applied to `node`).
    private mutating func parseSubscribed(_ node: Expr) throws -> Expr {
        var start: Expr?
        if !current.isOp(":") {
            let expr = try parseExpression()
            if !current.isOp(":") { return expr }
            start = expr
        }
        advance()
        var stop: Expr?
        var step: Expr?
        if !current.isOp(":") && !current.isOp("]") && !current.isOp(",") { stop = try parseExpression() }
        if skipOp(":") {
            if !current.isOp("]") && !current.isOp(",") { step = try parseExpression() }
        }
        return Expr(kind: .slice(node, start: start, stop: stop, step: step), offset: node.offset)
    }

    private mutating func parseCallArguments() throws -> Expr.Arguments {
        try expectOp("(")
        var arguments = Expr.Arguments()
        while !current.isOp(")") {
            if !arguments.positional.isEmpty || !arguments.named.isEmpty {
                try expectOp(",")
                if current.isOp(")") { break }
            }
            if case .name(let key) = current.kind, lookahead.isOp("=") {
                advance()
                advance()
                arguments.named.append((key, try parseExpression()))
            } else {
                if !arguments.named.isEmpty { throw fail("Invalid argument syntax: positional argument follows keyword argument") }
                arguments.positional.append(try parseExpression())
            }
        }
        try expectOp(")")
        return arguments
    }
}
