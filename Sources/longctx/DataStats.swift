import ArgumentParser
import Corpus
import DataEngine
import Formats
import Tokenization

struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Long-context training data: corpus statistics, mixture builds from recipes, inspection and merging of worker parts.",
        subcommands: [DataStats.self, DataBuild.self, DataInspect.self, DataMergeCommand.self]
    )
}

struct DataStats: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Per source: document lengths in tokens and the share of tokens in long documents.",
        discussion: """
            Each --source is NAME=PATH or NAME=KIND:PATH with KIND jsonl (also .jsonl.gz/.jsonl.zst), parquet, mds, text \
            (one document per file), books (one document per subdirectory), repo (a code repository, \
            directory or bare git, as ONE document), repos (a directory of repositories). Prints, per \
            source, documents, tokens and the share of tokens in documents of at least 4K/8K/16K/32K/64K/ \
            128K/512K tokens (ProLong Tables 3 and 14), then the length histogram; --json writes the same \
            as JSON. Skipped input (bad lines, binary files) is counted, and listed with --show-skipped.
            """
    )

    @Option(name: .long, help: "Tokenizer path (as for `tokenize`).")
    var tokenizer: String
    @Option(name: .long, help: "tiktoken encoding for a .tiktoken file.")
    var encoding: String?
    @Option(name: .customLong("source"), help: "NAME=PATH or NAME=KIND:PATH (repeatable).")
    var sources: [String]
    @Option(name: .long, help: "JSON field holding the text in jsonl sources.")
    var field = "text"
    @Option(name: .long, help: "Seed for the file order inside code repositories.")
    var seed: UInt64 = 0
    @Option(name: .long, help: "Encoding threads (default: all cores).")
    var threads: Int?
    @Option(name: .long, help: "Also write the statistics as JSON to this file.")
    var json: String?
    @Flag(name: .long, help: "List every skipped record (file:line: reason) on stderr.")
    var showSkipped = false

    func run() throws {
        let tok = try Tokenizer.load(path: tokenizer, encoding: encoding)
        let specs = try sources.map { try SourceSpec(parsing: $0) }
        var results: [(SourceSpec, LengthStatistics, [SkipRecord])] = []
        let progress = ProgressLine()
        for spec in specs {
            let (stats, skipped) = try SourceStatistics.collect(
                spec, textField: field, seed: seed, tokenizer: tok, threads: threads ?? availableCores()) { stats in
                progress.update("\(spec.name): \(stats.documents) documents, \(stats.tokens) tokens")
            }
            if showSkipped { for skip in skipped { writeStandardError("skipped \(skip)\n") } }
            results.append((spec, stats, skipped))
        }
        progress.finish()
        print(Self.table(results))
        if let json { try writeFileAtomically(json, parts: [Array(Self.json(results, tokenizer: tokenizer).utf8)]) }
    }

    static func table(_ results: [(SourceSpec, LengthStatistics, [SkipRecord])]) -> String {
        let thresholds = LengthStatistics.thresholds.map { "≥" + LengthStatistics.label($0) }
        var lines = ["| source | documents | tokens | longest | skipped | " + thresholds.joined(separator: " | ") + " |",
                     "|---|---:|---:|---:|---:|" + String(repeating: "---:|", count: thresholds.count)]
        for (spec, s, skipped) in results {
            let shares = LengthStatistics.thresholds.indices.map { percent(s.shareAtLeast($0)) }
            lines.append("| \(spec.name) | \(s.documents) | \(s.tokens) | \(s.longestDocument) | \(skipped.count) | "
                         + shares.joined(separator: " | ") + " |")
        }
        lines.append("")
        let bounds = LengthStatistics.bucketBounds
        let names = bounds.indices.map { i in
            i + 1 < bounds.count ? "\(LengthStatistics.label(bounds[i]))-\(LengthStatistics.label(bounds[i + 1]))"
                : "≥\(LengthStatistics.label(bounds[i]))"
        }
        lines.append("| source: documents (share of tokens) | " + names.joined(separator: " | ") + " |")
        lines.append("|---|" + String(repeating: "---:|", count: names.count))
        for (spec, s, _) in results {
            let cells = bounds.indices.map { i in
                "\(s.bucketDocuments[i]) (\(percent(s.tokens == 0 ? 0 : Double(s.bucketTokens[i]) / Double(s.tokens))))"
            }
            lines.append("| \(spec.name) | " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }

    static func percent(_ share: Double) -> String {
        let tenths = Int((share * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    static func json(_ results: [(SourceSpec, LengthStatistics, [SkipRecord])], tokenizer: String) -> String {
        func quote(_ s: String) -> String {
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case _ where scalar.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
        let sources = results.map { spec, s, skipped in
            let shares = zip(LengthStatistics.thresholds, LengthStatistics.thresholds.indices).map { t, i in
                "\(quote(LengthStatistics.label(t))): \(s.shareAtLeast(i))"
            }.joined(separator: ", ")
            let buckets = LengthStatistics.bucketBounds.indices.map { i in
                "{\"min_tokens\": \(LengthStatistics.bucketBounds[i]), \"documents\": \(s.bucketDocuments[i]), \"tokens\": \(s.bucketTokens[i])}"
            }.joined(separator: ", ")
            return """
                {"name": \(quote(spec.name)), "kind": \(quote(spec.kind.rawValue)), "path": \(quote(spec.path)), \
                "documents": \(s.documents), "tokens": \(s.tokens), "longest_document": \(s.longestDocument), \
                "skipped": \(skipped.count), "share_of_tokens_at_least": {\(shares)}, "histogram": [\(buckets)]}
                """
        }
        return "{\"tokenizer\": \(quote(tokenizer)), \"sources\": [\n  " + sources.joined(separator: ",\n  ") + "\n]}\n"
    }
}
