import Corpus
import Formats
import Foundation
import Tokenization

/// `longctx data build`: runs a recipe (or one worker's share of it) into an output directory,
/// skipping units already complete and resuming the one a kill interrupted.
public final class DataBuilder {
    public struct Options {
        public var output: String
        public var worker = 0
        public var workers = 1
        public var threads: Int
        public var strict = false
        public var toolVersion = "0"
        /// (unit id, its state) after every document.
        public var onProgress: (String, UnitState) -> Void = { _, _ in }
        /// Test hook, see UnitRunner.Context.afterCheckpoint.
        public var afterCheckpoint: ((String, Int) throws -> Void)?

        public init(output: String, threads: Int) {
            self.output = output
            self.threads = threads
        }
    }

    public let recipe: Recipe
    public let plan: BuildPlan
    public let options: Options
    let layout: BuildLayout

    public init(recipe: Recipe, options: Options) {
        self.recipe = recipe
        self.plan = BuildPlan(recipe: recipe)
        self.options = options
        layout = BuildLayout(root: options.output)
    }

    /// The units this run will make.
    public var myUnits: [BuildPlan.Unit] { plan.units(worker: options.worker, of: options.workers) }

    /// Runs this worker's units; with a single worker also writes the stage indexes and the
    /// manifest (parts get them from `DataMerge`). Returns the manifest when one was written.
    @discardableResult
    public func run() throws -> Manifest? {
        try claimOutput()
        // The units start reading while the tokenizer loads; nothing is encoded or written before it is loaded and
        // checked against the one a resumed run used.
        let loading = Pending { [recipe, layout] in try DataBuilder.loadTokenizer(recipe: recipe, layout: layout) }
        let context = UnitRunner.Context(recipe: recipe, tokenizer: loading, threads: options.threads, layout: layout,
                                         strict: options.strict)
        for unit in myUnits where try layout.loadResult(unit: unit.id)?.complete != true {
            var unitContext = context
            unitContext.onProgress = { [options] in options.onProgress(unit.id, $0) }
            if let hook = options.afterCheckpoint { unitContext.afterCheckpoint = { try hook(unit.id, $0) } }
            _ = try UnitRunner(unit: unit, context: unitContext).run()
        }
        let info = try loading.value().info
        guard options.workers == 1 else { return nil }
        return try DataBuilder.finalize(plan: plan, layout: layout, tokenizer: info, toolVersion: options.toolVersion)
    }

    /// Writes each stage's combined index.json and the manifest from the units' results.
    static func finalize(plan: BuildPlan, layout: BuildLayout, tokenizer: Manifest.TokenizerInfo, toolVersion: String) throws -> Manifest {
        var results: [String: UnitState] = [:]
        for unit in plan.units {
            guard let state = try layout.loadResult(unit: unit.id), state.complete else {
                throw BuildError.merge("unit \(unit.id) has no result in \(layout.root)")
            }
            results[unit.id] = state
        }
        for stage in plan.recipe.stages {
            let parts = try stage.sources.map { source in
                (subdirectory: source.name, index: try MDSIndex.read(directory: layout.streamDirectory(stage: stage.name, source: source.name)))
            }
            try MDSIndex.merging(parts).write(directory: layout.root + "/" + stage.name)
        }
        let manifest = Manifest(plan: plan, results: results, tokenizer: tokenizer, toolVersion: toolVersion)
        try writeAtomically(layout.manifestPath, data: Manifest.encode(manifest))
        return manifest
    }

    /// An output directory belongs to one resolved recipe (and one worker split): a rerun with the
    /// same ones resumes, anything else is refused rather than mixed in.
    private func claimOutput() throws {
        try makeDirectory(layout.root)
        let text = Data(recipe.resolvedText.utf8)
        if let existing = FileManager.default.contents(atPath: layout.recipePath) {
            guard existing == text else {
                throw BuildError.resumeMismatch("\(layout.root) holds a build of a different recipe (or different --set values); use another --out")
            }
        } else {
            try writeAtomically(layout.recipePath, data: text)
        }
        let part = options.workers > 1 ? Data("{\"worker\": \(options.worker), \"workers\": \(options.workers)}\n".utf8) : nil
        let existingPart = FileManager.default.contents(atPath: layout.partPath)
        guard existingPart == part || (existingPart == nil && !FileManager.default.fileExists(atPath: layout.stateDirectory)) else {
            throw BuildError.resumeMismatch("\(layout.root) was started with a different --worker/--workers split")
        }
        if let part, existingPart == nil { try writeAtomically(layout.partPath, data: part) }
    }

