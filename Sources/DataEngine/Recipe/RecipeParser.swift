import Corpus
import Formats
import RecipeSupport

/// Reads a recipe: parameter substitution, YAML, then validation with file:line errors.
public enum RecipeParser {
    public static func load(path: String, overrides: [String: String] = [:]) throws -> Recipe {
        let (root, resolved) = try RecipeNode.load(path: path, overrides: overrides)
        return try recipe(root, resolved: resolved)
    }

    public static func parse(_ text: String, file: String, overrides: [String: String] = [:]) throws(RecipeError) -> Recipe {
        let (root, resolved) = try RecipeNode.parse(text, file: file, overrides: overrides)
        return try recipe(root, resolved: resolved)
    }

    private static func recipe(_ root: RecipeNode, resolved: String) throws(RecipeError) -> Recipe {
        let file = root.file
        let top = try root
            .members(allowed: ["name", "seed", "tokenizer", "parameters", "output", "document", "stages"])
        func required(_ key: String) throws(RecipeError) -> RecipeNode {
            guard let node = top[key] else { throw RecipeError(file: file, line: nil, path: key, message: "missing") }
            return node
        }
        let stageNodes = try required("stages").items()
        guard !stageNodes.isEmpty else { throw try required("stages").error("at least one stage is needed") }
        var stages: [Recipe.Stage] = []
        for node in stageNodes { stages.append(try stage(node)) }
        if let dup = RecipeNode.duplicate(stages.map(\.name)) { throw try required("stages").error("two stages are named '\(dup)'") }
        let seed = try top["seed"]?.int() ?? 0
        guard seed >= 0 else { throw top["seed"]!.error("must be non-negative") }
        return Recipe(
            name: try required("name").string(),
            seed: UInt64(seed),
            tokenizer: try required("tokenizer").string(),
            output: try top["output"].map(output) ?? Recipe.Output(),
            document: try top["document"].map(documentTokens) ?? Recipe.DocumentTokens(),
            stages: stages,
            resolvedText: resolved,
            sha256: SHA256.hex(Array(resolved.utf8))
        )
    }

    private static func output(_ node: RecipeNode) throws(RecipeError) -> Recipe.Output {
        let m = try node.members(allowed: ["shard_size", "compression"])
        var out = Recipe.Output()
        if let size = m["shard_size"] {
            out.shardSize = try size.int()
            guard out.shardSize > 0 && out.shardSize < 1 << 32 else { throw size.error("must be in 1..<2^32 bytes") }
        }
        if let compression = m["compression"] {
            let value = try compression.string()
            if value != "none" {
                guard value == "zstd" || (value.hasPrefix("zstd:") && Int(value.dropFirst(5)).map({ (1...22).contains($0) }) == true) else {
                    throw compression.error("expected none, zstd or zstd:LEVEL (1-22)")
                }
                out.compression = value
            }
        }
        return out
    }

    private static func documentTokens(_ node: RecipeNode) throws(RecipeError) -> Recipe.DocumentTokens {
        let m = try node.members(allowed: ["bos", "eos", "separator"])
        var out = Recipe.DocumentTokens()
        out.bos = try m["bos"]?.bool() ?? false
        out.eos = try m["eos"]?.bool() ?? false
        out.separator = try m["separator"]?.string()
        return out
    }

    private static func stage(_ node: RecipeNode) throws(RecipeError) -> Recipe.Stage {
        let m = try node.members(allowed: ["name", "sequence_length", "tokens", "upsampling", "sources"])
        guard let nameNode = m["name"], let lengthNode = m["sequence_length"], let tokensNode = m["tokens"], let sourcesNode = m["sources"] else {
            throw node.error("a stage needs name, sequence_length, tokens and sources")
        }
        let name = try nameNode.string()
        guard isPathComponent(name) else { throw nameNode.error("'\(name)' cannot be a directory name") }
        let length = try lengthNode.int()
        guard length > 0 && length <= 1 << 28 else { throw lengthNode.error("must be in 1...2^28") }
        let tokens = try tokensNode.int()
        guard tokens > 0 else { throw tokensNode.error("must be positive") }
        let upsampling = try m["upsampling"].map(upsamplingRule) ?? Recipe.Upsampling()
        var sources: [Recipe.Source] = []
        for item in try sourcesNode.items() { sources.append(try source(item, sequenceLength: length)) }
        guard !sources.isEmpty else { throw sourcesNode.error("at least one source is needed") }
        if let dup = RecipeNode.duplicate(sources.map(\.name)) { throw sourcesNode.error("two sources are named '\(dup)'") }
        let total = sources.reduce(0) { $0 + $1.proportion }
        guard abs(total - 1) < 1e-6 else {
            throw sourcesNode.error("proportions sum to \((total * 1e9).rounded() / 1e9), not 1")
        }
        if upsampling.mode == .global {
            var seen = Set<Recipe.Input>()
            for s in sources { for input in s.inputs where !seen.insert(input).inserted {
                throw sourcesNode.error("global upsampling reads each input once; '\(input.path)' is listed by two sources")
            } }
        }
        return Recipe.Stage(name: name, sequenceLength: length, tokens: tokens, upsampling: upsampling, sources: sources)
    }

