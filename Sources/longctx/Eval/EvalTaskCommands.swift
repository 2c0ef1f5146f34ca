import ArgumentParser
import Evaluation
import Foundation

struct EvalNIAH: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "niah",
        abstract: "Needle in a haystack as Fu et al. ran it: a grid of context lengths x needle depths, ROUGE-1 scored."
    )
    @OptionGroup var target: EvalTargetOptions
    @Option(name: .long, help: "A text file to fill the haystack (repeated as needed).")
    var haystack: String
    @Option(name: .long, help: "Context lengths, e.g. 1000,2000,4k (default: --length-count evenly spaced from 1000 to --max-length).")
    var lengths: String?
    @Option(name: .long, help: "Longest context of the default grid.")
    var maxLength = 128_000
    @Option(name: .long, help: "Lengths in the default grid.")
    var lengthCount = 40
    @Option(name: .long, help: "Needle depths in percent, e.g. 0,50,100 (default: --depth-count evenly spaced 0..100).")
    var depths: String?
    @Option(name: .long, help: "Depths in the default grid.")
    var depthCount = 10
    @Option(name: .long, help: "The needle sentence.")
    var needle = NeedleTask.defaultNeedle
    @Option(name: .long, help: "The question.")
    var question = NeedleTask.defaultQuestion
    @Option(name: .long, help: "The answer the score is measured against.")
    var answer = NeedleTask.defaultRetrievalAnswer
    @Option(name: .long, help: "Tokens to generate.")
    var maxNewTokens = 50

    func run() async throws {
        let grid = NeedleTask.defaultGrid(maxLength: maxLength, minLength: min(1000, maxLength), lengthCount: lengthCount, depthCount: depthCount)
        let task = NeedleTask(lengths: try lengths.map { try parseLengths($0, option: "--lengths") } ?? grid.lengths,
                              depths: try depths.map { try parseNumbers($0, option: "--depths") } ?? grid.depths,
                              haystack: try readText(haystack, option: "--haystack"), needle: needle, question: question,
                              retrievalAnswer: answer, maxNewTokens: maxNewTokens)
        try await runEvaluation(task, options: target, taskSettings: ["haystack": haystack, "needle": needle, "question": question])
    }
}

struct EvalPasskey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passkey", abstract: "Passkey retrieval (YaRN / landmark attention): a number hidden in repeated filler text.")
    @OptionGroup var target: EvalTargetOptions
    @Option(name: .long, help: "Context lengths, e.g. 2k,4k,8k,16k.")
    var lengths: String
    @Option(name: .long, help: "Samples per length.")
    var samples = 20
    @Option(name: .long, help: "Passkey depths in percent (default: a random depth per sample, as YaRN).")
    var depths: String?

    func run() async throws {
        let task = PasskeyTask(lengths: try parseLengths(lengths, option: "--lengths"), samplesPerLength: samples,
                               depths: try depths.map { try parseNumbers($0, option: "--depths") }, seed: target.seed)
        try await runEvaluation(task, options: target, taskSettings: [:])
    }
}

struct EvalRULER: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ruler", abstract: "RULER's 13 synthetic tasks (NVIDIA/RULER), with its templates, sizes and metrics.")
    @OptionGroup var target: EvalTargetOptions
    @Option(name: .long, help: "Tasks, comma-separated, or 'all' (\(RULERTask.Kind.allCases.map(\.rawValue).joined(separator: ", "))).")
    var tasks = "all"
    @Option(name: .long, help: "Context lengths, e.g. 4k,8k,16k.")
    var lengths: String
    @Option(name: .long, help: "Samples per task and length.")
    var samples = 25
    @Option(name: .long, help: "Essay text for the essay-haystack tasks (RULER uses Paul Graham's essays).")
    var haystack: String?
    @Option(name: .long, help: "SQuAD v2 json for qa_1.")
    var squad: String?
    @Option(name: .long, help: "HotpotQA dev json for qa_2.")
    var hotpotqa: String?

    func run() async throws {
        let kinds: [RULERTask.Kind]
        if tasks == "all" {
            kinds = RULERTask.Kind.allCases.filter { ($0 != .qa1 || squad != nil) && ($0 != .qa2 || hotpotqa != nil) }
            if kinds.count < RULERTask.Kind.allCases.count { writeStandardError("qa_1 / qa_2 skipped: give --squad / --hotpotqa\n") }
        } else {
            kinds = try tasks.split(separator: ",").map { name in
                guard let kind = RULERTask.Kind(rawValue: String(name)) else { throw ValidationError("--tasks: unknown RULER task '\(name)'") }
                return kind
            }
        }
        let essay = try haystack.map { try readText($0, option: "--haystack") }
        let lengths = try parseLengths(lengths, option: "--lengths")
        let subtasks = kinds.map { kind in
            RULERTask(kind: kind, lengths: lengths, samplesPerLength: samples, seed: target.seed, haystackText: essay,
                      qaDataPath: kind == .qa1 ? squad : kind == .qa2 ? hotpotqa : nil)
        }
        for task in subtasks where task.configuration.needsHaystackText && essay == nil {
            throw ValidationError("RULER task \(task.kind.rawValue) needs --haystack (an essay text file)")
        }
        try await runEvaluation(TaskSuite(name: "ruler", tasks: subtasks), options: target,
                                taskSettings: ["tasks": kinds.map(\.rawValue).joined(separator: ",")])
    }
}

