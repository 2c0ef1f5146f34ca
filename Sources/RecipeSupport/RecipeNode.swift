import Formats
import Yams

/// A YAML node with its key path and line, so every recipe error says where it is.
public struct RecipeNode {
    public let node: Node
    public let path: String
    public let file: String

    public init(node: Node, path: String, file: String) {
        self.node = node
        self.path = path
        self.file = file
    }

    public var line: Int? { node.mark?.line }

    public func error(_ message: String) -> RecipeError {
        RecipeError(file: file, line: line, path: path, message: message)
    }

    /// The members of a mapping; keys outside `allowed` are errors (a typo must not be ignored).
    public func members(allowed: [String]) throws(RecipeError) -> [String: RecipeNode] {
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

    public func items() throws(RecipeError) -> [RecipeNode] {
        guard case .sequence(let sequence) = node else { throw error("expected a list") }
        return sequence.enumerated().map { RecipeNode(node: $1, path: "\(path)[\($0)]", file: file) }
    }

    public func string() throws(RecipeError) -> String {
        guard case .scalar(let scalar) = node else { throw error("expected a string") }
        return scalar.string
    }

    /// Integers also as 1e9-style floats and with `_` separators (20_000_000_000).
    public func int() throws(RecipeError) -> Int {
        if let value = node.int { return value }
        if let text = node.string, let value = Int(text.filter { $0 != "_" }) { return value }
        if let value = node.float, value.rounded() == value, abs(value) < 9e18 { return Int(value) }
        throw error("expected an integer")
    }

    public func double() throws(RecipeError) -> Double {
        guard let value = node.float, value.isFinite else { throw error("expected a number") }
        return value
    }

    public func bool() throws(RecipeError) -> Bool {
        guard let value = node.bool else { throw error("expected true or false") }
        return value
    }

    public func stringList() throws(RecipeError) -> [String] {
        if case .scalar = node { return [try string()] }
        return try items().map { item throws(RecipeError) in try item.string() }
    }
}

extension RecipeNode {
    /// Reads a YAML recipe file: `${param}` substitution (defaults from `parameters:`, then
    /// `overrides`), then YAML with line numbers. Returns the root and the resolved text (whose
    /// SHA-256 identifies the recipe in manifests and checkpoints).
    public static func load(path: String, overrides: [String: String] = [:]) throws(RecipeError) -> (root: RecipeNode, resolvedText: String) {
        let bytes: [UInt8]
        do { bytes = try readFileBytes(path) } catch {
            throw RecipeError(file: path, line: nil, path: "", message: "cannot read: \(error)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw RecipeError(file: path, line: nil, path: "", message: "not valid UTF-8")
        }
        return try parse(text, file: path, overrides: overrides)
    }

    /// As `load`, for recipe text already in memory; `file` names it in errors.
    public static func parse(_ text: String, file: String, overrides: [String: String] = [:]) throws(RecipeError) -> (root: RecipeNode, resolvedText: String) {
        let resolved = try RecipeParameters.substitute(text, overrides: overrides, file: file)
        do {
            guard let node = try Yams.compose(yaml: resolved) else { throw RecipeError(file: file, line: nil, path: "", message: "empty recipe") }
            return (RecipeNode(node: node, path: "", file: file), resolved)
        } catch let error as RecipeError {
            throw error
        } catch let error as YamlError {
            throw RecipeError(file: file, line: line(of: error), path: "", message: "YAML: \(error)")
        } catch {
            throw RecipeError(file: file, line: nil, path: "", message: "YAML: \(error)")
        }
    }

    /// The first name that appears twice.
    public static func duplicate(_ names: [String]) -> String? {
        var seen = Set<String>()
        return names.first { !seen.insert($0).inserted }
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return nil
        }
    }
}
