import Corpus

/// Everything a unit has done so far. Saved as a checkpoint after every shard so a killed build
/// resumes exactly, and saved as the unit's result when it completes (the manifest is built from
/// results only, so a merged build and a single run write the same manifest).
public struct UnitState: Codable, Sendable, Equatable {
    public var unit: String
    public var complete = false
    public var destinations: [DestinationState]
    public var streams: [StreamState]

    public struct DestinationState: Codable, Sendable, Equatable {
        public var name: String
        public var domain: String
        public var budgetSequences: Int?
        public var sequences = 0
        /// Documents (or pieces of) this destination accepted, and their tokens incl. separators.
        public var documentsUsed = 0
        public var documentTokens = 0
        /// Accepted tokens no sequence holds: long-document tails shorter than a piece and SFT overflow.
        public var droppedTokens = 0
        /// The last, partly filled sequence at the end of the build (sequences are exact-length).
        public var partialTokensDiscarded = 0
        /// The rest of the document that completed the budget.
        public var overBudgetTokens = 0
        /// Input passes this destination took documents from (more than 1 means repeats).
        public var epochs = 0
        /// True when the inputs ran out (all allowed epochs) before the budget was met.
        public var exhausted = false
        public var packer: SequencePacker
        public var shards: [MDSShardInfo] = []
        /// At a checkpoint: the file in the state directory holding the samples encoded for the next shard
        /// (nil when none are), so a resumed build writes the shards an uninterrupted one would.
        public var buffer: String?
    }

    public struct StreamState: Codable, Sendable, Equatable {
        public var inputs: [String]
        /// 0-based pass over the inputs, and documents consumed in it.
        public var epoch = 0
        public var consumed = 0
        /// All documents taken off this stream over all epochs, and their raw tokens before
        /// filtering (global mode interleaves streams by these).
        public var documentsRead = 0
        public var tokensRead = 0
        /// No more passes: the budget is met or the allowed epochs are used up.
        public var finished = false
        /// Why documents were not used, with counts.
        public var filtered: [String: Int] = [:]
        /// Bad input passed over, first epoch only (later epochs see the same records again).
        public var skipped: [Skip] = []
        public var files: [String: FileCount] = [:]
    }

    public struct Skip: Codable, Sendable, Equatable {
        public var file: String
        public var line: Int?
        public var reason: String
        init(_ record: SkipRecord) { file = record.file; line = record.line; reason = record.reason }
    }

    public struct FileCount: Codable, Sendable, Equatable {
        public var documentsRead = 0
        public var documentsUsed = 0
        public var textBytes = 0
        public var tokens = 0
    }
}
