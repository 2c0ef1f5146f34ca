import Corpus
import Tokenization

/// Documents of a list of inputs, read and tokenized ahead of use on their own threads (ReadAhead).
/// Consumption is strictly sequential and counted, so a checkpoint (epoch, consumed) names an exact
/// position; read-ahead that was never consumed leaves no trace in the counts.
final class TokenizedStream {
    struct Item {
        let document: Document
        let tokens: [UInt32]
        /// Bad input the readers passed over just before this document.
        let skipsBefore: [SkipRecord]
    }

    let inputs: [Recipe.Input]
    let seed: UInt64
    private let tokenizer: ReadAhead.TokenizerAccess
    private let threads: Int
    private var pipeline: ReadAhead?
    private var pendingSkip = 0
    private var passEnded = false
    private var queue: [Item] = []
    private var queueIndex = 0
    /// Skips after the last document of the current pass, handed out at the end of the pass.
    private(set) var trailingSkips: [SkipRecord] = []

    init(inputs: [Recipe.Input], tokenizer: @escaping ReadAhead.TokenizerAccess, threads: Int, seed: UInt64) {
        self.inputs = inputs
        self.tokenizer = tokenizer
        self.threads = threads
        self.seed = seed
    }

    deinit { pipeline?.cancel() }

    /// The next document of this pass, or nil at its end.
    func next() throws -> Item? {
        while queueIndex == queue.count {
            if passEnded { return nil }
            if pipeline == nil {
                pipeline = ReadAhead(inputs: inputs, tokenizer: tokenizer, threads: threads, seed: seed, skipFirst: pendingSkip)
                pendingSkip = 0
            }
            guard let batch = try pipeline!.next() else { passEnded = true; return nil }
            queue = batch.items
            queueIndex = 0
            if let trailing = batch.trailingSkips {
                trailingSkips += trailing
                passEnded = true
            }
        }
        defer { queueIndex += 1 }
        return queue[queueIndex]
    }

    /// Starts the next pass over the inputs.
    func restart() {
        close()
        pendingSkip = 0
        passEnded = false
        queue = []
        queueIndex = 0
        trailingSkips = []
    }

    /// Stops reading ahead (the unit is done with this stream).
    func close() {
        pipeline?.cancel()
        pipeline = nil
    }

    /// Moves past `count` documents without tokenizing them (resuming from a checkpoint); a stream
    /// with fewer documents fails at the next `next()`.
    func skip(_ count: Int) {
        precondition(pipeline == nil, "skip is for a stream that has not started")
        pendingSkip += count
    }
}
