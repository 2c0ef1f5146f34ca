/// A named input on the command line: `NAME=PATH` or `NAME=KIND:PATH`, KIND one of jsonl, text,
/// books (a text tree grouped by subdirectory: one document per book), repo (one code repository),
/// repos (a directory of repositories, e.g. bare `*.git` clones). Without a KIND: a file is jsonl, a
/// bare git repository is a repo, any other directory is a text tree.
public struct SourceSpec: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case jsonl, text, books, repo, repos }
    public var name: String
    public var kind: Kind
    public var path: String

    public init(name: String, kind: Kind, path: String) {
        self.name = name
        self.kind = kind
        self.path = path
    }

    public init(parsing text: String) throws(ReaderError) {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw .badSpec(text, "expected NAME=PATH or NAME=KIND:PATH")
        }
        name = String(text[..<eq])
        var rest = String(text[text.index(after: eq)...])
        if let colon = rest.firstIndex(of: ":"), let kind = Kind(rawValue: String(rest[..<colon])) {
            self.kind = kind
            rest = String(rest[rest.index(after: colon)...])
        } else if fileID(rest)?.isDirectory == true {
            kind = GitRepository.isGitDirectory(rest) ? .repo : .text
        } else {
            kind = .jsonl
        }
        guard !rest.isEmpty else { throw .badSpec(text, "empty path") }
        path = rest
    }

    /// Opens the documents this spec names.
    public func open(textField: String = "text", seed: UInt64 = 0) throws -> any DocumentSource {
        switch kind {
        case .jsonl: return JSONLinesReader(paths: [path], options: .init(textField: textField))
        case .text: return TextTreeReader(root: path, mode: .perFile)
        case .books: return TextTreeReader(root: path, mode: .grouped)
        case .repo: return CodeRepoReader(repositories: [path], options: .init(seed: seed))
        case .repos:
            let repos = try listDirectory(path).sorted().map { path + "/" + $0 }
                .filter { fileID($0)?.isDirectory == true }
            return CodeRepoReader(repositories: repos, options: .init(seed: seed))
        }
    }
}
