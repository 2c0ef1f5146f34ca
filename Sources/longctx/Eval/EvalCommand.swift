import ArgumentParser
import Evaluation
import Foundation

struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure long-context ability: NIAH, passkey, RULER, HELMET tasks, perplexity; compare runs.",
        discussion: """
            Each task writes to --out: run.json (what was run), samples.jsonl (one line per sample: id, prompt hash, \
            output, scores), summary.json, summary.md and, where the task has depths, a heatmap (SVG and PNG). \
            A killed run resumes where it stopped when rerun with the same arguments. Targets: --model DIR (our \
            engine) or --endpoint URL (any OpenAI-compatible server) with --tokenizer to size prompts.
            """,
        subcommands: [EvalNIAH.self, EvalPasskey.self, EvalRULER.self, EvalJSONKV.self, EvalRAG.self, EvalRerank.self,
                      EvalICL.self, EvalPerplexity.self, EvalReportCommand.self]
    )
}

/// Runs `task` on the target into the run directory, then writes its summary and pictures and prints the table.
func runEvaluation(_ task: any EvalTask, options: EvalTargetOptions, taskSettings: [String: String]) async throws {
    let (target, tokenizer, trainedLength, label) = try await options.makeTarget()
    let info = EvalRunInfo(label: label, task: task.name, target: options.targetDescription, trainedLength: trainedLength,
                           seed: options.seed, settings: options.settings.merging(taskSettings) { $1 })
    let runner = EvalRunner(task: task, tokenizer: tokenizer, directory: RunDirectory(options.out), info: info, chat: options.chat)
    let started = Date()
    let records: [EvalRecord]
    do {
        records = try await runner.run(on: target, progress: EvalProgress())
    } catch {
        await (target as? EndpointEvalTarget)?.shutdown()
        throw error
    }
    await (target as? EndpointEvalTarget)?.shutdown()
    try finishRun(directory: options.out, records: records.count, seconds: Date().timeIntervalSince(started))
}

/// Writes a run's summary and figures, prints summary.md and where the files are.
func finishRun(directory: String, records: Int, seconds: Double) throws {
    let files = try EvalReport.write(runDirectory: directory)
    if let markdown = files.summaryMarkdown, let text = try? String(contentsOfFile: markdown, encoding: .utf8) {
        writeStandardOutput(text.utf8)
    }
    writeStandardError("\(records) samples in \(formatDuration(seconds)); files: \(files.all.joined(separator: ", "))\n")
}

struct EvalReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Compare runs side by side: comparison.md, heatmaps (one per run and combined) and per-length curves."
    )

    @Argument(help: "Run directories written by `longctx eval TASK --out DIR`.")
    var runs: [String]
    @Option(name: .long, help: "Where to write the comparison.")
    var out: String

    func run() throws {
        guard !runs.isEmpty else { throw ValidationError("give at least one run directory") }
        let files = try EvalReport.compare(runDirectories: runs, outputDirectory: out)
        if let markdown = files.comparisonMarkdown, let text = try? String(contentsOfFile: markdown, encoding: .utf8) {
            writeStandardOutput(text.utf8)
        }
        writeStandardError("files: \(files.all.joined(separator: ", "))\n")
    }
}
