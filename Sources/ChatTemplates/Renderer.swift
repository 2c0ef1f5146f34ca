/// Runs parsed statements: writes text, evaluates expressions, keeps jinja2's scoping (a fresh scope per loop
/// iteration and per macro call) and turns low-level failures into `TemplateError`s at the failing expression.
final class Renderer {
    let source: SourceText
    var output = ""
    private var loopDepth = 0

    init(source: SourceText) { self.source = source }

    enum Flow { case normal, breakLoop, continueLoop }

    func error(_ kind: TemplateError.Kind, _ message: String, at offset: Int) -> TemplateError {
        source.error(kind, message, at: offset)
    }

    // MARK: statements

    func execute(_ statements: [Statement], in scope: Scope) throws -> Flow {
        for statement in statements {
            let flow = try execute(statement, in: scope)
            if flow != .normal { return flow }
        }
        return .normal
    }

    private func execute(_ statement: Statement, in scope: Scope) throws -> Flow {
        switch statement.kind {
        case .text(let text):
            output += text
        case .output(let expr):
            output += try evaluate(expr, in: scope).pythonStr
        case .conditional(let branches, let otherwise):
            for (test, body) in branches where try evaluate(test, in: scope).isTruthy {
                return try execute(body, in: scope)
            }
            return try execute(otherwise, in: scope)
        case .loop(let target, let iterable, let condition, let body, let otherwise):
            return try runLoop(target: target, iterable: iterable, condition: condition, body: body, otherwise: otherwise,
                               in: scope, at: statement.offset)
        case .assign(let target, let expr):
            let value = try evaluate(expr, in: scope)
            let reason = value.isUndefined ? undefinedMessage(expr, in: scope) : nil
            try assign(target, value, in: scope, at: statement.offset)
            if case .name(let name) = target { scope.undefinedReasons[name] = reason }
        case .assignBlock(let target, let filters, let body):
            var value = TemplateValue.string(try capture(body, in: Scope(parent: scope)))
            for (name, arguments, offset) in filters {
                value = try applyFilter(name, to: value, arguments, in: scope, at: offset)
            }
            try assign(target, value, in: scope, at: statement.offset)
        case .macro(let definition):
            scope.variables[definition.name] = .macro(TemplateCallable(.macro(definition, scope)))
        case .breakLoop, .continueLoop:
            if loopDepth == 0 { throw error(.syntax, "'break' and 'continue' are only allowed inside a loop", at: statement.offset) }
            if case .breakLoop = statement.kind { return .breakLoop }
            return .continueLoop
        }
        return .normal
    }

    /// Renders statements into a separate buffer (macro bodies, `{% set x %}` blocks).
    func capture(_ statements: [Statement], in scope: Scope) throws -> String {
        let saved = output
        let savedDepth = loopDepth
        output = ""
        loopDepth = 0
        defer {
            output = saved
            loopDepth = savedDepth
        }
        _ = try execute(statements, in: scope)
        return output
    }

    private func runLoop(
        target: AssignTarget, iterable: Expr, condition: Expr?, body: [Statement], otherwise: [Statement],
        in scope: Scope, at offset: Int
    ) throws -> Flow {
        let value = try evaluate(iterable, in: scope)
        var items: [TemplateValue]
        do { items = try Access.iterate(value) } catch let failure as ValueError {
            throw error(failure.kind, failure.message, at: iterable.offset)
        }
        if let condition {
            items = try items.filter { item in
                let filterScope = Scope(parent: scope)
                try assign(target, item, in: filterScope, at: offset)
                return try evaluate(condition, in: filterScope).isTruthy
            }
        }
        if items.isEmpty { return try execute(otherwise, in: Scope(parent: scope)) }
        loopDepth += 1
        defer { loopDepth -= 1 }
        for (index, item) in items.enumerated() {
            let iteration = Scope(parent: scope)
            try assign(target, item, in: iteration, at: offset)
            iteration.variables["loop"] = loopVariable(index: index, items: items)
            if try execute(body, in: iteration) == .breakLoop { break }
        }
        return .normal
    }

    /// jinja2's `loop` object.
    private func loopVariable(index: Int, items: [TemplateValue]) -> TemplateValue {
        let count = items.count
        var loop = TemplateDictionary([
            ("index", .int(index + 1)), ("index0", .int(index)),
            ("revindex", .int(count - index)), ("revindex0", .int(count - index - 1)),
            ("first", .bool(index == 0)), ("last", .bool(index == count - 1)),
            ("length", .int(count)), ("depth", .int(1)), ("depth0", .int(0)),
            ("cycle", .macro(TemplateCallable(.cycle(index: index)))),
        ])
        if index > 0 { loop["previtem"] = items[index - 1] }
        if index + 1 < count { loop["nextitem"] = items[index + 1] }
        return .dict(loop)
    }

    private func assign(_ target: AssignTarget, _ value: TemplateValue, in scope: Scope, at offset: Int) throws {
        switch target {
        case .name(let name):
            scope.variables[name] = value
        case .attribute(let object, let attribute):
            guard case .namespace(let ns)? = scope.lookup(object) else {
                throw error(.runtime, "cannot assign attribute on non-namespace object", at: offset)
            }
            if attribute.hasPrefix("_") {
                throw error(.runtime, "Chat templates cannot store underscore-prefixed attributes on a namespace, but got '\(attribute)'. Please rename the attribute.", at: offset)
            }
            ns.attributes[attribute] = value
        case .tuple(let targets):
            let items: [TemplateValue]
            do { items = try Access.iterate(value) } catch is ValueError {
                throw error(.runtime, "cannot unpack non-iterable \(value.typeName) object", at: offset)
            }
            if items.count > targets.count {
                throw error(.runtime, "too many values to unpack (expected \(targets.count))", at: offset)
            }
            if items.count < targets.count {
                throw error(.runtime, "not enough values to unpack (expected \(targets.count), got \(items.count))", at: offset)
            }
            for (t, v) in zip(targets, items) { try assign(t, v, in: scope, at: offset) }
        }
    }
}
