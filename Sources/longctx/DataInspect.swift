import ArgumentParser
import Corpus
import DataEngine
import Foundation
import Tokenization

struct DataInspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Totals per domain of packed MDS data, and samples decoded back to text with document boundaries shown."
    )

    @Argument(help: "A build output directory, a stage directory or any MDS dataset directory.")
    var directory: String
    @Option(name: .long, help: "Tokenizer for decoding (default: the one in the build's manifest).")
    var tokenizer: String?
    @Option(name: .long, help: "Samples to decode per dataset.")
    var samples = 1
    @Option(name: .long, help: "Characters shown per document (head and tail).")
    var maxCharacters = 400

    func run() throws {
        let manifestPath = directory + "/manifest.json"
        let manifest = FileManager.default.fileExists(atPath: manifestPath) ? try Manifest.read(manifestPath) : nil
        if let manifest { print(BuildReport.table(manifest)) }
        let tokenizerPath = tokenizer ?? manifest?.tokenizer.path
        let tok = try tokenizerPath.map { try Tokenizer.load(path: $0) }
        for dataset in try DataInspector.datasets(under: directory) {
            print("dataset \(dataset)")
            print("| domain | sequences | tokens | documents |")
            print("|---|---:|---:|---:|")
            for (domain, t) in try DataInspector.totals(of: dataset).sorted(by: { $0.key < $1.key }) {
                print("| \(domain) | \(t.sequences) | \(t.tokens) | \(t.documents) |")
            }
            guard samples > 0 else { continue }
            guard let tok else { print("(pass --tokenizer to decode samples)"); continue }
            let mds = try MDSDataset(directory: dataset)
            for i in 0..<min(samples, mds.count) {
                print(try DataInspector.render(mds.sample(at: i), index: i, directory: dataset, tokenizer: tok, maxCharacters: maxCharacters))
            }
        }
    }
}
