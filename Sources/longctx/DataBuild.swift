import ArgumentParser
import Corpus
import DataEngine
import Foundation

struct DataBuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build a long-context training mixture from a YAML recipe: packed, document-bounded MDS sequences.",
        discussion: """
            Writes OUT/STAGE/SOURCE/ (one MDS stream per source, ProLong's layout), OUT/STAGE/index.json (the \
            stage as one dataset) and OUT/manifest.json (inputs, documents read/used/skipped with file:line, \
            tokens per source, requested and achieved proportions, seed, recipe hash). Rerunning with the \
            same --out resumes after a kill. With --worker I --workers N, each worker builds its share \
            into its own --out; `longctx data merge` joins the parts.
            """
    )

    @Option(name: .long, help: "Recipe YAML file.")
    var recipe: String
    @Option(name: .long, help: "Output directory.")
    var out: String
    @Option(name: .customLong("set"), help: "Recipe parameter NAME=VALUE (repeatable).")
    var parameters: [String] = []
    @Option(name: .long, help: "This worker's index (0-based).")
    var worker = 0
    @Option(name: .long, help: "Number of workers splitting the build.")
    var workers = 1
    @Option(name: .long, help: "Tokenizer threads (default: all cores).")
    var threads: Int?
    @Flag(name: .long, help: "Stop at the first bad input record instead of counting it.")
    var strict = false

    func validate() throws {
        guard workers >= 1, (0..<workers).contains(worker) else { throw ValidationError("--worker must be in 0..<--workers") }
    }

    func run() throws {
        let recipe = try RecipeParser.load(path: self.recipe, overrides: try recipeOverrides(parameters))
        var options = DataBuilder.Options(output: out, threads: threads ?? availableCores())
        options.worker = worker
        options.workers = workers
        options.strict = strict
        options.toolVersion = LongCtx.version
        let progress = BuildProgress(recipe: recipe)
        options.onProgress = { progress.update(unit: $0, state: $1) }
        let builder = DataBuilder(recipe: recipe, options: options)
        progress.expect(builder.myUnits)
        let manifest = try builder.run()
        progress.finish()
        if let manifest {
            print(BuildReport.table(manifest))
            print("wrote \(out) (manifest: \(out)/manifest.json)")
        } else {
            print("worker \(worker) of \(workers): units \(builder.myUnits.map(\.id).joined(separator: ", ")) done in \(out); join the parts with `longctx data merge --out DIR PART...`")
        }
    }
}

struct DataMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the parts of a build split with --worker/--workers into one output, identical to a single run."
    )

    @Option(name: .long, help: "Output directory.")
    var out: String
    @Argument(help: "The workers' output directories.")
    var parts: [String]

    func run() throws {
        let manifest = try DataMerge.merge(parts: parts, output: out, toolVersion: LongCtx.version)
        print(BuildReport.table(manifest))
        print("wrote \(out)")
    }
}

/// Progress of a build: documents, tokens written, tokens/s and ETA against the requested total.
final class BuildProgress {
    private let line = ProgressLine()
    private let start = now()
    private let recipe: Recipe
    private var requested = 1
    /// Per unit: tokens written, documents read, text bytes read (the last only as of the last line drawn).
    private var done: [String: Int] = [:]
    private var documents: [String: Int] = [:]
    private var bytes: [String: Int] = [:]
    private var sequenceLength: [String: Int] = [:]

    init(recipe: Recipe) { self.recipe = recipe }

    /// The units this run makes: the total the ETA counts toward.
    func expect(_ units: [BuildPlan.Unit]) {
        requested = max(1, units.reduce(0) { $0 + $1.requestedTokens })
        sequenceLength = Dictionary(uniqueKeysWithValues: units.map { ($0.id, recipe.stages[$0.stageIndex].sequenceLength) })
    }

    /// Called after every document. Bytes are summed over the unit's files only when a line is due: a corpus of
    /// many files would otherwise cost a pass over them per document. (The state is not kept: holding on to it
    /// would make the builder copy its per-file counts on the next document.)
    func update(unit: String, state: UnitState) {
        done[unit] = state.destinations.reduce(0) { $0 + $1.sequences } * (sequenceLength[unit] ?? 0)
        documents[unit] = state.streams.reduce(0) { $0 + $1.documentsRead }
        line.update(summary(unit: unit, state: state))
    }

    private func summary(unit: String, state: UnitState) -> String {
        bytes[unit] = state.streams.reduce(0) { $0 + $1.files.values.reduce(0) { $0 + $1.textBytes } }
        let tokens = done.values.reduce(0, +), elapsed = max(now() - start, 1e-3)
        let rate = Double(tokens) / elapsed
        let fraction = min(1, Double(tokens) / Double(requested))
        let eta = rate > 0 ? Int(Double(requested - min(tokens, requested)) / rate) : 0
        return "\(unit): \(documents.values.reduce(0, +)) documents, \(bytes.values.reduce(0, +) >> 20) MiB read, \(tokens) tokens written (\(Int(fraction * 100))%), \(Int(rate)) tokens/s, ETA \(eta / 60)m\(eta % 60)s"
    }

    func finish() { line.finish() }
}

/// The manifest as a table per stage: requested next to achieved.
enum BuildReport {
    static func table(_ m: Manifest) -> String {
        var lines: [String] = []
        for stage in m.stages {
            lines.append("stage \(stage.name): \(stage.sequences) sequences of \(stage.sequenceLength) tokens = \(stage.tokens) tokens (requested \(stage.requestedTokens)), upsampling \(stage.upsampling)")
            lines.append("| source | domain | packing | requested | achieved | tokens | sequences | documents | epochs | dropped |")
            lines.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
            for s in stage.sources {
                lines.append("| \(s.name) | \(s.domain) | \(s.packing) | \(DataStats.percent(s.requestedProportion)) | \(DataStats.percent(s.achievedProportion)) | \(s.tokens) | \(s.sequences) | \(s.documentsUsed) | \(s.epochs)\(s.exhausted ? " (ran out)" : "") | \(s.droppedTokens + s.partialTokensDiscarded) |")
            }
            for input in stage.inputs {
                let filtered = input.filtered.values.reduce(0, +)
                lines.append("  input \(input.paths.joined(separator: ", ")): \(input.documentsRead) documents read, \(filtered) filtered, \(input.skipped.count) skipped")
                for skip in input.skipped.prefix(5) { lines.append("    skipped \(skip.file)\(skip.line.map { ":\($0)" } ?? ""): \(skip.reason)") }
                if input.skipped.count > 5 { lines.append("    … \(input.skipped.count - 5) more in manifest.json") }
            }
            lines.append("")
        }
        for warning in m.warnings { lines.append("warning: \(warning)") }
        return lines.joined(separator: "\n")
    }
}
