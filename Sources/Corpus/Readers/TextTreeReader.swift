/// Plain-text directory trees. `.perFile`: every file is a document. `.grouped`: all files under
/// each immediate subdirectory of the root form ONE document (the chapters of a book), joined by
/// "\n\n" in sorted path order; files directly in the root stay documents of their own.
public final class TextTreeReader: DocumentSource {
    public enum Mode: Sendable { case perFile, grouped }

    public let root: String
    public let mode: Mode
    /// File name suffixes to read (e.g. [".txt", ".md"]); nil reads every regular file.
    public let extensions: [String]?
    public private(set) var skipped: [SkipRecord] = []
    private var units: [Unit]?
    private var index = 0

    private enum Unit { case file(String), group(String) }

    public init(root: String, mode: Mode = .perFile, extensions: [String]? = nil) {
        self.root = root
        self.mode = mode
        self.extensions = extensions
    }

    public func next() throws -> Document? {
        if units == nil { units = try plan() }
        while let units, index < units.count {
            defer { index += 1 }
            switch units[index] {
            case .file(let rel):
                let path = root + "/" + rel
                guard let text = try readText(path) else { continue }
                if text.isEmpty { record(path, "empty"); continue }
                return Document(text: text, source: path, location: path, metadata: ["relative_path": rel])
            case .group(let name):
                if let document = try group(name) { return document }
            }
        }
        return nil
    }

    /// What to read, in order; computed once, holding paths only (never contents).
    private func plan() throws -> [Unit] {
        let wanted = extensions
        func keep(_ path: String) -> Bool { wanted.map { $0.contains { path.hasSuffix($0) } } ?? true }
        switch mode {
        case .perFile:
            var walk = DirectoryWalk(root: root)
            let files = try walk.files()
            for (path, reason) in walk.skippedDirectories { record(root + "/" + path, reason) }
            return files.filter { keep($0.relativePath) }.map { .file($0.relativePath) }
        case .grouped:
            let names = try listDirectory(root).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            return names.compactMap { name in
                guard let id = fileID(root + "/" + name) else { return nil }
                if id.isDirectory { return .group(name) }
                return id.isRegular && keep(name) ? .file(name) : nil
            }
        }
    }

    private func group(_ name: String) throws -> Document? {
        let directory = root + "/" + name
        let wanted = extensions
        var parts: [String] = []
        var files = 0
        var walk = DirectoryWalk(root: directory)
        let entries = try walk.files()
        for (path, reason) in walk.skippedDirectories { record(directory + "/" + path, reason) }
        for entry in entries {
            if let wanted, !wanted.contains(where: { entry.relativePath.hasSuffix($0) }) { continue }
            let path = directory + "/" + entry.relativePath
            guard let text = try readText(path) else { continue }
            if text.isEmpty { record(path, "empty"); continue }
            parts.append(text)
            files += 1
        }
        guard !parts.isEmpty else { record(directory, "empty"); return nil }
        return Document(text: parts.joined(separator: "\n\n"), source: directory, location: directory,
                        metadata: ["relative_path": name, "files": String(files)])
    }

    /// The file as text, or nil (with a skip record) when it is not valid UTF-8.
    private func readText(_ path: String) throws -> String? {
        let bytes = try readWholeFile(path) ?? []
        guard let text = String(validating: bytes, as: UTF8.self) else { record(path, "invalid UTF-8"); return nil }
        return text
    }

    private func record(_ path: String, _ reason: String) { skipped.append(SkipRecord(file: path, reason: reason)) }
}