    /// The tokenizer, the manifest's record of it (saved, and checked against a resumed run's) and the tokens
    /// around each document. The file's hash is computed beside the load (on the other core).
    private static func loadTokenizer(recipe: Recipe, layout: BuildLayout) throws -> LoadedTokenizer {
        let path = recipe.tokenizer
        var file = path
        if pathKind(file) == .directory { file += "/tokenizer.json" }
        let (sha256, tokenizer) = try inParallel({ [file] in SHA256.hex(try readFileBytes(file)) },
                                                 { try Tokenizer.load(path: path, encoding: nil) })
        let info = Manifest.TokenizerInfo(path: path, sha256: sha256)
        try layout.saveTokenizerInfo(info)
        return LoadedTokenizer(tokenizer: tokenizer, info: info, documentPrefix: try prefix(tokenizer, recipe),
                               documentSuffix: try suffix(tokenizer, recipe))
    }

    private static func prefix(_ tokenizer: Tokenizer, _ recipe: Recipe) throws -> [UInt32] {
        guard recipe.document.bos else { return [] }
        guard let bos = tokenizer.bosTokenID else { throw BuildError.tokenizer("document.bos is set but \(recipe.tokenizer) has no BOS token") }
        return [bos]
    }

    private static func suffix(_ tokenizer: Tokenizer, _ recipe: Recipe) throws -> [UInt32] {
        var out: [UInt32] = []
        if recipe.document.eos {
            guard let eos = tokenizer.eosTokenID else { throw BuildError.tokenizer("document.eos is set but \(recipe.tokenizer) has no EOS token") }
            out.append(eos)
        }
        if let separator = recipe.document.separator {
            let ids = tokenizer.encode(separator, parseSpecialTokens: true)
            guard !ids.isEmpty else { throw BuildError.tokenizer("document.separator '\(separator)' encodes to no tokens") }
            out += ids
        }
        return out
    }
}

/// What the units of a build need of its tokenizer.
struct LoadedTokenizer: Sendable {
    let tokenizer: Tokenizer
    let info: Manifest.TokenizerInfo
    /// Tokens before and after every document (BOS, EOS, separator).
    let documentPrefix: [UInt32]
    let documentSuffix: [UInt32]
}

extension Manifest {
    static func encode(_ manifest: Manifest) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try encoder.encode(manifest) + Data("\n".utf8)
    }

    public static func read(_ path: String) throws -> Manifest {
        guard let data = FileManager.default.contents(atPath: path) else { throw BuildError.output(path: path, reason: "cannot read") }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Manifest.self, from: data)
    }
}

extension BuildLayout {
    var tokenizerInfoPath: String { stateDirectory + "/tokenizer.json" }

    func saveTokenizerInfo(_ info: Manifest.TokenizerInfo) throws {
        try makeDirectory(stateDirectory)
        let data = try BuildLayout.encode(info)
        if let existing = FileManager.default.contents(atPath: tokenizerInfoPath), existing != data {
            throw BuildError.resumeMismatch("\(root) was started with a different tokenizer")
        }
        try writeAtomically(tokenizerInfoPath, data: data)
    }

    func loadTokenizerInfo() throws -> Manifest.TokenizerInfo {
        guard let data = FileManager.default.contents(atPath: tokenizerInfoPath) else {
            throw BuildError.merge("\(root) has no \(tokenizerInfoPath): not a build output")
        }
        return try JSONDecoder().decode(Manifest.TokenizerInfo.self, from: data)
    }
}
