import Model
import Tensor
import Tokenization

/// Generation with a KV cache: each prompt is prefilled in chunks of `prefillChunk` tokens (memory bounded by the
/// chunk, not the prompt), then the sequences of a batch decode together, one token each per step, so the weights
/// are read once per step for the whole batch. Caches of finished sequences are kept, and a later prompt that
/// shares a prefix with one of them starts from it (what evaluation grids with a common haystack need).
public final class Generator: @unchecked Sendable {
    public let model: LlamaModel
    public let tokenizer: Tokenizer
    /// Tokens that end a sequence (the config's eos ids and the tokenizer's).
    public var stopTokens: Set<Int32>
    public var prefillChunk = 2048
    /// Finished sequences' caches kept for prefix reuse (0 turns reuse off).
    public var keptCaches = 1
    private var spareCaches: [KVCache] = []

    public init(model: LlamaModel, tokenizer: Tokenizer) {
        self.model = model
        self.tokenizer = tokenizer
        var stops = Set(model.config.eosTokenIds.map { Int32($0) })
        if let eos = tokenizer.eosTokenID { stops.insert(Int32(eos)) }
        stopTokens = stops
    }

    /// Frees the kept caches.
    public func releaseCaches() { spareCaches = [] }

    /// Continues every request; `onText(request index, piece)` receives text as it is released. When `isCancelled`
    /// turns true, every unfinished sequence ends (finish reason `stop`) before the next step.
    public func generate(_ requests: [GenerationRequest], isCancelled: (() -> Bool)? = nil,
                         onText: ((Int, String) -> Void)? = nil) -> [GenerationResult] {
        var sequences: [GeneratingSequence] = []
        for (index, request) in requests.enumerated() {
            precondition(!request.prompt.isEmpty, "generate: request \(index) has an empty prompt")
            let (cache, reused) = takeCache(for: request.prompt)
            cache.reserveCapacity(request.prompt.count + request.maxNewTokens)
            let logits = prefill(request.prompt, cache: cache)
            sequences.append(GeneratingSequence(request: request, cache: cache, reused: reused,
                                      stream: TextStream(tokenizer: tokenizer, stops: request.stop),
                                      sampler: Sampler(request.sampling), logits: logits))
        }
        while true {
            let cancelled = isCancelled?() ?? false
            for index in sequences.indices where sequences[index].isActive {
                if cancelled { sequences[index].finish(.stop, onText: onText, index: index); continue }
                advance(&sequences[index], index: index, onText: onText)
            }
            let active = sequences.indices.filter { sequences[$0].isActive }
            if active.isEmpty { break }
            let hidden = model.forward(active.map { CachedChunk(cache: sequences[$0].cache, tokens: [sequences[$0].pending!]) })
            let logits = model.logits(normedHidden: hidden).floats()
            let vocab = model.config.vocabSize
            for (row, index) in active.enumerated() {
                sequences[index].logits = Array(logits[row * vocab..<(row + 1) * vocab])
                sequences[index].pending = nil
            }
        }
        for sequence in sequences { keep(sequence.cache) }
        return sequences.map(\.result)
    }

    /// Runs `tokens` into `cache` after what it already holds, `prefillChunk` at a time; returns the last token's
    /// logits. Dynamic-NTK frequencies are those of the whole prompt, as one forward over it would use.
    public func prefill(_ tokens: [Int32], cache: KVCache) -> [Float] {
        let start = cache.length
        precondition(start < tokens.count && Array(tokens[..<start]) == cache.tokens, "prefill: cache must hold a proper prefix")
        cache.reserveCapacity(tokens.count)
        var hidden: Tensor?
        for chunkStart in stride(from: start, to: tokens.count, by: max(1, prefillChunk)) {
            let chunk = Array(tokens[chunkStart..<min(tokens.count, chunkStart + max(1, prefillChunk))])
            hidden = model.forward([CachedChunk(cache: cache, tokens: chunk, ropeLength: tokens.count)])
        }
        let last = hidden!.rows(hidden!.shape[0] - 1..<hidden!.shape[0])
        return model.logits(normedHidden: last).floats()
    }

    /// Picks the next token of a sequence from its logits and either finishes it or queues the token.
    private func advance(_ sequence: inout GeneratingSequence, index: Int, onText: ((Int, String) -> Void)?) {
        if sequence.generated.count >= sequence.request.maxNewTokens { return sequence.finish(.length, onText: onText, index: index) }
        let token = sequence.logits.withUnsafeBufferPointer { sequence.sampler.next(logits: $0) }
        if stopTokens.contains(token) { return sequence.finish(.stop, onText: onText, index: index) }
        sequence.generated.append(token)
        let piece = sequence.stream.append(token)
        if !piece.isEmpty { onText?(index, piece) }
        if sequence.stream.stopped { return sequence.finish(.stop, onText: onText, index: index) }
        if sequence.generated.count >= sequence.request.maxNewTokens { return sequence.finish(.length, onText: onText, index: index) }
        sequence.pending = token
    }

    /// A kept cache sharing the longest prefix with `prompt` (cut back so at least one prompt token is run), or a
    /// new one.
    private func takeCache(for prompt: [Int32]) -> (KVCache, Int) {
        var best: (index: Int, shared: Int)?
        for (index, cache) in spareCaches.enumerated() {
            let shared = zip(cache.tokens, prompt).prefix { $0 == $1 }.count
            if shared > (best?.shared ?? 0) { best = (index, shared) }
        }
        guard let best else { return (KVCache(config: model.config, device: model.device), 0) }
        let cache = spareCaches.remove(at: best.index)
        let reused = min(best.shared, prompt.count - 1)
        cache.truncate(to: reused)
        return (cache, reused)
    }

    private func keep(_ cache: KVCache) {
        guard keptCaches > 0 else { return }
        spareCaches.append(cache)
        if spareCaches.count > keptCaches { spareCaches.removeFirst(spareCaches.count - keptCaches) }
    }
}

/// One sequence's state during `generate`.
private struct GeneratingSequence {
    let request: GenerationRequest
    let cache: KVCache
    let reused: Int
    var stream: TextStream
    var sampler: Sampler
    var logits: [Float]
    var generated: [Int32] = []
    /// The token sampled last, to run through the model in the next step.
    var pending: Int32?
    var finishReason: FinishReason?

    init(request: GenerationRequest, cache: KVCache, reused: Int, stream: TextStream, sampler: Sampler, logits: [Float]) {
        self.request = request
        self.cache = cache
        self.reused = reused
        self.stream = stream
        self.sampler = sampler
        self.logits = logits
    }

    var isActive: Bool { finishReason == nil }

    mutating func finish(_ reason: FinishReason, onText: ((Int, String) -> Void)?, index: Int) {
        finishReason = reason
        if !stream.stopped {
            let rest = stream.finish()
            if !rest.isEmpty { onText?(index, rest) }
        }
        pending = nil
    }

    var result: GenerationResult {
        GenerationResult(tokens: generated, text: stream.text, finishReason: finishReason ?? .length,
                         promptTokens: request.prompt.count, reusedPromptTokens: reused)
    }
}
