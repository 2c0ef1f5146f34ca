/// `${name}` placeholders in a recipe's text, filled from its `parameters:` defaults and from
/// `--set name=value` on the command line (which wins). Substitution happens on the text before
/// YAML parsing, so a parameter can stand for a path, a number or a list.
public enum RecipeParameters {
    /// The `parameters:` block's `name: value` lines (flat scalars only), read before parsing.
    public static func substitute(_ text: String, overrides: [String: String], file: String) throws(RecipeError) -> String {
        let defaults = try declaredDefaults(text, file: file)
        var values = defaults
        for (key, value) in overrides {
            guard defaults[key] != nil || text.contains("${\(key)}") else {
                throw RecipeError(file: file, line: nil, path: "", message: "--set \(key): the recipe has no parameter '\(key)'")
            }
            values[key] = value
        }
        var out = ""
        var rest = Substring(text)
        var line = 1
        while let open = rest.firstRange(of: "${") {
            out += rest[..<open.lowerBound]
            line += rest[..<open.lowerBound].filter { $0 == "\n" }.count
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                throw RecipeError(file: file, line: line, path: "", message: "unterminated ${ placeholder")
            }
            let name = String(rest[open.upperBound..<close])
            guard let value = values[name] else {
                throw RecipeError(file: file, line: line, path: "",
                                  message: "parameter '\(name)' has no value: declare it under parameters: or pass --set \(name)=VALUE")
            }
            out += value
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    /// Values of the top-level `parameters:` mapping, as written (placeholders inside it are not expanded).
    private static func declaredDefaults(_ text: String, file: String) throws(RecipeError) -> [String: String] {
        var values: [String: String] = [:]
        var inBlock = false
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.hasPrefix("parameters:") { inBlock = true; continue }
            guard inBlock else { continue }
            let trimmed = line.drop { $0 == " " }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if trimmed.count == line.count { inBlock = false; continue }  // back at top level
            guard let colon = trimmed.firstIndex(of: ":") else {
                throw RecipeError(file: file, line: number + 1, path: "parameters", message: "expected NAME: VALUE")
            }
            var value = trimmed[trimmed.index(after: colon)...].drop { $0 == " " }
            if let hash = value.firstRange(of: " #") { value = value[..<hash.lowerBound] }
            while value.last == " " { value = value.dropLast() }
            if value.count >= 2, let q = value.first, q == "\"" || q == "'", value.last == q { value = value.dropFirst().dropLast() }
            values[String(trimmed[..<colon])] = String(value)
        }
        return values
    }
}
