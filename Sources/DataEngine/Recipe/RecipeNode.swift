import Yams

/// A YAML node with its key path and line, so every recipe error says where it is.
struct RecipeNode {
    let node: Node
    let path: String
    let file: String

    var line: Int? { node.mark?.line }

    func error(_ message: String) -> RecipeError {
        RecipeError(file: file, line: line, path: path, message: message)
    }

    /// The members of a mapping; keys outside `allowed` are errors (a typo must not be ignored).
    func members(allowed: [String]) throws(RecipeError) -> [String: RecipeNode] {
        guard let mapping = node.mapping else { throw error("expected a mapping") }
        var out: [String: RecipeNode] = [:]
        for (key, value) in mapping {
            guard let name = key.string else { throw error("keys must be strings") }
            let child = RecipeNode(node: value, path: path.isEmpty ? name : path + "." + name, file: file)
            guard allowed.contains(name) else {
                throw RecipeError(file: file, line: key.mark?.line, path: child.path,
                                  message: "unknown key (expected one of: \(allowed.joined(separator: ", ")))")
            }
            out[name] = child
        }
        return out
    }

    func items() throws(RecipeError) -> [RecipeNode] {
        guard case .sequence(let sequence) = node else { throw error("expected a list") }
        return sequence.enumerated().map { RecipeNode(node: $1, path: "\(path)[\($0)]", file: file) }
    }

    func string() throws(RecipeError) -> String {
        guard case .scalar(let scalar) = node else { throw error("expected a string") }
        return scalar.string
    }

    /// Integers also as 1e9-style floats and with `_` separators (20_000_000_000).
    func int() throws(RecipeError) -> Int {
        if let value = node.int { return value }
        if let text = node.string, let value = Int(text.filter { $0 != "_" }) { return value }
        if let value = node.float, value.rounded() == value, abs(value) < 9e18 { return Int(value) }
        throw error("expected an integer")
    }

    func double() throws(RecipeError) -> Double {
        guard let value = node.float, value.isFinite else { throw error("expected a number") }
        return value
    }

    func bool() throws(RecipeError) -> Bool {
        guard let value = node.bool else { throw error("expected true or false") }
        return value
    }

    func stringList() throws(RecipeError) -> [String] {
        if case .scalar = node { return [try string()] }
        return try items().map { item throws(RecipeError) in try item.string() }
    }
}
