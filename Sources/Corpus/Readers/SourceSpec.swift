/// A named input on the command line: `NAME=PATH` or `NAME=KIND:PATH`, KIND one of jsonl, text,
/// books (a text tree grouped by subdirectory: one document per book), repo (one code repository),
/// repos (a directory of repositories, e.g. bare `*.git` clones), mds (an already-tokenized MDS
/// dataset in ProLong's layout), parquet (FineWeb, DCLM, The Stack). A jsonl or parquet path may be a
/// directory: every matching file under it, in sorted order. Without a KIND: a .parquet file is
/// parquet, any other file jsonl; a directory with an index.json is mds, a bare git repository is a
/// repo, any other directory is a text tree.
public struct SourceSpec: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case jsonl, parquet, text, books, repo, repos, mds }
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
            kind = fileID(rest + "/index.json") != nil ? .mds : GitRepository.isGitDirectory(rest) ? .repo : .text
        } else {
            kind = rest.hasSuffix(".parquet") ? .parquet : .jsonl
        }
        guard !rest.isEmpty else { throw .badSpec(text, "empty path") }
        path = rest
    }

    /// Opens the documents this spec names.
    public func open(textField: String = "text", metadataFields: [String] = [], seed: UInt64 = 0) throws -> any DocumentSource {
        switch kind {
        case .jsonl:
            return JSONLinesReader(paths: try Self.files(under: path, suffixes: [".jsonl", ".jsonl.gz", ".jsonl.zst", ".json", ".json.gz", ".json.zst"]),
                                   options: .init(textField: textField, metadataFields: metadataFields))
        case .parquet:
            return ParquetReader(paths: try Self.files(under: path, suffixes: [".parquet"]),
                                 options: .init(textField: textField, metadataFields: metadataFields))
        case .mds: return MDSTokenReader(directory: path)
        case .text: return TextTreeReader(root: path, mode: .perFile)
        case .books: return TextTreeReader(root: path, mode: .grouped)
        case .repo: return CodeRepoReader(repositories: [path], options: .init(seed: seed))
        case .repos:
            let repos = try listDirectory(path).sorted().map { path + "/" + $0 }
                .filter { fileID($0)?.isDirectory == true }
            return CodeRepoReader(repositories: repos, options: .init(seed: seed))
        }
    }

    /// `path` itself when it is a file; else the files under it with one of `suffixes`, sorted.
    static func files(under path: String, suffixes: [String]) throws -> [String] {
        guard fileID(path)?.isDirectory == true else { return [path] }
        var walk = DirectoryWalk(root: path, descendInto: { !$0.hasPrefix(".") })
        let found = try walk.files().map(\.relativePath).filter { rel in suffixes.contains { rel.hasSuffix($0) } }
        guard !found.isEmpty else {
            throw ReaderError.cannotOpen(path: path, reason: "no files ending in \(suffixes.joined(separator: ", ")) under this directory")
        }
        return found.map { path + "/" + $0 }
    }
}
