import Corpus
import Foundation

/// The account of a build: what went in, what came out, what was left out and why. Made only
/// from the recipe and the units' results, so it is the same for a single run, a resumed run and
/// merged worker parts.
public struct Manifest: Codable, Sendable, Equatable {
    public var format = "longctx-data-manifest/1"
    public var toolVersion: String
    public var recipe: RecipeInfo
    public var tokenizer: TokenizerInfo
    public var stages: [Stage]
    public var warnings: [String]

    public struct RecipeInfo: Codable, Sendable, Equatable {
        public var name: String
        public var sha256: String
        public var seed: UInt64
        public var file = "recipe.yaml"
    }

    public struct TokenizerInfo: Codable, Sendable, Equatable {
        public var path: String
        public var sha256: String
    }

    public struct Stage: Codable, Sendable, Equatable {
        public var name: String
        public var sequenceLength: Int
        public var upsampling: String
        public var requestedTokens: Int
        public var tokens: Int
        public var sequences: Int
        public var sources: [Source]
        public var inputs: [Input]
    }

    public struct Source: Codable, Sendable, Equatable {
        public var name: String
        public var domain: String
        public var packing: String
        public var requestedProportion: Double
        public var achievedProportion: Double
        public var requestedTokens: Int
        public var tokens: Int
        public var sequences: Int
        public var documentsUsed: Int
        public var documentTokens: Int
        public var droppedTokens: Int
        public var partialTokensDiscarded: Int
        public var overBudgetTokens: Int
        public var epochs: Int
        public var exhausted: Bool
        public var shards: Int
    }

    public struct Input: Codable, Sendable, Equatable {
        public var unit: String
        public var paths: [String]
        public var epochs: Int
        public var documentsRead: Int
        public var tokensRead: Int
        public var filtered: [String: Int]
        public var skipped: [UnitState.Skip]
        public var files: [File]
    }

    public struct File: Codable, Sendable, Equatable {
        public var path: String
        public var bytesOnDisk: Int?
        public var textBytes: Int
        public var documentsRead: Int
        public var documentsUsed: Int
        public var skipped: Int
        public var tokens: Int
    }

    /// Builds the manifest from the plan and one completed state per unit.
    public init(plan: BuildPlan, results: [String: UnitState], tokenizer: TokenizerInfo, toolVersion: String) {
        self.toolVersion = toolVersion
        self.tokenizer = tokenizer
        let recipe = plan.recipe
        self.recipe = RecipeInfo(name: recipe.name, sha256: recipe.sha256, seed: recipe.seed)
        var warnings: [String] = []
        stages = recipe.stages.enumerated().map { s, stage in
            let units = plan.units.filter { $0.stageIndex == s }
            var byName: [String: UnitState.DestinationState] = [:]
            for unit in units { for d in results[unit.id]?.destinations ?? [] { byName[d.name] = d } }
            let shares = BuildPlan.shares(stage)
            let total = byName.values.reduce(0) { $0 + $1.sequences } * stage.sequenceLength
            let sources = stage.sources.enumerated().map { i, source in
                let d = byName[source.name]
                let tokens = (d?.sequences ?? 0) * stage.sequenceLength
                let requested = stage.upsampling.mode == .global ? nil : (d?.budgetSequences).map { $0 * stage.sequenceLength }
                if let d, d.exhausted {
                    warnings.append("stage \(stage.name), source \(source.name): inputs ran out after \(d.epochs) epoch(s) (max_epochs \(source.maxEpochs)); \(tokens) of \(requested.map(String.init) ?? "the stage's") tokens")
                } else if let d, d.epochs > 1 {
                    warnings.append("stage \(stage.name), source \(source.name): inputs repeated, \(d.epochs) epochs")
                }
                return Source(name: source.name, domain: source.domain, packing: source.packing.rawValue,
                              requestedProportion: shares[i], achievedProportion: total > 0 ? Double(tokens) / Double(total) : 0,
                              requestedTokens: requested ?? Int((Double(stage.tokens) * shares[i]).rounded()), tokens: tokens,
                              sequences: d?.sequences ?? 0, documentsUsed: d?.documentsUsed ?? 0,
                              documentTokens: d?.documentTokens ?? 0, droppedTokens: d?.droppedTokens ?? 0,
                              partialTokensDiscarded: d?.partialTokensDiscarded ?? 0, overBudgetTokens: d?.overBudgetTokens ?? 0,
                              epochs: d?.epochs ?? 0, exhausted: d?.exhausted ?? false, shards: d?.shards.count ?? 0)
            }
            let inputs = units.flatMap { unit in
                (results[unit.id]?.streams ?? []).map { stream in
                    let skipsPerFile = Dictionary(grouping: stream.skipped, by: \.file).mapValues(\.count)
                    let paths = Set(stream.files.keys).union(skipsPerFile.keys).sorted()
                    return Input(unit: unit.id, paths: stream.inputs, epochs: stream.epoch + 1, documentsRead: stream.documentsRead,
                                 tokensRead: stream.tokensRead, filtered: stream.filtered, skipped: stream.skipped,
                                 files: paths.map { path in
                                     let f = stream.files[path] ?? .init()
                                     return File(path: path, bytesOnDisk: Self.regularFileSize(path), textBytes: f.textBytes,
                                                 documentsRead: f.documentsRead, documentsUsed: f.documentsUsed,
                                                 skipped: skipsPerFile[path] ?? 0, tokens: f.tokens)
                                 })
                }
            }
            return Stage(name: stage.name, sequenceLength: stage.sequenceLength, upsampling: stage.upsampling.mode.rawValue,
                         requestedTokens: stage.tokens, tokens: total, sequences: total / stage.sequenceLength,
                         sources: sources, inputs: inputs)
        }
        self.warnings = warnings
    }

    static func regularFileSize(_ path: String) -> Int? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              attributes[.type] as? FileAttributeType == .typeRegular else { return nil }
        return (attributes[.size] as? NSNumber)?.intValue
    }
}