    private static func upsamplingRule(_ node: RecipeNode) throws(RecipeError) -> Recipe.Upsampling {
        let m = try node.members(allowed: ["mode", "threshold", "keep_probability"])
        var out = Recipe.Upsampling()
        if let mode = m["mode"] {
            let text = try mode.string()
            guard let value = Recipe.Upsampling.Mode(rawValue: text) else {
                throw mode.error("unknown mode '\(text)' (expected \(Recipe.Upsampling.Mode.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            out.mode = value
        }
        if let t = m["threshold"] { out.threshold = try t.int(); guard out.threshold > 0 else { throw t.error("must be positive") } }
        if let p = m["keep_probability"] {
            out.keepProbability = try p.double()
            guard (0...1).contains(out.keepProbability) else { throw p.error("must be in [0, 1]") }
        }
        return out
    }

    private static func source(_ node: RecipeNode, sequenceLength: Int) throws(RecipeError) -> Recipe.Source {
        let m = try node.members(allowed: ["name", "domain", "input", "inputs", "proportion", "upweight", "min_length",
                                           "packing", "piece_length", "max_epochs", "text_field", "metadata_fields"])
        guard let nameNode = m["name"], let proportionNode = m["proportion"] else { throw node.error("a source needs name and proportion") }
        let name = try nameNode.string()
        guard isPathComponent(name) else { throw nameNode.error("'\(name)' cannot be a directory name") }
        let textField = try m["text_field"]?.string() ?? "text"
        let metadataFields = try m["metadata_fields"]?.stringList() ?? []
        var inputs: [Recipe.Input] = []
        switch (m["input"], m["inputs"]) {
        case (let one?, nil): inputs = [try input(one, textField: textField, metadataFields: metadataFields)]
        case (nil, let many?):
            for item in try many.items() { inputs.append(try input(item, textField: textField, metadataFields: metadataFields)) }
            guard !inputs.isEmpty else { throw many.error("at least one input is needed") }
        case (nil, nil): throw node.error("a source needs input or inputs")
        default: throw node.error("give input or inputs, not both")
        }
        let proportion = try proportionNode.double()
        guard proportion >= 0 else { throw proportionNode.error("must be non-negative") }
        var packing = SequencePacker.Mode.pretrain
        if let p = m["packing"] {
            let text = try p.string()
            guard let mode = SequencePacker.Mode(rawValue: text) else { throw p.error("unknown packing '\(text)' (expected long, pretrain or sft)") }
            packing = mode
        }
        let pieceLength = try m["piece_length"]?.int() ?? sequenceLength
        if let p = m["piece_length"] {
            guard packing == .long else { throw p.error("piece_length applies to long packing only") }
            guard pieceLength > 0, sequenceLength % pieceLength == 0 else { throw p.error("must divide the stage's sequence_length \(sequenceLength)") }
        }
        let minLength = try m["min_length"]?.int() ?? (packing == .long ? pieceLength : 1)
        let upweight = try m["upweight"]?.double() ?? 1
        guard upweight > 0 else { throw m["upweight"]!.error("must be positive") }
        let maxEpochs = try m["max_epochs"]?.int() ?? 1
        guard maxEpochs >= 1 else { throw m["max_epochs"]!.error("must be at least 1") }
        let domain = try m["domain"]?.string() ?? name
        return Recipe.Source(name: name, domain: domain, inputs: inputs, proportion: proportion, upweight: upweight,
                             minLength: max(1, minLength), packing: packing, pieceLength: pieceLength, maxEpochs: maxEpochs)
    }

    /// `path`, `KIND:path`, or a mapping {path, kind, text_field, metadata_fields}.
    private static func input(_ node: RecipeNode, textField: String, metadataFields: [String]) throws(RecipeError) -> Recipe.Input {
        if case .scalar = node.node {
            let spec: SourceSpec
            do { spec = try SourceSpec(parsing: "input=" + (try node.string())) } catch { throw node.error("\(error)") }
            return Recipe.Input(path: spec.path, kind: spec.kind, textField: textField, metadataFields: metadataFields)
        }
        let m = try node.members(allowed: ["path", "kind", "text_field", "metadata_fields"])
        guard let pathNode = m["path"] else { throw node.error("an input needs a path") }
        var text = try pathNode.string()
        if let kindNode = m["kind"] {
            let kind = try kindNode.string()
            guard SourceSpec.Kind(rawValue: kind) != nil else {
                throw kindNode.error("unknown kind '\(kind)' (expected \(SourceSpec.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            text = kind + ":" + text
        }
        let spec: SourceSpec
        do { spec = try SourceSpec(parsing: "input=" + text) } catch { throw node.error("\(error)") }
        return Recipe.Input(path: spec.path, kind: spec.kind, textField: try m["text_field"]?.string() ?? textField,
                            metadataFields: try m["metadata_fields"]?.stringList() ?? metadataFields)
    }

    private static func isPathComponent(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.hasPrefix(".") && !name.contains("/")
    }}
