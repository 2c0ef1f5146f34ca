/// The parsed template: statements and expressions, each expression with the offset it starts at so that
/// errors while rendering can name a line and column.
struct Expr: Sendable {
    indirect enum Kind: Sendable {
        case literal(TemplateValue)
        case name(String)
        case list([Expr])
        case tuple([Expr])
        case dict([(Expr, Expr)])
        case attribute(Expr, String)
        case item(Expr, Expr)
        case slice(Expr, start: Expr?, stop: Expr?, step: Expr?)
        case call(Expr, Arguments)
        case filter(Expr, name: String, Arguments)
        case test(Expr, name: String, Arguments, negated: Bool)
        case unary(String, Expr)
        case binary(String, Expr, Expr)
        case compare(Expr, [(String, Expr)])
        case and(Expr, Expr)
        case or(Expr, Expr)
        case not(Expr)
        case conditional(condition: Expr, then: Expr, otherwise: Expr?)
    }

    struct Arguments: Sendable {
        var positional: [Expr] = []
        var named: [(String, Expr)] = []
    }

    let kind: Kind
    let offset: Int
}

/// Where `{% set %}` and `{% for %}` put values: a name, a namespace attribute (`ns.x`), or a tuple to unpack.
indirect enum AssignTarget: Sendable {
    case name(String)
    case attribute(String, String)
    case tuple([AssignTarget])
}

struct MacroDefinition: Sendable {
    let name: String
    let parameters: [(name: String, defaultValue: Expr?)]
    let body: [Statement]
}

struct Statement: Sendable {
    indirect enum Kind: Sendable {
        case text(String)
        case output(Expr)
        case conditional(branches: [(Expr, [Statement])], otherwise: [Statement])
        case loop(target: AssignTarget, iterable: Expr, condition: Expr?, body: [Statement], otherwise: [Statement])
        case assign(AssignTarget, Expr)
        /// `{% set x %}...{% endset %}`, optionally through filters (`{% set x | upper %}`).
        case assignBlock(AssignTarget, filters: [(String, Expr.Arguments, Int)], body: [Statement])
        case macro(MacroDefinition)
        case breakLoop
        case continueLoop
    }

    let kind: Kind
    let offset: Int
}