struct EvalJSONKV: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "json-kv", abstract: "HELMET's JSON key-value recall (UUID pairs; 105/220/440/900/1800 pairs at 8K..128K).")
    @OptionGroup var target: EvalTargetOptions
    @Option(name: .long, help: "Context lengths, e.g. 8k,16k,32k.")
    var lengths: String
    @Option(name: .long, help: "Samples per length.")
    var samples = 100
    @Flag(name: .long, help: "Fill each length with pairs instead of HELMET's fixed counts.")
    var fillLength = false

    func run() async throws {
        let task = JSONKVTask(lengths: try parseLengths(lengths, option: "--lengths"), samplesPerLength: samples,
                              fillLength: fillLength, seed: target.seed)
        try await runEvaluation(task, options: target, taskSettings: ["fill_length": String(fillLength)])
    }
}

struct EvalRAG: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rag", abstract: "HELMET-format retrieval-augmented QA (jsonl with question, answers, ctxs), SubEM.")
    @OptionGroup var target: EvalTargetOptions
    @OptionGroup var passages: HelmetPassageOptions
    @Option(name: .long, help: "Name of the dataset in reports (e.g. nq, triviaqa, hotpotqa, popqa).")
    var name = "rag"
    @Option(name: .long, help: "Most questions evaluated.")
    var samples = 100

    func run() async throws {
        let task = HelmetRAGTask(name: "helmet/\(name)", path: passages.data, lengths: try passages.parsedLengths(),
                                 demoPath: passages.demos, maxSamples: samples, seed: target.seed)
        try await runEvaluation(task, options: target, taskSettings: ["data": passages.data])
    }
}

struct EvalRerank: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rerank", abstract: "HELMET-format passage re-ranking (jsonl with qid, query, ctxs, qrel), nDCG@10.")
    @OptionGroup var target: EvalTargetOptions
    @OptionGroup var passages: HelmetPassageOptions
    @Option(name: .long, help: "Most queries evaluated.")
    var samples = 100

    func run() async throws {
        let task = HelmetRerankTask(path: passages.data, lengths: try passages.parsedLengths(), demoPath: passages.demos,
                                    maxSamples: samples, seed: target.seed)
        try await runEvaluation(task, options: target, taskSettings: ["data": passages.data])
    }
}

struct EvalICL: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "icl", abstract: "Many-shot in-context classification (HELMET): class-balanced demonstrations, numeric labels.")
    @OptionGroup var target: EvalTargetOptions
    @Option(name: .long, help: "jsonl of training examples (text, label) the demonstrations come from.")
    var train: String
    @Option(name: .long, help: "jsonl of test examples.")
    var test: String
    @Option(name: .long, help: "Context lengths, e.g. 8k,16k.")
    var lengths: String
    @Option(name: .long, help: "Name of the dataset in reports (e.g. trec_coarse, banking77).")
    var name = "icl"
    @Option(name: .long, help: "Most test examples.")
    var samples = 500
    @Option(name: .long, help: "Field holding the text.")
    var textField = "text"
    @Option(name: .long, help: "Field holding the label.")
    var labelField = "label"

    func run() async throws {
        let task = HelmetICLTask(name: "helmet/\(name)", trainPath: train, testPath: test, lengths: try parseLengths(lengths, option: "--lengths"),
                                 maxTestSamples: samples, textField: textField, labelField: labelField, seed: target.seed)
        try await runEvaluation(task, options: target, taskSettings: ["train": train, "test": test])
    }
}

/// The inputs of the HELMET tasks over retrieved passages (RAG, re-ranking): the test set, optional
/// demonstrations, the context lengths.
struct HelmetPassageOptions: ParsableArguments {
    @Option(name: .long, help: "The test jsonl.")
    var data: String
    @Option(name: .long, help: "A jsonl of demonstrations (default: none).")
    var demos: String?
    @Option(name: .long, help: "Context lengths, e.g. 8k,16k.")
    var lengths: String

    func parsedLengths() throws -> [Int] { try parseLengths(lengths, option: "--lengths") }
}
