import Formats
import Foundation
import Tensor

/// A Hugging Face model directory: config.json, model.safetensors (or shards and their index),
/// tokenizer files and generation_config.json. What `save` writes loads in transformers 4.57 and
/// 5.x unchanged; what `load` accepts is what transformers accepts for Llama-family models.
public enum ModelDirectory {
    /// Tokenizer files copied from a source directory when present (transformers' names).
    public static let tokenizerFileNames = [
        "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "tokenizer.model",
        "added_tokens.json", "vocab.json", "merges.txt", "chat_template.jinja", "chat_template.json",
    ]
    public static let generationConfigFileName = "generation_config.json"

    /// A loaded directory: its config (kept whole for writing back) and f32 parameters on a device.
    public struct Loaded: @unchecked Sendable {
        public let config: ConfigDocument
        public let parameters: LlamaParameters
        /// Tensors in the checkpoint that were not loaded, as transformers skips them.
        public let ignoredTensors: [String]
    }

    /// Reads config.json and the safetensors weights (single, sharded; F32, BF16, F16 or F64 stored)
    /// into f32 tensors on `device`. Missing, unexpected or mis-shaped tensors are refused, naming
    /// the file and the tensor.
    public static func load(path: String, device: any Device) throws -> Loaded {
        let config = try ConfigDocument(contentsOf: URL(fileURLWithPath: path))
        let checked = try CheckedCheckpoint(checkpoint: SafetensorsCheckpoint(path: path), config: config.config)
        let parameters = try LlamaParameters(config: config.config, device: device) { name, _ in
            try checked.tensor(name, on: device)
        }
        return Loaded(config: config, parameters: parameters, ignoredTensors: checked.ignored)
    }

    /// What a save wrote.
    public struct Written: Sendable {
        public let directory: String
        /// File names, weights first.
        public let files: [String]
        /// Bytes of every file written or copied.
        public let byteCount: Int
        /// What was changed on the way, for the user (e.g. RoPE keys added for transformers 4).
        public let notes: [String]
    }

    /// Writes `parameters` as a model directory at `output`: config.json (the document with `dtype`
    /// set to what was written), model.safetensors (sharded above `maxShardSize` bytes), and the
    /// tokenizer files and generation_config.json found in `tokenizerFrom`. Atomic: built beside
    /// `output` and renamed into place; an existing `output` is refused unless `replacing`.
    @discardableResult
    public static func save(
        parameters: LlamaParameters, config: ConfigDocument, to output: String, dtype: WeightDType,
        tokenizerFrom source: String?, replacing: Bool = false,
        maxShardSize: Int = SafetensorsCheckpointWriter.defaultMaxShardSize
    ) throws -> Written {
        let tensors = parameters.named.map { name, tensor in
            SafetensorsTensorToWrite(name: name, dtype: dtype.safetensors, shape: tensor.shape) { out in
                WeightEncoding.encode(tensor.floats(), as: dtype, into: out)
            }
        }
        return try write(tensors, config: config, to: output, dtype: dtype,
                         extraFiles: [], copyingFrom: source, replacing: replacing, maxShardSize: maxShardSize)
    }

    /// The common tail of every save: weights from `tensors`, config.json, `extraFiles` (name and
    /// text, e.g. an exported tokenizer), files copied from `source`, then the rename into place.
    static func write(
        _ tensors: [SafetensorsTensorToWrite], config: ConfigDocument, to output: String, dtype: WeightDType,
        extraFiles: [(name: String, text: String)], copyingFrom source: String?, replacing: Bool, maxShardSize: Int
    ) throws -> Written {
        let staging = try StagingDirectory(for: output, replacing: replacing)
        var files = try SafetensorsCheckpointWriter.write(tensors, to: staging.path, maxShardSize: maxShardSize)
        let (portable, rewritten) = try config.withPortableRoPE()
        try portable.settingDType(dtype).write(to: URL(fileURLWithPath: staging.file("config.json")))
        let notes = rewritten ? ["config.json: added rope_theta and rope_scaling (\(portable.config.rope.summary)) so that transformers 4 reads the RoPE transformers 5 reads from rope_parameters"] : []
        files.append("config.json")
        for (name, text) in extraFiles {
            try writeFile(staging.file(name), Array(text.utf8))
            files.append(name)
        }
        if let source {
            for name in tokenizerFileNames + [generationConfigFileName] where !files.contains(name) {
                let from = source + "/" + name
                guard pathKind(from) == .file else { continue }
                try writeFile(staging.file(name), try readFileBytes(from))
                files.append(name)
            }
        }
        let byteCount = try files.reduce(0) { total, name in
            let attributes = try FileManager.default.attributesOfItem(atPath: staging.file(name))
            return total + ((attributes[.size] as? NSNumber)?.intValue ?? 0)
        }
        try staging.commit()
        return Written(directory: staging.destination, files: files, byteCount: byteCount, notes: notes)
    }

    private static func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        do { try writeFileAtomically(path, parts: [bytes]) } catch {
            throw ModelDirectoryError(path: path, reason: .io(error.message))
        }
    }
}

extension ConfigDocument {
    /// The config with the dtype the weights are stored in: `dtype` (transformers 4.56+ and 5) and
    /// `torch_dtype` (older 4.x and other readers); both versions accept both without a warning.
    public func settingDType(_ dtype: WeightDType) throws -> ConfigDocument {
        var json = self.json
        json.set(LlamaConfig.CodingKeys.dtype.rawValue, to: .string(dtype.configName))
        json.set(LlamaConfig.CodingKeys.torchDtype.rawValue, to: .string(dtype.configName))
        return try ConfigDocument(json: json, file: file)
    }
}
