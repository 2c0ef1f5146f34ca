import Formats
import Foundation
import Tensor
import Tokenization

/// `longctx convert`: a GGUF file or a model directory in, a model directory out, weights stored as
/// f32, bf16 or f16. Tensors stream one at a time (dequantized or converted while written), so
/// memory stays near the largest tensor whatever the model size.
public enum ModelConversion {
    public struct Summary: Sendable {
        public let source: String
        /// "GGUF" or "model directory".
        public let sourceKind: String
        public let architecture: String
        public let parameterCount: Int
        public let dtype: WeightDType
        public let written: ModelDirectory.Written
        public let seconds: Double
        /// Notes for the user: tensors skipped, what the tokenizer was made from.
        public let notes: [String]
    }

    /// Progress while weights are written: tensors done, total, and the tensor now being written.
    public typealias Progress = (_ done: Int, _ total: Int, _ tensor: String) -> Void

    public static func convert(
        input: String, output: String, dtype: WeightDType, replacing: Bool = false,
        maxShardSize: Int = SafetensorsCheckpointWriter.defaultMaxShardSize, progress: Progress? = nil
    ) throws -> Summary {
        let start = ContinuousClock.now
        let target = Target(output: output, dtype: dtype, replacing: replacing, maxShardSize: maxShardSize, progress: progress)
        let converted: Converted
        switch pathKind(input) {
        case .missing: throw ModelDirectoryError(path: input, reason: .io("no such file or directory"))
        case .directory: converted = try fromDirectory(input, target)
        case .file: converted = try fromGGUF(input, target)
        }
        let elapsed = ContinuousClock.now - start
        let config = converted.config.config
        return Summary(source: input, sourceKind: converted.kind, architecture: config.architectures.first ?? config.family.rawValue,
                       parameterCount: converted.parameterCount, dtype: dtype, written: converted.written,
                       seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
                       notes: converted.notes + converted.written.notes)
    }

    /// Where and how to write, shared by both sources.
    struct Target {
        let output: String
        let dtype: WeightDType
        let replacing: Bool
        let maxShardSize: Int
        let progress: Progress?
    }

    struct Converted {
        let kind: String
        let config: ConfigDocument
        let parameterCount: Int
        let written: ModelDirectory.Written
        let notes: [String]
    }

    /// config.json kept (dtype set), tensors checked against it and converted, tokenizer files and
    /// generation_config.json copied.
    static func fromDirectory(_ input: String, _ t: Target) throws -> Converted {
        let config = try ConfigDocument(contentsOf: URL(fileURLWithPath: input))
        let checked = try CheckedCheckpoint(checkpoint: SafetensorsCheckpoint(path: input), config: config.config)
        let names = checked.layout.map(\.name)
        let tensors = checked.tensorsToWrite(as: t.dtype) { t.progress?($0, names.count, names[$0]) }
        let written = try ModelDirectory.write(tensors, config: config, to: t.output, dtype: t.dtype, extraFiles: [],
                                               copyingFrom: input, replacing: t.replacing, maxShardSize: t.maxShardSize)
        let notes = checked.ignored.isEmpty ? [] : ["not copied (transformers ignores them too): \(checked.ignored.joined(separator: ", "))"]
        return Converted(kind: "model directory", config: config, parameterCount: checked.layout.reduce(0) { $0 + $1.shape.reduce(1, *) },
                         written: written, notes: notes)
    }

    /// config.json built from the metadata, tensors dequantized (q/k rows un-permuted) one at a time,
    /// tokenizer files made from the GGUF vocabulary.
    static func fromGGUF(_ input: String, _ t: Target) throws -> Converted {
        let source = try GGUFModelImport(path: input)
        let config = try ConfigDocument(gguf: source.config, file: input)
        try checkLayout(source, against: config.config, file: input)
        let tokenizer = try GGUFTokenizerExport.files(forGGUF: input, modelMaxLength: source.config.maxPositionEmbeddings)
        let tensors = source.tensors.enumerated().map { index, tensor in
            SafetensorsTensorToWrite(name: tensor.hfName, dtype: t.dtype.safetensors, shape: tensor.shape) { out in
                t.progress?(index, source.tensors.count, tensor.hfName)
                WeightEncoding.encode(try source.floats(tensor), as: t.dtype, into: out)
            }
        }
        let written = try ModelDirectory.write(tensors, config: config, to: t.output, dtype: t.dtype, extraFiles: tokenizer,
                                               copyingFrom: nil, replacing: t.replacing, maxShardSize: t.maxShardSize)
        let vocabulary = try source.file.string("tokenizer.ggml.model") ?? "?"
        return Converted(kind: "GGUF", config: config, parameterCount: source.tensors.reduce(0) { $0 + $1.shape.reduce(1, *) },
                         written: written,
                         notes: ["tokenizer.json and tokenizer_config.json made from the GGUF vocabulary (tokenizer.ggml.model \(vocabulary))"])
    }

    /// The GGUF importer and the config we wrote must agree on every parameter's name and shape,
    /// or transformers would refuse (or worse, mis-load) the directory.
    static func checkLayout(_ source: GGUFModelImport, against config: LlamaConfig, file: String) throws {
        let expected = LlamaParameterLayout.expected(config)
        let present = Dictionary(uniqueKeysWithValues: source.tensors.map { ($0.hfName, $0.shape) })
        for (name, shape) in expected {
            guard let actual = present[name] else { throw ModelDirectoryError(path: file, tensor: name, reason: .missingTensor) }
            guard actual == shape else { throw ModelDirectoryError(path: file, tensor: name, reason: .wrongShape(expected: shape, actual: actual)) }
        }
        let names = Set(expected.map(\.name))
        if let extra = source.tensors.first(where: { !names.contains($0.hfName) }) {
            throw ModelDirectoryError(path: file, tensor: extra.ggufName, reason: .unexpectedTensor)
        }
    }
}
