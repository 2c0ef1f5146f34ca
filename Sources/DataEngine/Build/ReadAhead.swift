import Corpus
import Foundation
import Tokenization

/// One pass over a list of inputs with reading, tokenizing and consuming overlapped: a reader thread
/// parses documents into batches, `threads` encoder threads tokenize whole batches (each keeps its
/// word cache for the whole pass), and the caller takes the batches back in reading order. At most
/// `depth` batches exist ahead of the caller, so memory stays bounded (depth x batch size of text
/// and tokens) whatever the corpus size. Results do not depend on the thread count. The threads hold
/// the object until the pass ends or `cancel()` is called.
final class ReadAhead: @unchecked Sendable {
    /// The tokenizer, waited for by the encoders (not the reader) while it loads; its error fails the pass.
    typealias TokenizerAccess = @Sendable () throws -> Tokenizer

    struct Batch {
        var items: [TokenizedStream.Item]
        /// Set on the last batch of the pass: skips after its last document.
        var trailingSkips: [SkipRecord]?
    }

    private struct RawBatch {
        var documents: [(Document, [SkipRecord])]
        var trailingSkips: [SkipRecord]?
    }

    private let inputs: [Recipe.Input]
    private let tokenizer: TokenizerAccess
    private let seed: UInt64
    private let skipFirst: Int
    private let batchBytes: Int
    private let batchDocuments: Int
    private let depth: Int

    private let condition = NSCondition()
    private var raw: [Int: Result<RawBatch, Error>] = [:]
    private var encoded: [Int: Result<Batch, Error>] = [:]
    private var batchesRead = 0
    private var readerDone = false
    private var nextToEncode = 0
    private var nextToConsume = 0
    private var cancelled = false
    private var threads: [pthread_t] = []

    /// Starts reading at once, after passing over `skipFirst` documents untokenized (resume).
    init(inputs: [Recipe.Input], tokenizer: @escaping TokenizerAccess, threads: Int, seed: UInt64, skipFirst: Int,
         batchBytes: Int = 1 << 20, batchDocuments: Int = 512) {
        self.inputs = inputs
        self.tokenizer = tokenizer
        self.seed = seed
        self.skipFirst = skipFirst
        self.batchBytes = batchBytes
        self.batchDocuments = batchDocuments
        let encoders = max(1, threads)
        // Two batches beyond one per encoder keep every encoder fed; at least eight let the reader get well ahead
        // while the tokenizer loads (8 MB of text: a bound that does not grow with the corpus).
        depth = max(encoders + 2, 8)
        self.threads = [startThread { [self] in read() }]
        for _ in 0..<encoders { self.threads.append(startThread { [self] in encode() }) }
    }

    /// The next batch in reading order, nil after the last one; rethrows a reader error where it happened.
    func next() throws -> Batch? {
        condition.lock()
        while encoded[nextToConsume] == nil && !(readerDone && nextToConsume >= batchesRead) {
            condition.wait()
        }
        guard let result = encoded.removeValue(forKey: nextToConsume) else {
            condition.unlock()
            return nil
        }
        nextToConsume += 1
        condition.broadcast()
        condition.unlock()
        return try result.get()
    }

    /// Stops the threads (they finish the batch in hand) and waits for them.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
        for thread in threads { pthread_join(thread, nil) }
        threads = []
    }

    // MARK: - Reader thread

    private func read() {
        var source = DocumentCursor(inputs: inputs, seed: seed)
        var sequence = 0
        do {
            for _ in 0..<skipFirst {
                guard try source.next() != nil else {
                    throw BuildError.resumeMismatch("inputs have fewer documents than the checkpoint recorded: did they change?")
                }
            }
            while true {
                condition.lock()
                while !cancelled && sequence - nextToConsume >= depth { condition.wait() }
                let stop = cancelled
                condition.unlock()
                if stop { break }
                let batch = try readBatch(&source)
                publish(.success(batch), sequence: sequence, last: batch.trailingSkips != nil)
                sequence += 1
                if batch.trailingSkips != nil { break }
            }
        } catch {
            publish(.failure(error), sequence: sequence, last: true)
        }
    }

    private func readBatch(_ source: inout DocumentCursor) throws -> RawBatch {
        var batch = RawBatch(documents: [])
        var bytes = 0
        while batch.documents.count < batchDocuments && bytes < batchBytes {
            guard let next = try source.next() else {
                batch.trailingSkips = source.trailingSkips
                break
            }
            batch.documents.append(next)
            bytes += next.0.text.utf8.count + 4 * (next.0.tokens?.count ?? 0)
        }
        return batch
    }

    private func publish(_ batch: Result<RawBatch, Error>, sequence: Int, last: Bool) {
        condition.lock()
        raw[sequence] = batch
        batchesRead = sequence + 1
        if last { readerDone = true }
        condition.broadcast()
        condition.unlock()
    }

    // MARK: - Encoder threads

    private func encode() {
        var state = EncoderState()
        var loaded: Result<Tokenizer, any Error>?  // waited for at this thread's first batch
        while true {
            condition.lock()
            while !cancelled && nextToEncode >= batchesRead && !readerDone { condition.wait() }
            if cancelled || nextToEncode >= batchesRead {
                condition.unlock()
                return
            }
            let sequence = nextToEncode
            nextToEncode += 1
            let input = raw.removeValue(forKey: sequence)!
            condition.unlock()

            if loaded == nil { loaded = Result { try tokenizer() } }
            let output = input.flatMap { batch in loaded!.map { tokenize(batch, with: $0, state: &state) } }
            condition.lock()
            encoded[sequence] = output
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Already-tokenized documents (MDS inputs) keep their tokens.
    private func tokenize(_ batch: RawBatch, with tokenizer: Tokenizer, state: inout EncoderState) -> Batch {
        Batch(items: batch.documents.map { document, skips in
            let tokens = document.tokens
                ?? tokenizer.encode(document.text, addSpecialTokens: false, parseSpecialTokens: false, state: &state)
            return TokenizedStream.Item(document: document, tokens: tokens, skipsBefore: skips)
        }, trailingSkips: batch.trailingSkips)
    }
}

/// Documents of a list of inputs in order, with the bad records the readers passed over before each.
private struct DocumentCursor {
    let inputs: [Recipe.Input]
    let seed: UInt64
    private var inputIndex = 0
    private var reader: (any DocumentSource)?
    private var skipsSeen = 0
    /// Skips after the last document, known once `next` has returned nil.
    private(set) var trailingSkips: [SkipRecord] = []

    init(inputs: [Recipe.Input], seed: UInt64) {
        self.inputs = inputs
        self.seed = seed
    }

    mutating func next() throws -> (Document, [SkipRecord])? {
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
