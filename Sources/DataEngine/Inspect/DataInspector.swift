import Corpus
import Foundation
import Tokenization

/// `longctx data inspect`: reads packed MDS data back, totals it per domain, and shows samples
/// decoded to text with the document boundaries marked.
public struct DataInspector {
    public struct DomainTotals: Sendable, Equatable {
        public var sequences = 0
        public var tokens = 0
        public var documents = 0
    }

    /// The MDS datasets under `path`: the path itself when it holds an index.json, else each
    /// stage directory of a build output.
    public static func datasets(under path: String) throws -> [String] {
        if FileManager.default.fileExists(atPath: path + "/index.json") { return [path] }
        let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        let found = names.filter { !$0.hasPrefix(".") && FileManager.default.fileExists(atPath: path + "/" + $0 + "/index.json") }
        guard !found.isEmpty else { throw BuildError.output(path: path, reason: "no MDS dataset (index.json) here or in its subdirectories") }
        return found.map { path + "/" + $0 }
    }

    /// Totals per domain over every sample, checking each sample's layout on the way.
    public static func totals(of directory: String) throws -> [String: DomainTotals] {
        let dataset = try MDSDataset(directory: directory)
        var out: [String: DomainTotals] = [:]
        for i in 0..<dataset.count {
            let sample = try dataset.sample(at: i)
            let (tokens, spans) = try layout(sample, index: i, directory: directory)
            let domain = sample["domain"]?.stringValue ?? "(no domain)"
            out[domain, default: .init()].sequences += 1
            out[domain, default: .init()].tokens += tokens.count
            out[domain, default: .init()].documents += spans.count
        }
        return out
    }

    /// A sample decoded: each document's text under a boundary line with its span.
    public static func render(_ sample: [String: MDSValue], index: Int, directory: String, tokenizer: Tokenizer, maxCharacters: Int) throws -> String {
        let (tokens, spans) = try layout(sample, index: index, directory: directory)
        var out = "━━ sample \(index) · domain \(sample["domain"]?.stringValue ?? "-") · \(tokens.count) tokens · \(spans.count) documents ━━\n"
        for (k, span) in spans.enumerated() {
            out += "──── document \(k + 1)/\(spans.count) · tokens [\(span.lowerBound), \(span.upperBound)) ────\n"
            let text = tokenizer.decode(Array(tokens[span]))
            if text.count <= maxCharacters {
                out += text
            } else {
                let half = maxCharacters / 2
                out += text.prefix(half) + "\n[… \(text.count - 2 * half) characters …]\n" + text.suffix(half)
            }
            out += "\n"
        }
        return out
    }

    /// input_ids and the document spans of a sample (one span over everything without `indices`).
    static func layout(_ sample: [String: MDSValue], index: Int, directory: String) throws -> ([UInt32], [Range<Int>]) {
        guard let ids = sample["input_ids"]?.arrayValue?.int64Values else {
            throw BuildError.output(path: directory, reason: "sample \(index) has no integer input_ids")
        }
        let tokens = ids.map { UInt32(truncatingIfNeeded: $0) }
        guard let indices = sample["indices"] else { return (tokens, [0..<tokens.count]) }
        guard let flat = indices.arrayValue?.int64Values, flat.count % 2 == 0 else {
            throw BuildError.output(path: directory, reason: "sample \(index): indices is not a list of pairs")
        }
        var spans: [Range<Int>] = []
        var previous = 0
        for k in 0..<(flat.count / 2) {
            let start = Int(flat[2 * k]), end = Int(flat[2 * k + 1])
            guard start >= previous, start < end, end <= tokens.count else {
                throw BuildError.output(path: directory, reason: "sample \(index): span \(k) (\(start), \(end)) is out of order or outside the \(tokens.count) tokens")
            }
            spans.append(start..<end)
            previous = end
        }
        return (tokens, spans)
    }
}
