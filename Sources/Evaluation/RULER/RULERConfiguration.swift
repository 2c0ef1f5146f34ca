extension RULERTask {
    /// The 13 tasks of RULER's scripts/synthetic.yaml, named as there.
    public enum Kind: String, CaseIterable, Sendable, Codable {
        case niahSingle1 = "niah_single_1"
        case niahSingle2 = "niah_single_2"
        case niahSingle3 = "niah_single_3"
        case niahMultikey1 = "niah_multikey_1"
        case niahMultikey2 = "niah_multikey_2"
        case niahMultikey3 = "niah_multikey_3"
        case niahMultivalue = "niah_multivalue"
        case niahMultiquery = "niah_multiquery"
        case vt
        case cwe
        case fwe
        case qa1 = "qa_1"
        case qa2 = "qa_2"
    }

    /// Where a task's filler comes from: RULER's `type_haystack`.
    public enum Haystack: String, Sendable, Codable {
        /// "The grass is green. ..." repeated, one line per unit.
        case noise
        /// Words of a text the caller gives (RULER: Paul Graham essays), split into sentences.
        case essay
        /// Distractor needles with random keys and values, one line per unit.
        case needle
    }

    /// What needle keys and values are: RULER's `type_needle_k` / `type_needle_v`.
    public enum NeedleType: String, Sendable, Codable {
        /// "adjective-noun" pairs.
        case words
        /// 7-digit numbers.
        case numbers
        /// Version-4 UUIDs.
        case uuids
    }

    public enum QADataset: String, Sendable, Codable {
        /// SQuAD v2 json (`data[].paragraphs[].qas[]`); unanswerable questions are skipped.
        case squad
        /// HotpotQA dev json (a list of `question`, `answer`, `context: [[title, [sentences]]]`).
        case hotpotqa
    }

    public struct NIAHParameters: Sendable, Equatable, Codable {
        public var haystack: Haystack
        public var keyType: NeedleType
        public var valueType: NeedleType
        /// Needles with distinct keys (RULER uses max(numKeys, numQueries)).
        public var numKeys: Int
        /// Values (needles) per key.
        public var numValues: Int
        /// Keys asked about.
        public var numQueries: Int

        public init(haystack: Haystack, keyType: NeedleType, valueType: NeedleType, numKeys: Int, numValues: Int,
                    numQueries: Int) {
            self.haystack = haystack
            self.keyType = keyType
            self.valueType = valueType
            self.numKeys = numKeys
            self.numValues = numValues
            self.numQueries = numQueries
        }
    }

    public struct VariableTrackingParameters: Sendable, Equatable, Codable {
        public var haystack: Haystack
        public var numChains: Int
        public var numHops: Int
        /// RULER always prepends one worked example of about 500 tokens (`add_fewshot` defaults to true).
        public var fewShot: Bool

        public init(haystack: Haystack = .noise, numChains: Int, numHops: Int, fewShot: Bool = true) {
            self.haystack = haystack
            self.numChains = numChains
            self.numHops = numHops
            self.fewShot = fewShot
        }
    }

    public struct CommonWordsParameters: Sendable, Equatable, Codable {
        /// Repeats of each common word (below 4096 tokens RULER uses 6 instead).
        public var freqCommon: Int
        /// Repeats of each uncommon word (below 4096 tokens RULER uses 1).
        public var freqUncommon: Int
        /// How many common words, i.e. answers.
        public var numCommon: Int

        public init(freqCommon: Int, freqUncommon: Int, numCommon: Int) {
            self.freqCommon = freqCommon
            self.freqUncommon = freqUncommon
            self.numCommon = numCommon
        }
    }

    public struct FrequentWordsParameters: Sendable, Equatable, Codable {
        /// Zeta (Zipf) exponent of the word counts.
        public var alpha: Double
        /// Letters per coded word.
        public var codedWordLength: Int
        /// Distinct coded words; nil means RULER's default (max_seq_length - tokens_to_generate) / 50.
        public var vocabularySize: Int?

        public init(alpha: Double, codedWordLength: Int = 6, vocabularySize: Int? = nil) {
            self.alpha = alpha
            self.codedWordLength = codedWordLength
            self.vocabularySize = vocabularySize
        }
    }

    public struct QAParameters: Sendable, Equatable, Codable {
        public var dataset: QADataset
        public init(dataset: QADataset) { self.dataset = dataset }
    }

    /// A kind's parameters, one case per RULER generator script.
    public enum Parameters: Sendable, Equatable, Codable {
        case niah(NIAHParameters)
        case variableTracking(VariableTrackingParameters)
        case commonWords(CommonWordsParameters)
        case frequentWords(FrequentWordsParameters)
        case qa(QAParameters)
    }

    /// Everything that defines one task's samples besides lengths, counts and seed.
    public struct Configuration: Sendable, Equatable, Codable {
        public var tokensToGenerate: Int
        public var parameters: Parameters

        public init(tokensToGenerate: Int, parameters: Parameters) {
            self.tokensToGenerate = tokensToGenerate
            self.parameters = parameters
        }

        /// RULER's metric for the generator: string_match_part for qa, string_match_all for the rest.
        public var metric: RULERMetric {
            if case .qa = parameters { return .stringMatchPart }
            return .stringMatchAll
        }

        /// The values of scripts/synthetic.yaml with the tokens to generate of scripts/data/synthetic/constants.py.
        public static func standard(_ kind: Kind) -> Configuration {
            func niah(_ haystack: Haystack, _ k: NeedleType, _ v: NeedleType, keys: Int = 1, values: Int = 1,
                      queries: Int = 1) -> Configuration {
                Configuration(tokensToGenerate: 128, parameters: .niah(NIAHParameters(
                    haystack: haystack, keyType: k, valueType: v, numKeys: keys, numValues: values, numQueries: queries)))
            }
            switch kind {
            case .niahSingle1: return niah(.noise, .words, .numbers)
            case .niahSingle2: return niah(.essay, .words, .numbers)
            case .niahSingle3: return niah(.essay, .words, .uuids)
            case .niahMultikey1: return niah(.essay, .words, .numbers, keys: 4)
            case .niahMultikey2: return niah(.needle, .words, .numbers)
            case .niahMultikey3: return niah(.needle, .uuids, .uuids)
            case .niahMultivalue: return niah(.essay, .words, .numbers, values: 4)
            case .niahMultiquery: return niah(.essay, .words, .numbers, queries: 4)
            case .vt:
                return Configuration(tokensToGenerate: 30, parameters: .variableTracking(
                    VariableTrackingParameters(haystack: .noise, numChains: 1, numHops: 4)))
            case .cwe:
                return Configuration(tokensToGenerate: 120, parameters: .commonWords(
                    CommonWordsParameters(freqCommon: 30, freqUncommon: 3, numCommon: 10)))
            case .fwe:
                return Configuration(tokensToGenerate: 50, parameters: .frequentWords(FrequentWordsParameters(alpha: 2.0)))
            case .qa1: return Configuration(tokensToGenerate: 32, parameters: .qa(QAParameters(dataset: .squad)))
            case .qa2: return Configuration(tokensToGenerate: 32, parameters: .qa(QAParameters(dataset: .hotpotqa)))
            }
        }

        /// Whether the configuration needs the caller's essay text.
        public var needsHaystackText: Bool {
            switch parameters {
            case .niah(let p): return p.haystack == .essay
            case .variableTracking(let p): return p.haystack == .essay
            default: return false
            }
        }
    }
}
