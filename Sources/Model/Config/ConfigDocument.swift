import Foundation

/// A config.json as loaded: the whole JSON object (unknown keys, number literals and key order kept)
/// and its typed, validated view. Changing RoPE patches only the RoPE keys and
/// max_position_embeddings, so everything else is written back as it was.
public struct ConfigDocument: Sendable {
    public let json: ConfigJSON
    public let config: LlamaConfig
    /// Where it was read from; named in errors.
    public let file: String?

    public init(json: ConfigJSON, file: String? = nil) throws {
        self.json = json
        self.file = file
        config = try LlamaConfig(json: json, file: file)
    }

    public init(bytes: [UInt8], file: String? = nil) throws {
        let json: ConfigJSON
        do {
            json = try ConfigJSONParser.parse(bytes)
        } catch let failure as ConfigJSONParser.Failure {
            throw ConfigError(file: file, key: "(file)", .invalidJSON(failure.message))
        }
        try self.init(json: json, file: file)
    }

    /// Reads `config.json` itself or the one inside a model directory.
    public init(contentsOf url: URL) throws {
        var isDirectory: ObjCBool = false
        let path = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
            ? url.appendingPathComponent("config.json") : url
        let data: Data
        do {
            data = try Data(contentsOf: path)
        } catch {
            throw ConfigError(file: path.path, key: "(file)", .unreadable(error.localizedDescription))
        }
        try self.init(bytes: [UInt8](data), file: path.path)
    }

    /// The file's text as transformers writes config.json (indent 2, final newline).
    public var text: String { ConfigJSONWriter.text(json) }

    /// Writes atomically (temporary file, then rename).
    public func write(to url: URL) throws {
        try Data(text.utf8).write(to: url, options: .atomic)
    }

    /// Removes the sliding window so the model attends over the whole sequence, as our attention
    /// does (Mistral: `sliding_window` null; Qwen2: `use_sliding_window` false).
    public func removingSlidingWindow() throws -> ConfigDocument {
        var json = self.json
        switch config.family {
        case .llama: return self
        case .mistral: json.set(LlamaConfig.CodingKeys.slidingWindow.rawValue, to: .null)
        case .qwen2: json.set(LlamaConfig.CodingKeys.useSlidingWindow.rawValue, to: .bool(false))
        }
        return try ConfigDocument(json: json, file: file)
    }
}
