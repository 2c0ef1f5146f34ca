import Formats

extension Tokenizer {
    /// Loads whatever `path` names: a `tokenizer.json`, a model directory holding one (or a single .gguf
    /// or .tiktoken), a `.gguf` file, or a `.tiktoken` rank file (`encoding` names its pattern; guessed
    /// from the file name when nil).
    public static func load(path: String, encoding: String? = nil) throws -> Tokenizer {
        switch pathKind(path) {
        case .missing:
            throw TokenizerError(file: path, "no such file or directory")
        case .directory:
            let json = path + "/tokenizer.json"
            if pathKind(json) == .file { return try loadJSON(json) }
            let entries = try listDirectory(path)
            for suffix in [".gguf", ".tiktoken"] {
                let matches = entries.filter { $0.hasSuffix(suffix) }
                if matches.count == 1 { return try load(path: path + "/" + matches[0], encoding: encoding) }
                if matches.count > 1 {
                    throw TokenizerError(file: path, "several \(suffix) files; name one: \(matches.sorted().joined(separator: ", "))")
                }
            }
            throw TokenizerError(file: path, "no tokenizer.json, .gguf or .tiktoken file in this directory")
        case .file:
            if path.hasSuffix(".gguf") { return try Tokenizer(ggufPath: path) }
            let bytes = try readFileBytes(path)
            if bytes.starts(with: Array("GGUF".utf8)) { return try Tokenizer(ggufPath: path) }
            if path.hasSuffix(".tiktoken") || encoding != nil {
                let name = encoding
                guard let enc = name.map({ TiktokenEncoding.named($0) }) ?? TiktokenEncoding.guess(fromFileName: path) else {
                    let known = TiktokenEncoding.all.map(\.name).joined(separator: ", ")
                    throw TokenizerError(file: path, name.map { "unknown tiktoken encoding '\($0)' (known: \(known))" }
                        ?? "cannot tell the encoding of this rank file from its name; pass one of: \(known)")
                }
                return try Tokenizer(tiktokenRanks: bytes, source: path, encoding: enc)
            }
            return try loadJSON(path, bytes: bytes)
        }
    }

    private static func loadJSON(_ path: String, bytes: [UInt8]? = nil) throws -> Tokenizer {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let configPath = (directory.isEmpty ? "." : directory) + "/tokenizer_config.json"
        let config = pathKind(configPath) == .file
            ? try TokenizerConfig(json: try readFileBytes(configPath), source: configPath) : nil
        return try Tokenizer(tokenizerJSON: bytes ?? readFileBytes(path), source: path, config: config)
    }
}
