/// Expression evaluation. Failures from below (`ValueError`) get the position of the expression being evaluated;
/// using an Undefined where jinja2 would fail reports the name or attribute that was missing.
extension Renderer {
    func evaluate(_ expr: Expr, in scope: Scope) throws -> TemplateValue {
        do {
            return try evaluateUnchecked(expr, in: scope)
        } catch let failure as ValueError {
            if failure.kind == .undefined && failure.message.isEmpty {
                throw error(.undefined, undefinedMessage(expr, in: scope), at: expr.offset)
            }
            throw error(failure.kind, failure.message, at: expr.offset)
        }
    }

    /// Evaluates an operand that must not be Undefined (arithmetic, calls, attribute access on it).
    private func defined(_ expr: Expr, in scope: Scope) throws -> TemplateValue {
        let value = try evaluate(expr, in: scope)
        if value.isUndefined { throw error(.undefined, undefinedMessage(expr, in: scope), at: expr.offset) }
        return value
    }

    /// jinja2's wording for a missing value: "'x' is undefined", "'dict object' has no attribute 'y'".
    func undefinedMessage(_ expr: Expr, in scope: Scope) -> String {
        switch expr.kind {
        case .name(let name):
            return scope.undefinedReason(name) ?? "'\(name)' is undefined"
        case .attribute(let base, let name):
            guard let object = try? evaluate(base, in: scope) else { return "'\(name)' is undefined" }
            if object.isUndefined { return undefinedMessage(base, in: scope) }
            return "'\(Access.objectTypeDescription(object))' has no attribute '\(name)'"
        case .item(let base, let keyExpr):
            guard let object = try? evaluate(base, in: scope), let key = try? evaluate(keyExpr, in: scope) else {
                return "undefined value"
            }
            if object.isUndefined { return undefinedMessage(base, in: scope) }
            if case .string(let name) = key { return "'\(Access.objectTypeDescription(object))' has no attribute '\(name)'" }
            return "'\(Access.objectTypeDescription(object))' has no element \(key.pythonRepr)"
        case .filter(_, let name, _) where name == "first" || name == "last":
            return "No \(name) item, sequence was empty."
        default:
            return "undefined value"
        }
    }

    private func evaluateUnchecked(_ expr: Expr, in scope: Scope) throws -> TemplateValue {
        switch expr.kind {
        case .literal(let value):
            return value
        case .name(let name):
            if let value = scope.lookup(name) { return value }
            if Globals.names.contains(name) { return .macro(TemplateCallable(.global(name))) }
            return .undefined
        case .list(let items):
            return .list(try items.map { try evaluate($0, in: scope) })
        case .tuple(let items):
            return .tuple(try items.map { try evaluate($0, in: scope) })
        case .dict(let pairs):
            var d = TemplateDictionary()
            for (keyExpr, valueExpr) in pairs {
                let key = try evaluate(keyExpr, in: scope)
                guard case .string(let k) = key else {
                    throw error(.runtime, "only string keys are supported in dict literals, got \(key.typeName)", at: keyExpr.offset)
                }
                d[k] = try evaluate(valueExpr, in: scope)
            }
            return .dict(d)
        case .attribute(let base, let name):
            return try Access.attribute(try defined(base, in: scope), name)
        case .item(let base, let keyExpr):
            let object = try defined(base, in: scope)
            return try Access.item(object, try evaluate(keyExpr, in: scope))
        case .slice(let base, let start, let stop, let step):
            let object = try defined(base, in: scope)
            func bound(_ e: Expr?) throws -> TemplateValue { try e.map { try evaluate($0, in: scope) } ?? .none }
            return try Access.slice(object, start: try bound(start), stop: try bound(stop), step: try bound(step))
        case .call(let callee, let arguments):
            let function = try defined(callee, in: scope)
            guard case .macro(let callable) = function else { throw ValueError("'\(function.typeName)' object is not callable") }
            return try call(callable, try evaluate(arguments, in: scope), at: expr.offset)
        case .filter(let subject, let name, let arguments):
            return try applyFilter(name, to: try evaluate(subject, in: scope), arguments, in: scope, at: expr.offset)
        case .test(let subject, let name, let arguments, let negated):
            guard Tests.names.contains(name) else { throw error(.unknownFilterOrTest, "No test named '\(name)'.", at: expr.offset) }
            let value = try evaluate(subject, in: scope)
            let result = try Tests.apply(name, value, try evaluate(arguments, in: scope))
            return .bool(result != negated)
        case .unary(let op, let operand):
            let value = try defined(operand, in: scope)
            return op == "-" ? try Operators.negate(value) : try Operators.plus(value)
        case .binary(let op, let left, let right):
            if op == "~" { return try Operators.binary(op, try evaluate(left, in: scope), try evaluate(right, in: scope)) }
            let a = try defined(left, in: scope)
            let b = try defined(right, in: scope)
            return try Operators.binary(op, a, b)
        case .compare(let first, let operations):
            var left = try evaluate(first, in: scope)
            var leftExpr = first
            for (op, rightExpr) in operations {
                let right = try evaluate(rightExpr, in: scope)
                if !["==", "!=", "in", "not in"].contains(op) {
                    if left.isUndefined { throw error(.undefined, undefinedMessage(leftExpr, in: scope), at: leftExpr.offset) }
                    if right.isUndefined { throw error(.undefined, undefinedMessage(rightExpr, in: scope), at: rightExpr.offset) }
                }
                if try !Operators.compare(op, left, right) { return .bool(false) }
                left = right
                leftExpr = rightExpr
            }
            return .bool(true)
        case .and(let left, let right):
            let a = try evaluate(left, in: scope)
            return a.isTruthy ? try evaluate(right, in: scope) : a
        case .or(let left, let right):
            let a = try evaluate(left, in: scope)
            return a.isTruthy ? a : try evaluate(right, in: scope)
        case .not(let operand):
            return .bool(!(try evaluate(operand, in: scope)).isTruthy)
        case .conditional(let condition, let then, let otherwise):
            if try evaluate(condition, in: scope).isTruthy { return try evaluate(then, in: scope) }
            return try otherwise.map { try evaluate($0, in: scope) } ?? .undefined
        }
    }

