/// Something a template can call: a `{% macro %}`, a global function (`range`, `namespace`, `raise_exception`,
/// ...), a bound method (`message.content.strip`), or `loop.cycle`. Lives only while one render runs.
public final class TemplateCallable: @unchecked Sendable {
    enum Kind {
        case macro(MacroDefinition, Scope)
        case global(String)
        case method(TemplateValue, String)
        case cycle(index: Int)
    }

    let kind: Kind
    init(_ kind: Kind) { self.kind = kind }

    var pythonRepr: String {
        switch kind {
        case .macro(let definition, _): return "<Macro '\(definition.name)'>"
        case .global(let name): return "<function \(name)>"
        case .method(let receiver, let name): return "<built-in method \(name) of \(receiver.typeName) object>"
        case .cycle: return "<bound method LoopContext.cycle>"
        }
    }
}

/// Variables visible at one point of a render. Loop iterations and macro calls open a child scope (so their
/// `{% set %}` stays inside, as in jinja2); `if` blocks do not.
final class Scope {
    var variables: [String: TemplateValue] = [:]
    /// For a variable set to Undefined (`{% set c = m['missing'] %}`), what was missing: jinja2's Undefined carries
    /// that, and its error names the key, not the variable.
    var undefinedReasons: [String: String] = [:]
    let parent: Scope?

    init(parent: Scope?) { self.parent = parent }

    func lookup(_ name: String) -> TemplateValue? {
        var scope: Scope? = self
        while let current = scope {
            if let value = current.variables[name] { return value }
            scope = current.parent
        }
        return nil
    }

    func undefinedReason(_ name: String) -> String? {
        var scope: Scope? = self
        while let current = scope {
            if current.variables[name] != nil { return current.undefinedReasons[name] }
            scope = current.parent
        }
        return nil
    }
}

/// Evaluated call arguments: positional values and `name=value` pairs.
struct CallArguments {
    var positional: [TemplateValue] = []
    var named: [(String, TemplateValue)] = []

    /// The argument at `index`, or the one named `name`.
    func value(_ index: Int, _ name: String) -> TemplateValue? {
        if index < positional.count { return positional[index] }
        return named.first { $0.0 == name }?.1
    }

    func named(_ name: String) -> TemplateValue? { named.first { $0.0 == name }?.1 }
}
