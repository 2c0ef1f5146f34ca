import Corpus
import Tokenization

/// Runs one unit of a build: reads and tokenizes its documents, applies the recipe's filters,
/// sends each document to a destination, packs it and writes the sequences as MDS. Checkpoints
/// after every shard; starts from a checkpoint when one exists.
final class UnitRunner {
    struct Context {
        let recipe: Recipe
        /// Loading on its own thread when the unit starts: documents are read meanwhile.
        let tokenizer: Pending<LoadedTokenizer>
        let threads: Int
        let layout: BuildLayout
        let strict: Bool
        /// Called after every document with the unit's state (for progress lines).
        var onProgress: (UnitState) -> Void = { _ in }
        /// Test hook: called once each checkpoint is on disk; throwing simulates a kill there.
        var afterCheckpoint: ((Int) throws -> Void)?
    }

    let unit: BuildPlan.Unit
    let context: Context
    private let stage: Recipe.Stage
    /// Fu et al.'s short-document drop and the reason it records, when the stage's mode has one.
    private let upsampling: (KeepDecision, String)?
    private var state: UnitState
    private var writers: [MDSWriter] = []
    /// Shards and checkpoints are written here, in order, behind the encoding.
    private let writeBehind = WriteBehindQueue()
    private var streams: [TokenizedStream] = []
    private var checkpoints = 0
    private var shardsAtCheckpoint = 0
    /// The tokens around every document, taken from the loaded tokenizer once.
    private var ends: ([UInt32], [UInt32])?

    init(unit: BuildPlan.Unit, context: Context) {
        self.unit = unit
        self.context = context
        stage = context.recipe.stages[unit.stageIndex]
        let rule = stage.upsampling
        upsampling = rule.mode == .perSource || rule.mode == .global
            ? (KeepDecision(threshold: rule.threshold, keepProbability: rule.keepProbability),
               "shorter than \(rule.threshold) tokens, not drawn (keep probability \(rule.keepProbability))")
            : nil
        state = UnitState(
            unit: unit.id,
            destinations: zip(unit.destinations, unit.budgets).map { index, budget in
                let s = context.recipe.stages[unit.stageIndex].sources[index]
                return .init(name: s.name, domain: s.domain, budgetSequences: budget,
                             packer: SequencePacker(length: context.recipe.stages[unit.stageIndex].sequenceLength,
                                                    mode: s.packing, pieceLength: s.pieceLength))
            },
            streams: unit.streams.map { UnitState.StreamState(inputs: $0.map(\.path)) })
    }

    /// Runs the unit to completion and returns its final state.
    func run() throws -> UnitState {
        try prepare()
        defer {
            streams.forEach { $0.close() }
            try? writeBehind.drain()  // nothing of this unit is written after it returns, even when it throws
        }
        while let s = nextStream() {
            guard let item = try streams[s].next() else {
                try endOfPass(s)
                continue
            }
            try consume(item, stream: s)
            context.onProgress(state)
            if writers.reduce(0, { $0 + $1.shardsBegun }) > shardsAtCheckpoint { try checkpoint() }
        }
        // Encoding is over: the last shards, compressed after everything else, get every core.
        streams.forEach { $0.close() }
        for d in state.destinations.indices {
            state.destinations[d].partialTokensDiscarded += state.destinations[d].packer.discardPartial()
            writers[d].compressionWorkers = context.threads
            try writers[d].finish()
            state.destinations[d].shards = writers[d].writtenShards
            state.destinations[d].buffer = nil
        }
        state.complete = true
        try context.layout.saveState(state, final: true)
        return state
    }

    // MARK: - Decisions

    /// The stream to read next: the only one, or in global mode the one furthest behind its share
    /// of raw tokens (so the unfiltered stream follows the original mixture). nil when done.
    private func nextStream() -> Int? {
        if let stageBudget = unit.stageBudget {
            guard state.destinations.reduce(0, { $0 + $1.sequences }) < stageBudget else { return nil }
            let open = state.streams.indices.filter { !state.streams[$0].finished }
            return open.min { a, b in
                let pa = stage.sources[unit.destinations[a]].proportion, pb = stage.sources[unit.destinations[b]].proportion
                let ra = pa > 0 ? Double(state.streams[a].tokensRead) / pa : .infinity
                let rb = pb > 0 ? Double(state.streams[b].tokensRead) / pb : .infinity
                return ra != rb ? ra < rb : a < b
            }
        }
        guard !state.streams[0].finished, state.destinations.contains(where: { wantsMore($0) }) else { return nil }
        return 0
    }

