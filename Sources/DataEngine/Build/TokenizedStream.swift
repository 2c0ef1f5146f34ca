import Corpus
import Tokenization

/// Documents of a list of inputs, tokenized in parallel batches ahead of use. Consumption is
/// strictly sequential and counted, so a checkpoint (epoch, consumed) names an exact position;
/// read-ahead that was never consumed leaves no trace in the counts.
final class TokenizedStream {
    struct Item {
        let document: Document
        let tokens: [UInt32]
        /// Bad input the readers passed over just before this document.
        let skipsBefore: [SkipRecord]
    }

    let inputs: [Recipe.Input]
    let seed: UInt64
    private let tokenizer: Tokenizer
    private let threads: Int
    private var inputIndex = 0
    private var reader: (any DocumentSource)?
    private var skipsSeen = 0
    private var queue: [Item] = []
    private var queueIndex = 0
    /// Skips after the last document of the current pass, handed out at the end of the pass.
    private(set) var trailingSkips: [SkipRecord] = []
    /// Decompressed text bytes buffered ahead; batches stop at this size or `batchDocuments`.
    private let batchBytes = 8 << 20
    private let batchDocuments = 1024

    init(inputs: [Recipe.Input], tokenizer: Tokenizer, threads: Int, seed: UInt64) {
        self.inputs = inputs
        self.tokenizer = tokenizer
        self.threads = threads
        self.seed = seed
    }

    /// The next document of this pass, or nil at its end.
    func next() throws -> Item? {
        if queueIndex == queue.count {
            queue = try readBatch()
            queueIndex = 0
            if queue.isEmpty { return nil }
        }
        defer { queueIndex += 1 }
        return queue[queueIndex]
    }

    /// Starts the next pass over the inputs.
    func restart() {
        inputIndex = 0
        reader = nil
        skipsSeen = 0
        queue = []
        queueIndex = 0
        trailingSkips = []
    }

    /// Moves past `count` documents without tokenizing them (resuming from a checkpoint).
    func skip(_ count: Int) throws {
        for _ in 0..<count {
            guard try nextDocument() != nil else { throw BuildError.resumeMismatch("inputs have fewer documents than the checkpoint recorded: did they change?") }
        }
    }

    private func readBatch() throws -> [Item] {
        var documents: [(Document, [SkipRecord])] = []
        var bytes = 0
        while documents.count < batchDocuments && bytes < batchBytes, let next = try nextDocument() {
            documents.append(next)
            bytes += next.0.text.utf8.count + 4 * (next.0.tokens?.count ?? 0)
        }
        let texts = documents.map { $0.0.tokens == nil ? $0.0.text : "" }
        let encoded = tokenizer.encodeBatch(texts, threads: threads, parseSpecialTokens: false)
        return zip(documents, encoded).map { pair, ids in Item(document: pair.0, tokens: pair.0.tokens ?? ids, skipsBefore: pair.1) }
    }

    private func nextDocument() throws -> (Document, [SkipRecord])? {
        var skips: [SkipRecord] = []
        while inputIndex < inputs.count {
            if reader == nil {
                let input = inputs[inputIndex]
                reader = try input.spec.open(textField: input.textField, metadataFields: input.metadataFields, seed: seed)
                skipsSeen = 0
            }
            let document = try reader!.next()
            let all = reader!.skipped
            skips += all[skipsSeen...]
            skipsSeen = all.count
            if let document { return (document, skips) }
            reader = nil
            inputIndex += 1
        }
        trailingSkips += skips
        return nil
    }
}
