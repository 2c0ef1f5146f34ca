import Formats
import RecipeSupport

/// Reads a training recipe (YAML, `${param}` placeholders, file:line errors on every mistake).
public enum TrainRecipeParser {
    public static func load(path: String, overrides: [String: String] = [:]) throws(RecipeError) -> TrainRecipe {
        let (root, resolved) = try RecipeNode.load(path: path, overrides: overrides)
        return try recipe(root, resolved: resolved)
    }

    public static func parse(_ text: String, file: String, overrides: [String: String] = [:]) throws(RecipeError) -> TrainRecipe {
        let (root, resolved) = try RecipeNode.parse(text, file: file, overrides: overrides)
        return try recipe(root, resolved: resolved)
    }

    private static func recipe(_ root: RecipeNode, resolved: String) throws(RecipeError) -> TrainRecipe {
        let top = try root.members(allowed: ["name", "seed", "parameters", "model", "output", "checkpoint",
                                             "activation_checkpointing", "defaults", "stages"])
        func required(_ key: String) throws(RecipeError) -> RecipeNode {
            guard let node = top[key] else { throw RecipeError(file: root.file, line: nil, path: key, message: "missing") }
            return node
        }
        let name = try required("name").string(), model = try required("model").string()
        let output = try required("output").string()
        let seed = try top["seed"]?.int() ?? 0
        guard seed >= 0 else { throw top["seed"]!.error("must be non-negative") }
        var every = 100, keep = 2
        if let node = top["checkpoint"] {
            let m = try node.members(allowed: ["every_steps", "keep"])
            every = try m["every_steps"]?.int() ?? every
            keep = try m["keep"]?.int() ?? keep
            guard every >= 1 else { throw m["every_steps"]!.error("must be at least 1") }
            guard keep >= 1 else { throw m["keep"]!.error("must be at least 1") }
        }
        let checkpointing: TrainRecipe.ActivationCheckpointing
        if let node = top["activation_checkpointing"] {
            if let flag = node.node.bool { checkpointing = flag ? .on : .off } else {
                guard let mode = TrainRecipe.ActivationCheckpointing(rawValue: try node.string()) else {
                    throw node.error("expected auto, true or false")
                }
                checkpointing = mode
            }
        } else {
            checkpointing = .auto
        }
        let defaults = try top["defaults"].map { node throws(RecipeError) in try node.members(allowed: stageKeys) } ?? [:]
        let stageNodes = try required("stages").items()
        guard !stageNodes.isEmpty else { throw try required("stages").error("at least one stage is needed") }
        var stages: [TrainRecipe.Stage] = []
        for node in stageNodes { stages.append(try stage(node, defaults: defaults)) }
        if let dup = RecipeNode.duplicate(stages.map(\.name)) { throw try required("stages").error("two stages are named '\(dup)'") }
        return TrainRecipe(
            name: name, seed: UInt64(seed), model: model, output: output,
            checkpointEverySteps: every, keepCheckpoints: keep, activationCheckpointing: checkpointing,
            stages: stages, resolvedText: resolved, sha256: SHA256.hex(Array(resolved.utf8)))
    }

    static let stageKeys = ["name", "data", "sequence_length", "tokens", "batch_tokens", "rope", "optimizer",
                            "document_masking", "restart_positions", "shuffle"]

    /// A stage's keys; any key may also come from `defaults:` (the stage's own value wins).
    private static func stage(_ node: RecipeNode, defaults: [String: RecipeNode]) throws(RecipeError) -> TrainRecipe.Stage {
        let own = try node.members(allowed: stageKeys)
        let m = defaults.merging(own) { _, stage in stage }
        func required(_ key: String) throws(RecipeError) -> RecipeNode {
            guard let value = m[key] else { throw node.error("missing '\(key)'") }
            return value
        }
        let name = try required("name").string()
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else { throw try required("name").error("not usable as a directory name") }
        let length = try required("sequence_length").int()
        guard length >= 2 else { throw try required("sequence_length").error("must be at least 2") }
        let tokens = try required("tokens").int()
        guard tokens >= 1 else { throw try required("tokens").error("must be positive") }
        let batch = try required("batch_tokens").int()
        guard batch >= length else { throw try required("batch_tokens").error("must be at least sequence_length (\(length))") }
        return TrainRecipe.Stage(
            name: name, data: try data(try required("data")), sequenceLength: length, tokens: tokens, batchTokens: batch,
            rope: try m["rope"].map(rope), optimizer: try optimizer(m["optimizer"]),
            documentMasking: try m["document_masking"]?.bool() ?? true,
            restartPositions: try m["restart_positions"]?.bool() ?? false,
            shuffle: try m["shuffle"]?.bool() ?? true)
    }