    private func wantsMore(_ d: UnitState.DestinationState) -> Bool {
        guard let budget = d.budgetSequences else { return true }
        return d.sequences < budget
    }

    private func consume(_ item: TokenizedStream.Item, stream s: Int) throws {
        try record(item.skipsBefore, stream: s)
        let epoch = state.streams[s].epoch
        let length = item.tokens.count
        state.streams[s].consumed += 1
        state.streams[s].documentsRead += 1
        state.streams[s].tokensRead += length
        let file = item.document.source
        state.streams[s].files[file, default: .init()].documentsRead += 1
        state.streams[s].files[file, default: .init()].textBytes += item.document.text.utf8.count
        state.streams[s].files[file, default: .init()].tokens += length

        if let (keep, reason) = upsampling, !keep.keeps(length: length, seed: context.recipe.seed, stream: "\(unit.id)/\(s)",
                                                         epoch: epoch, ordinal: state.streams[s].consumed - 1) {
            state.streams[s].filtered[reason, default: 0] += 1
            return
        }
        let candidates = unit.stageBudget == nil ? Array(state.destinations.indices) : [s]
        let open = candidates.filter { d in
            wantsMore(state.destinations[d]) && epoch < stage.sources[unit.destinations[d]].maxEpochs
        }
        let eligible = open.filter { length >= stage.sources[unit.destinations[$0]].minLength }
        guard let d = eligible.min(by: { fill($0) != fill($1) ? fill($0) < fill($1) : $0 < $1 }) else {
            let shortest = open.map { stage.sources[unit.destinations[$0]].minLength }.min() ?? 0
            state.streams[s].filtered["shorter than min_length \(shortest)", default: 0] += 1
            return
        }
        let (prefix, suffix) = try documentEnds()
        let tokens = prefix.isEmpty && suffix.isEmpty ? item.tokens : prefix + item.tokens + suffix  // no copy for nothing
        state.destinations[d].documentsUsed += 1
        state.destinations[d].documentTokens += tokens.count
        state.destinations[d].epochs = max(state.destinations[d].epochs, epoch + 1)
        state.streams[s].files[file, default: .init()].documentsUsed += 1
        let writer = writers[d]
        let domain = state.destinations[d].domain
        let before = state.destinations[d].packer.droppedTokens
        var packer = state.destinations[d].packer
        var written = 0
        let sequences = state.destinations[d].sequences, budget = state.destinations[d].budgetSequences
        let stageRemaining = unit.stageBudget.map { $0 - state.destinations.reduce(0) { $0 + $1.sequences } }
        let unused = try packer.add(tokens) { sequence in
            try writer.write(sample: sequence.sample(domain: domain))
            written += 1
            if let budget, sequences + written >= budget { return false }
            if let stageRemaining, written >= stageRemaining { return false }
            return true
        }
        state.destinations[d].sequences += written
        state.destinations[d].overBudgetTokens += unused
        state.destinations[d].droppedTokens += packer.droppedTokens - before
        state.destinations[d].packer = packer
    }

    /// Share of its budget a destination has filled (picks where a document shared by several
    /// sources goes, so the 512K and 64K parts of a source fill together).
    private func fill(_ d: Int) -> Double {
        guard let budget = state.destinations[d].budgetSequences, budget > 0 else { return 0 }
        return Double(state.destinations[d].sequences) / Double(budget)
    }

    private func endOfPass(_ s: Int) throws {
        try record(streams[s].trailingSkips, stream: s)
        let epoch = state.streams[s].epoch
        let served = unit.stageBudget == nil ? Array(state.destinations.indices) : [s]
        let again = served.filter { d in
            wantsMore(state.destinations[d]) && epoch + 1 < stage.sources[unit.destinations[d]].maxEpochs
        }
        // Another pass only if this one was useful (else the budget can never be met).
        let usedThisPass = served.contains { state.destinations[$0].epochs == epoch + 1 }
        if !again.isEmpty && usedThisPass {
            state.streams[s].epoch += 1
            state.streams[s].consumed = 0
            streams[s].restart()
            return
        }
        state.streams[s].finished = true
        for d in served where wantsMore(state.destinations[d]) && unit.stageBudget == nil {
            state.destinations[d].exhausted = true
        }
        if unit.stageBudget != nil && state.streams.allSatisfy(\.finished) {
            for d in state.destinations.indices { state.destinations[d].exhausted = true }
        }
    }

