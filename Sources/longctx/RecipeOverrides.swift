import ArgumentParser

/// `--set NAME=VALUE` options as a dictionary of recipe parameters.
func recipeOverrides(_ items: [String]) throws -> [String: String] {
    var overrides: [String: String] = [:]
    for item in items {
        guard let eq = item.firstIndex(of: "="), eq != item.startIndex else { throw ValidationError("--set expects NAME=VALUE, got '\(item)'") }
        overrides[String(item[..<eq])] = String(item[item.index(after: eq)...])
    }
    return overrides
}
