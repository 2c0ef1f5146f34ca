import Corpus

/// A data recipe: what goes into each stage of a long-context mixture and how it is packed.
/// Read from YAML by `RecipeParser`; field names there are the snake_case forms of these.
public struct Recipe: Sendable, Equatable {
    public var name: String
    public var seed: UInt64
    public var tokenizer: String
    public var output: Output
    public var document: DocumentTokens
    public var stages: [Stage]
    /// The recipe text after parameter substitution, as written into the output directory.
    public var resolvedText: String
    /// SHA-256 of `resolvedText`, recorded in the manifest and checked when parts are merged.
    public var sha256: String

    public struct Output: Sendable, Equatable {
        /// Shard size before rotating, in bytes (streaming's `size_limit`).
        public var shardSize: Int = 1 << 26
        /// nil (raw shards) or "zstd" / "zstd:LEVEL".
        public var compression: String?
    }

    /// Tokens placed around every document (UltraLong joins documents with separators).
    public struct DocumentTokens: Sendable, Equatable {
        public var bos = false
        public var eos = false
        /// A token string (e.g. "<|end_of_text|>") appended after each document.
        public var separator: String?
    }

    public struct Stage: Sendable, Equatable {
        public var name: String
        public var sequenceLength: Int
        /// Requested tokens for the whole stage (split by the sources' proportions).
        public var tokens: Int
        public var upsampling: Upsampling
        public var sources: [Source]
    }

    /// Fu et al.'s mixture modes.
    public struct Upsampling: Sendable, Equatable {
        public enum Mode: String, Sendable, CaseIterable {
            /// Each source keeps its share of tokens; inside it, short documents are kept with
            /// `keepProbability` (long documents upsampled within their domain).
            case perSource = "per_source"
            /// The same short-document drop over the mixed stream, ignoring sources.
            case global
            /// The naive baseline: long domains weighted up by `upweight`, no length filter.
            case domainUpweight = "domain_upweight"
            /// Proportions as given, no length filter (ProLong's mixture).
            case none
        }
        public var mode: Mode = .none
        public var threshold = 4096
        public var keepProbability = 0.1
    }

    public struct Source: Sendable, Equatable {
        /// Directory name of this source's MDS stream; unique in its stage.
        public var name: String
        /// The `domain` column value (defaults to `name`).
        public var domain: String
        public var inputs: [Input]
        public var proportion: Double
        /// Weight multiplying `proportion` in `domain_upweight` mode.
        public var upweight: Double = 1
        /// Documents shorter than this many tokens are not used by this source.
        public var minLength: Int
        public var packing: SequencePacker.Mode
        /// `long` packing: documents are cut into pieces of this many tokens (each its own span).
        public var pieceLength: Int
        /// How many passes over the inputs are allowed when the budget is not met in one.
        public var maxEpochs: Int = 1
    }

    public struct Input: Sendable, Equatable, Hashable {
        public var path: String
        public var kind: SourceSpec.Kind
        public var textField: String = "text"
        public var metadataFields: [String] = []

        public var spec: SourceSpec { SourceSpec(name: path, kind: kind, path: path) }
    }
}
