import Formats
import Foundation
import Model
import Tensor

/// Where a run stands, saved with every checkpoint: enough to continue exactly.
public struct TrainingState: Codable, Sendable, Equatable {
    public var recipeSHA256: String
    /// The stage being trained and how many of its steps are done.
    public var stageIndex: Int
    public var stageStep: Int
    /// Steps done over all stages (the metrics log's step numbers).
    public var globalStep: Int
    public var optimizerUpdates: Int
    /// The current stage's data cursor.
    public var cursor: DomainMixture.Cursor
    public var tokensSeenPerDomain: [String: Int]
    public var skippedSteps: Int

    enum CodingKeys: String, CodingKey {
        case recipeSHA256 = "recipe_sha256", stageIndex = "stage_index", stageStep = "stage_step"
        case globalStep = "global_step", optimizerUpdates = "optimizer_updates", cursor
        case tokensSeenPerDomain = "tokens_seen_per_domain", skippedSteps = "skipped_steps"
    }
}

/// A checkpoint directory, OUT/checkpoints/step-NNNNNNNN/: model.safetensors (f32 master weights,
/// transformers names), optimizer.safetensors (`m.NAME`, `v.NAME`), config.json (with the stage's
/// RoPE) and state.json. It is written as a temporary directory and renamed, and
/// OUT/checkpoints/latest names it only after that, so a kill at any moment leaves the previous
/// checkpoint intact and usable.
public enum TrainingCheckpoint {
    public static func directory(output: String) -> String { output + "/checkpoints" }

    public static func save(output: String, state: TrainingState, config: ConfigDocument, parameters: LlamaParameters,
                            optimizer: OptimizerState, keep: Int) throws {
        let root = directory(output: output)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let name = String(format: "step-%08d", state.globalStep)
        let final = root + "/" + name, temporary = final + ".tmp"
        try? FileManager.default.removeItem(atPath: temporary)
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: false)
        try SafetensorsWriter.write(tensors(parameters.named, prefix: ""), to: temporary + "/model.safetensors")
        try SafetensorsWriter.write(tensors(optimizer.m.named, prefix: "m.") + tensors(optimizer.v.named, prefix: "v."),
                                    to: temporary + "/optimizer.safetensors")
        try config.write(to: URL(fileURLWithPath: temporary + "/config.json"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try writeFileAtomically(temporary + "/state.json", parts: [Array(try encoder.encode(state))])
        try? FileManager.default.removeItem(atPath: final)
        try FileManager.default.moveItem(atPath: temporary, toPath: final)
        try writeFileAtomically(root + "/latest", parts: [Array((name + "\n").utf8)])
        try prune(root: root, keep: keep, current: name)
    }

    /// The latest complete checkpoint of a run, or nil when there is none.
    public static func latest(output: String) throws -> String? {
        let root = directory(output: output)
        guard let bytes = try? readFileBytes(root + "/latest") else { return nil }
        let name = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let path = root + "/" + name
        guard pathKind(path + "/state.json") == .file else {
            throw TrainingError.badCheckpoint(path: path, reason: "named by \(root)/latest but has no state.json")
        }
        return path
    }

    public static func loadState(_ path: String) throws -> TrainingState {
        do {
            return try JSONDecoder().decode(TrainingState.self, from: Data(readFileBytes(path + "/state.json")))
        } catch {
            throw TrainingError.badCheckpoint(path: path, reason: "state.json: \(error)")
        }
    }

    /// Fills `parameters` and `optimizer` (already allocated with the model's shapes) from a checkpoint.
    public static func loadTensors(_ path: String, into parameters: LlamaParameters, optimizer: OptimizerState,
                                   device: any Device) throws {
        let model = try SafetensorsCheckpoint(path: path + "/model.safetensors")
        let moments = try SafetensorsCheckpoint(path: path + "/optimizer.safetensors")
        func fill(_ named: [(name: String, tensor: Tensor)], from file: SafetensorsCheckpoint, prefix: String) throws {
            for (name, tensor) in named {
                guard let info = file.tensor(named: prefix + name), info.dtype == .f32, info.shape == tensor.shape else {
                    throw TrainingError.badCheckpoint(path: path, reason: "tensor \(prefix + name) missing or not f32 \(tensor.shape)")
                }
                device.write(try file.data(named: prefix + name), to: tensor)
            }
        }
        try fill(parameters.named, from: model, prefix: "")
        try fill(optimizer.m.named, from: moments, prefix: "m.")
        try fill(optimizer.v.named, from: moments, prefix: "v.")
    }

    private static func tensors(_ named: [(name: String, tensor: Tensor)], prefix: String) -> [SafetensorsTensorToWrite] {
        named.map { name, tensor in
            SafetensorsTensorToWrite(name: prefix + name, dtype: .f32, shape: tensor.shape) { out in
                tensor.device.read(tensor, into: out)
            }
        }
    }

    private static func prune(root: String, keep: Int, current: String) throws {
        let steps = try listDirectory(root).filter { $0.hasPrefix("step-") && !$0.hasSuffix(".tmp") && $0 != current }.sorted()
        for old in steps.dropLast(max(0, keep - 1)) { try FileManager.default.removeItem(atPath: root + "/" + old) }
    }
}
