/// Which repository files stay out of code documents, and why. Vendored and generated files
/// repeat code from elsewhere; lock files and binaries are not useful training text.
public struct RepoFilter: Sendable {
    public var maxFileBytes: Int
    public var skippedDirectories: Set<String>
    public var skippedNames: Set<String>
    public var skippedSuffixes: [String]

    public init(maxFileBytes: Int = 1 << 20,
                skippedDirectories: Set<String> = ["vendor", "third_party", "node_modules", ".git", "dist", "build", "__pycache__"],
                skippedNames: Set<String> = ["package-lock.json", "Package.resolved", "pnpm-lock.yaml", "go.sum"],
                skippedSuffixes: [String] = [".min.js", ".lock"]) {
        self.maxFileBytes = maxFileBytes
        self.skippedDirectories = skippedDirectories
        self.skippedNames = skippedNames
        self.skippedSuffixes = skippedSuffixes
    }

    /// Why `path` (relative, "/"-separated) is excluded by name, or nil when it is kept.
    public func reasonToSkip(path: String) -> String? {
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        if let dir = components.dropLast().first(where: { skippedDirectories.contains(String($0)) }) {
            return "vendored or generated (\(dir)/)"
        }
        let name = String(components.last ?? "")
        if skippedNames.contains(name) { return "lock file" }
        if let suffix = skippedSuffixes.first(where: { name.hasSuffix($0) }) {
            return suffix == ".lock" ? "lock file" : "generated (\(suffix))"
        }
        return nil
    }

    /// Why `content` is excluded, or nil: binary (NUL in the first 8 KB) or not UTF-8.
    public func reasonToSkip(content: [UInt8]) -> String? {
        if content.prefix(8192).contains(0) { return "binary (NUL byte)" }
        if String(validating: content, as: UTF8.self) == nil { return "binary (invalid UTF-8)" }
        return nil
    }
}