    /// `data:` is a list of `{name?, path, proportion}`; one entry may leave out its proportion.
    private static func data(_ node: RecipeNode) throws(RecipeError) -> [DomainMixture.Stream] {
        let items = try node.items()
        guard !items.isEmpty else { throw node.error("at least one dataset is needed") }
        var streams: [DomainMixture.Stream] = []
        for item in items {
            let m = try item.members(allowed: ["name", "path", "proportion"])
            guard let path = m["path"] else { throw item.error("missing 'path' (an MDS directory with index.json)") }
            let pathText = try path.string()
            let name = try m["name"]?.string() ?? String(pathText.split(separator: "/").last ?? Substring(pathText))
            let proportion = try m["proportion"]?.double() ?? (items.count == 1 ? 1 : -1)
            guard proportion >= 0 else {
                throw m["proportion"]?.error("must be between 0 and 1") ?? item.error("missing 'proportion' (needed with several datasets)")
            }
            streams.append(.init(name: name, path: pathText, proportion: proportion))
        }
        let sum = streams.reduce(0) { $0 + $1.proportion }
        guard abs(sum - 1) < 1e-6 else { throw node.error("proportions sum to \(sum), not 1") }
        if let dup = RecipeNode.duplicate(streams.map(\.name)) { throw node.error("two datasets are named '\(dup)': give them distinct names") }
        return streams
    }

    private static func rope(_ node: RecipeNode) throws(RecipeError) -> TrainRecipe.RoPEChange {
        guard let mapping = node.node.mapping else { throw node.error("expected a mapping") }
        var change = TrainRecipe.RoPEChange(theta: nil, scaling: [:], maxPositionEmbeddings: nil)
        for (key, value) in mapping {
            guard let name = key.string else { throw node.error("keys must be strings") }
            let child = RecipeNode(node: value, path: node.path + "." + name, file: node.file)
            switch name {
            case "theta", "rope_theta":
                let theta = try child.double()
                guard theta > 0 else { throw child.error("must be positive") }
                change.theta = theta
            case "max_position_embeddings":
                change.maxPositionEmbeddings = try child.int()
            default:
                if let number = value.float { change.scaling[name] = .number(number) }
                else if case .sequence = value { change.scaling[name] = .numbers(try child.items().map { item throws(RecipeError) in try item.double() }) }
                else { change.scaling[name] = .text(try child.string()) }
            }
        }
        if !change.scaling.isEmpty && change.scaling["rope_type"] == nil && change.scaling["type"] == nil {
            throw node.error("scaling fields need a rope_type (linear, dynamic, yarn, llama3, longrope)")
        }
        return change
    }

    private static func optimizer(_ node: RecipeNode?) throws(RecipeError) -> TrainRecipe.Optimizer {
        // ProLong's values (RECIPES.md section 2).
        var o = TrainRecipe.Optimizer(learningRate: 1e-5, minLearningRateRatio: 0.1, warmupRatio: 0.1, weightDecay: 0.1,
                                      beta1: 0.9, beta2: 0.95, epsilon: 1e-8, gradientClip: 1.0)
        guard let node else { return o }
        let m = try node.members(allowed: ["lr", "min_lr_ratio", "warmup_ratio", "weight_decay", "betas", "eps", "grad_clip"])
        func value(_ key: String, _ range: ClosedRange<Double>) throws(RecipeError) -> Double? {
            guard let child = m[key] else { return nil }
            let v = try child.double()
            guard range.contains(v) else { throw child.error("must be in \(range.lowerBound)...\(range.upperBound)") }
            return v
        }
        o.learningRate = try value("lr", 0...1) ?? o.learningRate
        o.minLearningRateRatio = try value("min_lr_ratio", 0...1) ?? o.minLearningRateRatio
        o.warmupRatio = try value("warmup_ratio", 0...1) ?? o.warmupRatio
        o.weightDecay = try value("weight_decay", 0...10) ?? o.weightDecay
        o.epsilon = try value("eps", 0...1) ?? o.epsilon
        o.gradientClip = try value("grad_clip", 0...1e9) ?? o.gradientClip
        if let betas = m["betas"] {
            let values = try betas.items().map { item throws(RecipeError) in try item.double() }
            guard values.count == 2, values.allSatisfy({ $0 >= 0 && $0 < 1 }) else { throw betas.error("expected [beta1, beta2], each in [0, 1)") }
            (o.beta1, o.beta2) = (values[0], values[1])
        }
        return o
    }
}
