import Formats
import Foundation

/// Runs a task against a target into a run directory: makes the samples (deterministic for the seed), skips those
/// already recorded (resume after a kill), sends the rest in batches ordered so that prompts sharing a prefix
/// follow each other (a local target reuses the shared part of its KV cache), scores each output and appends its
/// record as soon as it is known.
public struct EvalRunner: Sendable {
    public let task: any EvalTask
    public let tokenizer: any TokenCounting
    public let directory: RunDirectory
    public let info: EvalRunInfo
    public let chat: Bool

    public init(task: any EvalTask, tokenizer: any TokenCounting, directory: RunDirectory, info: EvalRunInfo, chat: Bool) {
        self.task = task
        self.tokenizer = tokenizer
        self.directory = directory
        self.info = info
        self.chat = chat
    }

    /// Every record of the run (earlier ones included), in sample order.
    @discardableResult
    public func run(on target: any EvalTarget, progress: ProgressReporter? = nil) async throws -> [EvalRecord] {
        try directory.prepare(info)
        let samples = try task.makeSamples(tokenizer: tokenizer)
        let done = try directory.completedRecords()
        var byID = Dictionary(done.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let hashes = Dictionary(samples.map { ($0.id, Self.promptHash($0.prompt)) }, uniquingKeysWith: { first, _ in first })
        let budgets = Dictionary(samples.map { ($0.id, String($0.maxNewTokens)) }, uniquingKeysWith: { first, _ in first })
        for record in done where hashes[record.id] != nil {
            let sameBudget = record.fields[Self.maxNewTokensField].map { $0 == budgets[record.id] } ?? true
            guard hashes[record.id] == record.promptHash && sameBudget else {
                throw EvalTaskError("\(directory.samplesPath): sample \(record.id) was made from another prompt or token budget; "
                    + "the task's data or parameters changed since this run started: use another --out directory")
            }
        }
        let tokenized = samples.filter { byID[$0.id] == nil }.map { ($0, tokenizer.encode($0.prompt)) }
        let pending = tokenized.sorted { Self.lexicographicallyPrecedes($0.1, $1.1) }
        progress?.start(total: samples.count, done: samples.count - pending.count)
        for batchStart in stride(from: 0, to: pending.count, by: max(1, target.batchSize)) {
            let batch = pending[batchStart..<min(pending.count, batchStart + max(1, target.batchSize))]
            let outputs = try await target.generate(batch.map { EvalPrompt(sample: $0.0) }, chat: chat)
            for ((sample, tokens), output) in zip(batch, outputs) {
                let record = EvalRecord(id: sample.id, task: sample.task, contextLength: sample.contextLength, depth: sample.depth,
                                        promptHash: hashes[sample.id]!, promptTokens: tokens.count, output: output,
                                        scores: task.score(output: output, sample: sample),
                                        fields: sample.fields.merging([Self.maxNewTokensField: String(sample.maxNewTokens)]) { $1 })
                try directory.append(record)
                byID[record.id] = record
                progress?.finished(record)
            }
        }
        return samples.compactMap { byID[$0.id] }
    }

    /// The record field holding the sample's token budget (a resumed run must keep it).
    public static let maxNewTokensField = "max_new_tokens"

    public static func promptHash(_ prompt: String) -> String { SHA256.hex(SHA256.digest(Array(prompt.utf8))) }

    private static func lexicographicallyPrecedes(_ a: [Int32], _ b: [Int32]) -> Bool {
        a.lexicographicallyPrecedes(b)
    }
}

/// Receives the runner's progress (the CLI prints a bar or periodic lines).
public protocol ProgressReporter: Sendable {
    func start(total: Int, done: Int)
    func finished(_ record: EvalRecord)
}
