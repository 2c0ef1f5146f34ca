import ArgumentParser
import Evaluation
import Foundation

struct EvalPerplexity: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perplexity",
        abstract: "Perplexity of long documents at several lengths (YaRN's check), sliding-window, and by position.",
        discussion: """
            Documents come from --text files (each file one document) or a --jsonl file (one document per line, \
            field --field). Each document is cut to its first L tokens for every length L; with --stride, windows of \
            L tokens slide over --document-tokens tokens. Our engine only (--model): an endpoint gives no log \
            probabilities of the prompt.
            """
    )
    @OptionGroup var target: EvalTargetOptions
    @Option(name: .long, help: "A plain-text document (repeatable).")
    var text: [String] = []
    @Option(name: .long, help: "A jsonl file, one document per line.")
    var jsonl: String?
    @Option(name: .long, help: "The jsonl field holding the text.")
    var field = "text"
    @Option(name: .long, help: "Most documents used.")
    var documents = 10
    @Option(name: .long, help: "Context lengths, e.g. 2k,4k,8k,16k.")
    var lengths: String
    @Option(name: .long, help: "Sliding-window stride in tokens (default: one window of L tokens).")
    var stride: Int?
    @Option(name: .long, help: "With --stride: tokens of each document scored (default: L).")
    var documentTokens: Int?
    @Option(name: .long, help: "Positions per bucket of perplexity by position.")
    var bucketSize = 1024

    func validate() throws {
        if target.endpoint != nil { throw ValidationError("perplexity needs --model (an endpoint gives no prompt log probabilities)") }
        if text.isEmpty && jsonl == nil { throw ValidationError("give --text FILE or --jsonl FILE") }
    }

    func run() async throws {
        var documents = try text.map { try readText($0, option: "--text") }
        if let jsonl {
            for (index, line) in try readText(jsonl, option: "--jsonl").split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      let value = object[field] as? String else {
                    throw ValidationError("\(jsonl):\(index + 1): not a JSON object with a string field '\(field)'")
                }
                documents.append(value)
            }
        }
        documents = Array(documents.prefix(self.documents))
        let (evalTarget, tokenizer, trainedLength, label) = try await target.makeTarget()
        guard let scorer = evalTarget as? LogProbabilityTarget else { throw ValidationError("this target cannot score text") }
        let task = PerplexityTask(documents: documents, lengths: try parseLengths(lengths, option: "--lengths"),
                                  documentTokens: documentTokens, stride: stride, bucketSize: bucketSize)
        var settings = target.settings
        settings["stride"] = stride.map(String.init) ?? "none"
        let info = EvalRunInfo(label: label, task: "perplexity", target: target.targetDescription, trainedLength: trainedLength,
                               seed: target.seed, settings: settings)
        let started = Date()
        let records = try await task.run(target: scorer, tokenizer: tokenizer, directory: RunDirectory(target.out), info: info,
                                         progress: EvalProgress())
        try finishRun(directory: target.out, records: records.count, seconds: Date().timeIntervalSince(started))
    }
}
