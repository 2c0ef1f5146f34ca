/// Code repositories as in ProLong: every kept file of a repository concatenated into ONE
/// document, each preceded by "# path: <relative path>\n" and followed by "\n\n". Files are in a
/// seeded random order (no dependency ordering); the seed is mixed with the repository name so
/// repositories differ from each other but every machine produces the same document.
/// Each repository may be a directory tree or a git directory (bare repository), read at HEAD.
public final class CodeRepoReader: DocumentSource {
    public struct Options: Sendable {
        public var seed: UInt64
        public var filter: RepoFilter

        public init(seed: UInt64 = 0, filter: RepoFilter = RepoFilter()) {
            self.seed = seed
            self.filter = filter
        }
    }

    public let repositories: [String]
    public let options: Options
    public private(set) var skipped: [SkipRecord] = []
    private var index = 0

    public init(repositories: [String], options: Options = Options()) {
        self.repositories = repositories
        self.options = options
    }

    public convenience init(repository: String, options: Options = Options()) {
        self.init(repositories: [repository], options: options)
    }

    public func next() throws -> Document? {
        while index < repositories.count {
            let path = repositories[index]
            index += 1
            if let document = try read(path) { return document }
        }
        return nil
    }

    /// "swift-argument-parser" for ".../apple/swift-argument-parser.git".
    public static func repositoryName(_ path: String) -> String {
        var name = String(path.split(separator: "/").last ?? Substring(path))
        if name == ".git" { name = String(path.split(separator: "/").dropLast().last ?? "") }
        if name.hasSuffix(".git") { name.removeLast(4) }
        return name
    }

    /// A file to include, with how to get its bytes.
    private struct Candidate {
        var path: String
        var size: Int
        var object: String?  // git object id; nil for a file on disk
    }

    private func read(_ repository: String) throws -> Document? {
        let name = Self.repositoryName(repository)
        let filter = options.filter
        let git = GitRepository.isGitDirectory(repository) ? GitRepository(gitDir: repository) : nil
        var candidates: [Candidate] = []
        if let git {
            for blob in try git.blobs() {
                if blob.mode == "120000" { record(repository, blob.path, "symlink"); continue }
                candidates.append(Candidate(path: blob.path, size: blob.size, object: blob.object))
            }
        } else {
            var walk = DirectoryWalk(root: repository, descendInto: { $0 != ".git" })
            candidates = try walk.files().map { Candidate(path: $0.relativePath, size: $0.size, object: nil) }
            for (path, reason) in walk.skippedDirectories { record(repository, path, reason) }
        }
        candidates = candidates.filter { candidate in
            if let reason = filter.reasonToSkip(path: candidate.path) { record(repository, candidate.path, reason); return false }
            if candidate.size > filter.maxFileBytes {
                record(repository, candidate.path, "too large (\(candidate.size) bytes > \(filter.maxFileBytes))")
                return false
            }
            return true
        }
        // Sort first so the shuffle does not depend on how git or readdir listed the files.
        candidates.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        var generator = SplitMix64(seed: options.seed ^ stableHash(name))
        seededShuffle(&candidates, using: &generator)

        var text = ""
        var files = 0
        for candidate in candidates {
            let bytes: [UInt8]
            if let object = candidate.object, let git {
                bytes = try git.contents(of: object)
            } else {
                guard let read = try readWholeFile(repository + "/" + candidate.path, limit: filter.maxFileBytes) else {
                    record(repository, candidate.path, "too large (grew past \(filter.maxFileBytes) bytes)")
                    continue
                }
                bytes = read
            }
            if let reason = filter.reasonToSkip(content: bytes) { record(repository, candidate.path, reason); continue }
            text += "# path: \(candidate.path)\n"
            text += String(decoding: bytes, as: UTF8.self)
            text += "\n\n"
            files += 1
        }
        guard files > 0 else { skipped.append(SkipRecord(file: repository, reason: "empty")); return nil }
        return Document(text: text, source: repository, location: repository,
                        metadata: ["repo": name, "files": String(files), "seed": String(options.seed)])
    }

    private func record(_ repository: String, _ path: String, _ reason: String) {
        skipped.append(SkipRecord(file: repository + "/" + path, reason: reason))
    }
}