    private func record(_ skips: [SkipRecord], stream s: Int) throws {
        guard !skips.isEmpty, state.streams[s].epoch == 0 else { return }
        if context.strict, let first = skips.first { throw BuildError.strict(first.description) }
        state.streams[s].skipped += skips.map(UnitState.Skip.init)
    }

    // MARK: - Start, resume and checkpoints

    private func prepare() throws {
        let loading = context.tokenizer
        streams = unit.streams.map {
            TokenizedStream(inputs: $0, tokenizer: { try loading.value().tokenizer }, threads: context.threads, seed: context.recipe.seed)
        }
        let layout = context.layout
        if let saved = try layout.loadCheckpoint(unit: unit.id) {
            guard saved.destinations.map(\.name) == state.destinations.map(\.name),
                  saved.streams.map(\.inputs) == state.streams.map(\.inputs),
                  zip(saved.destinations, state.destinations).allSatisfy({ $0.budgetSequences == $1.budgetSequences }) else {
                throw BuildError.resumeMismatch("checkpoint of unit \(unit.id) was made with a different recipe")
            }
            state = saved
            // A new stream is at the start of a pass, whichever epoch the checkpoint is in.
            for (s, stream) in streams.enumerated() { stream.skip(state.streams[s].consumed) }
        }
        writers = []
        for d in state.destinations.indices {
            let directory = layout.streamDirectory(stage: stage.name, source: state.destinations[d].name)
            try layout.clearStream(directory, keeping: state.destinations[d].shards)
            writers.append(try MDSWriter(directory: directory, columns: PackedSequence.mdsColumns,
                                         sizeLimit: context.recipe.output.shardSize, compression: context.recipe.output.compression,
                                         compressionWorkers: Self.compressionWorkers(encoders: context.threads),
                                         resuming: state.destinations[d].shards,
                                         buffered: try layout.loadBuffer(state.destinations[d].buffer), writeBehind: writeBehind))
        }
        shardsAtCheckpoint = writers.reduce(0) { $0 + $1.shardsBegun }
    }

    /// The tokens before and after every document, taken from the loaded tokenizer at the first document (it is
    /// loaded by then: that document was encoded), so that later documents do not each take the Pending's lock.
    private func documentEnds() throws -> ([UInt32], [UInt32]) {
        if let ends { return ends }
        let loaded = try context.tokenizer.value()
        ends = (loaded.documentPrefix, loaded.documentSuffix)
        return ends!
    }

    /// zstd at level 3 compresses token data about eight times as fast as one encoder thread makes it, so one
    /// worker per four encoders keeps a single shard writer from limiting a many-core build.
    static func compressionWorkers(encoders: Int) -> Int { max(1, encoders / 4) }

    /// Saves the state with the written shards and, beside it, the samples buffered for the next shards: all
    /// output so far is then on disk and a rerun starts exactly here, writing the shards an uninterrupted run
    /// would (closing the open shards instead would leave a small shard after every full one). The save is
    /// queued behind the shards begun so far, so it happens once they are on disk, while encoding goes on.
    private func checkpoint() throws {
        shardsAtCheckpoint = writers.reduce(0) { $0 + $1.shardsBegun }
        let snapshot = state, layout = context.layout, unitID = unit.id, shardCount = shardsAtCheckpoint
        let buffered = writers.map(\.bufferedData), finished = writers.map(\.finishedShards)
        try writeBehind.submit {
            var saved = snapshot
            for d in saved.destinations.indices {
                saved.destinations[d].shards = finished[d].all
                saved.destinations[d].buffer = try layout.saveBuffer(buffered[d], unit: unitID, destination: d, afterShards: shardCount)
            }
            try layout.saveState(saved, final: false)
            layout.removeBuffers(unit: unitID, keeping: Set(saved.destinations.compactMap(\.buffer)))
        }
        checkpoints += 1
        if let hook = context.afterCheckpoint {
            try writeBehind.drain()
            try hook(checkpoints)
        }
    }
}