    func evaluate(_ arguments: Expr.Arguments, in scope: Scope) throws -> CallArguments {
        CallArguments(
            positional: try arguments.positional.map { try evaluate($0, in: scope) },
            named: try arguments.named.map { ($0.0, try evaluate($0.1, in: scope)) })
    }

    func applyFilter(_ name: String, to value: TemplateValue, _ arguments: Expr.Arguments, in scope: Scope, at offset: Int) throws -> TemplateValue {
        guard Filters.names.contains(name) else { throw error(.unknownFilterOrTest, "No filter named '\(name)'.", at: offset) }
        let evaluated = try evaluate(arguments, in: scope)
        do {
            return try Filters.apply(name, value, evaluated, renderer: self)
        } catch let failure as ValueError {
            throw error(failure.kind, failure.message.isEmpty ? "undefined value" : failure.message, at: offset)
        }
    }

    func call(_ callable: TemplateCallable, _ arguments: CallArguments, at offset: Int) throws -> TemplateValue {
        do {
            switch callable.kind {
            case .macro(let definition, let closure):
                return try callMacro(definition, closure: closure, arguments, at: offset)
            case .global(let name):
                return try Globals.call(name, arguments)
            case .method(let receiver, let name):
                return try Methods.call(receiver, name, arguments)
            case .cycle(let index):
                guard !arguments.positional.isEmpty else { throw ValueError("no items for cycling given") }
                return arguments.positional[index % arguments.positional.count]
            }
        } catch let failure as ValueError {
            throw error(failure.kind, failure.message, at: offset)
        }
    }

    private func callMacro(_ definition: MacroDefinition, closure: Scope, _ arguments: CallArguments, at offset: Int) throws -> TemplateValue {
        let parameters = definition.parameters
        if arguments.positional.count > parameters.count {
            throw ValueError("macro '\(definition.name)' takes not more than \(parameters.count) argument(s)")
        }
        let scope = Scope(parent: closure)
        for (i, parameter) in parameters.enumerated() {
            if i < arguments.positional.count {
                scope.variables[parameter.name] = arguments.positional[i]
            } else if let named = arguments.named(parameter.name) {
                scope.variables[parameter.name] = named
            } else if let defaultValue = parameter.defaultValue {
                scope.variables[parameter.name] = try evaluate(defaultValue, in: scope)
            } else {
                scope.variables[parameter.name] = .undefined
            }
        }
        for (name, _) in arguments.named where !parameters.contains(where: { $0.name == name }) {
            throw ValueError("macro '\(definition.name)' takes no keyword argument '\(name)'")
        }
        return .string(try capture(definition.body, in: scope))
    }
}
