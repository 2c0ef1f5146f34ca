/// jinja2 rejects an unknown filter or test when it compiles the template, unless the use sits inside an `if`
/// block or an inline `a if b else c` ("soft" frames), where the error waits until that code runs.
enum NameCheck {
    static func check(_ statements: [Statement], source: SourceText) throws {
        for statement in statements { try check(statement, soft: false, source: source) }
    }

    private static func check(_ statement: Statement, soft: Bool, source: SourceText) throws {
        func expr(_ e: Expr, _ soft: Bool) throws { try check(e, soft: soft, source: source) }
        func body(_ b: [Statement], _ soft: Bool) throws { for s in b { try check(s, soft: soft, source: source) } }
        switch statement.kind {
        case .text, .breakLoop, .continueLoop: break
        case .output(let e): try expr(e, soft)
        case .conditional(let branches, let otherwise):
            for (test, b) in branches {
                try expr(test, true)
                try body(b, true)
            }
            try body(otherwise, true)
        case .loop(_, let iterable, let condition, let b, let otherwise):
            try expr(iterable, soft)
            if let condition { try expr(condition, false) }
            try body(b, false)
            try body(otherwise, false)
        case .assign(_, let e): try expr(e, soft)
        case .assignBlock(_, let filters, let b):
            for (name, arguments, offset) in filters {
                try filterName(name, at: offset, soft: soft, source: source)
                for a in arguments.positional { try expr(a, soft) }
                for (_, a) in arguments.named { try expr(a, soft) }
            }
            try body(b, false)
        case .macro(let definition):
            for parameter in definition.parameters { if let d = parameter.defaultValue { try expr(d, false) } }
            try body(definition.body, false)
        }
    }

    private static func filterName(_ name: String, at offset: Int, soft: Bool, source: SourceText) throws {
        if !soft && !Filters.names.contains(name) {
            throw source.error(.unknownFilterOrTest, "No filter named '\(name)'.", at: offset)
        }
    }

    private static func check(_ e: Expr, soft: Bool, source: SourceText) throws {
        func sub(_ x: Expr, _ s: Bool = soft) throws { try check(x, soft: s, source: source) }
        func arguments(_ a: Expr.Arguments) throws {
            for x in a.positional { try sub(x) }
            for (_, x) in a.named { try sub(x) }
        }
        switch e.kind {
        case .literal, .name: break
        case .list(let items), .tuple(let items): for x in items { try sub(x) }
        case .dict(let pairs): for (k, v) in pairs { try sub(k); try sub(v) }
        case .attribute(let base, _): try sub(base)
        case .item(let base, let key): try sub(base); try sub(key)
        case .slice(let base, let a, let b, let c):
            try sub(base)
            for x in [a, b, c].compactMap({ $0 }) { try sub(x) }
        case .call(let callee, let a): try sub(callee); try arguments(a)
        case .filter(let subject, let name, let a):
            try filterName(name, at: e.offset, soft: soft, source: source)
            try sub(subject)
            try arguments(a)
        case .test(let subject, let name, let a, _):
            if !soft && !Tests.names.contains(name) {
                throw source.error(.unknownFilterOrTest, "No test named '\(name)'.", at: e.offset)
            }
            try sub(subject)
            try arguments(a)
        case .unary(_, let x), .not(let x): try sub(x)
        case .binary(_, let a, let b), .and(let a, let b), .or(let a, let b): try sub(a); try sub(b)
        case .compare(let first, let rest):
            try sub(first)
            for (_, x) in rest { try sub(x) }
        case .conditional(let condition, let then, let otherwise):
            try sub(condition, true)
            try sub(then, true)
            if let otherwise { try sub(otherwise, true) }
        }
    }
}
