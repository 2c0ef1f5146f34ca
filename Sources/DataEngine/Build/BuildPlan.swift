/// How a recipe's work divides into units. A unit is one stage's sources that read the same inputs
/// (sources that share inputs draw distinct documents from one stream, as ProLong's 512K stage
/// splits each long source between 512K and 64K sequences), or a whole stage in `global` mode.
/// Units are independent and deterministic, so they can run in any order, on any worker, be
/// resumed, and be merged into output identical to one uninterrupted run.
public struct BuildPlan: Sendable {
    public struct Unit: Sendable, Equatable {
        /// "STAGE.K": stable across runs of the same recipe.
        public let id: String
        public let stageIndex: Int
        /// Indices into the stage's sources: where this unit's documents go.
        public let destinations: [Int]
        /// The document streams: one shared stream, or one per source in `global` mode.
        public let streams: [[Recipe.Input]]
        /// Sequences each destination should produce (nil: limited by `stageBudget` only).
        public let budgets: [Int?]
        /// `global` mode: sequences for the whole stage.
        public let stageBudget: Int?
        /// Requested tokens (for balancing workers and for ETA).
        public let requestedTokens: Int
    }

    public let recipe: Recipe
    public let units: [Unit]

    public init(recipe: Recipe) {
        self.recipe = recipe
        var units: [Unit] = []
        for (s, stage) in recipe.stages.enumerated() {
            let shares = Self.shares(stage)
            let budgets = shares.map { Int((Double(stage.tokens) * $0 / Double(stage.sequenceLength)).rounded()) }
            if stage.upsampling.mode == .global {
                let total = Int((Double(stage.tokens) / Double(stage.sequenceLength)).rounded())
                units.append(Unit(id: "\(stage.name).0", stageIndex: s, destinations: Array(stage.sources.indices),
                                  streams: stage.sources.map(\.inputs), budgets: stage.sources.map { _ in nil },
                                  stageBudget: total, requestedTokens: stage.tokens))
                continue
            }
            var groups: [[Recipe.Input]] = []
            var members: [[Int]] = []
            for (i, source) in stage.sources.enumerated() {
                if let g = groups.firstIndex(of: source.inputs) { members[g].append(i) } else {
                    groups.append(source.inputs)
                    members.append([i])
                }
            }
            for (g, group) in groups.enumerated() {
                let own = members[g].map { budgets[$0] }
                units.append(Unit(id: "\(stage.name).\(g)", stageIndex: s, destinations: members[g], streams: [group],
                                  budgets: own, stageBudget: nil,
                                  requestedTokens: own.reduce(0, +) * stage.sequenceLength))
            }
        }
        self.units = units
    }

    /// Each source's share of the stage's tokens.
    public static func shares(_ stage: Recipe.Stage) -> [Double] {
        guard stage.upsampling.mode == .domainUpweight else { return stage.sources.map(\.proportion) }
        let weighted = stage.sources.map { $0.proportion * $0.upweight }
        let total = weighted.reduce(0, +)
        return weighted.map { total > 0 ? $0 / total : 0 }
    }

    /// The units worker `index` of `count` runs: longest-processing-time-first over requested
    /// tokens, so parts are balanced; a pure function of the recipe.
    public func units(worker index: Int, of count: Int) -> [Unit] {
        precondition(count >= 1 && (0..<count).contains(index))
        var load = [Int](repeating: 0, count: count)
        var owner: [String: Int] = [:]
        let order = units.indices.sorted { units[$0].requestedTokens != units[$1].requestedTokens
            ? units[$0].requestedTokens > units[$1].requestedTokens : $0 < $1 }
        for u in order {
            let w = load.indices.min { load[$0] != load[$1] ? load[$0] < load[$1] : $0 < $1 }!
            owner[units[u].id] = w
            load[w] += units[u].requestedTokens
        }
        return units.filter { owner[$0.id] == index }
    }
}
