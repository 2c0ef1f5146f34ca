import Tensor

/// Keys and values of one sequence for every layer, [capacity, kvHeads, headDim] f32 per layer, token-major so a
/// chunk's keys are written straight into their rows. Capacity grows in steps of `growthStep` tokens (one copy of
/// the cache per step, not per token). Memory: 2 x layers x kvHeads x headDim x 4 bytes per token of capacity
/// (46 KiB per token for SmolLM2-135M): linear in the sequence length.
public final class KVCache: @unchecked Sendable {
    public let device: any Device
    public let layerCount: Int
    public let kvHeads: Int
    public let headDim: Int
    public let growthStep: Int
    /// Tokens whose keys and values are held (the next token's position).
    public private(set) var length = 0
    public private(set) var capacity = 0
    /// The cached tokens themselves, so a later prompt can reuse the longest common prefix.
    public private(set) var tokens: [Int32] = []
    private var layerKeys: [Tensor] = []
    private var layerValues: [Tensor] = []

    public init(config: LlamaConfig, device: any Device, growthStep: Int = 1024) {
        precondition(growthStep > 0, "KVCache: growthStep must be positive")
        self.device = device
        layerCount = config.numHiddenLayers
        kvHeads = config.numKeyValueHeads
        headDim = config.headDim
        self.growthStep = growthStep
    }

    /// Bytes held (capacity, not length).
    public var byteCount: Int { 2 * layerCount * capacity * kvHeads * headDim * 4 }

    /// Makes room for `total` tokens in all (e.g. prompt + tokens to generate) at once, so a long prefill does not
    /// copy the cache at every growth step.
    public func reserveCapacity(_ total: Int) { reserve(max(0, total - length)) }

    /// Makes room for `count` more tokens, growing by whole steps.
    func reserve(_ count: Int) {
        let needed = length + count
        guard needed > capacity else { return }
        let newCapacity = (needed + growthStep - 1) / growthStep * growthStep
        func grown(_ old: Tensor?) -> Tensor {
            let fresh = Tensor.uninitialized([newCapacity, kvHeads, headDim], on: device)
            if let old, length > 0 { device.copy(old.rows(0..<length), to: fresh.rows(0..<length)) }
            return fresh
        }
        layerKeys = (0..<layerCount).map { grown(layerKeys.isEmpty ? nil : layerKeys[$0]) }
        layerValues = (0..<layerCount).map { grown(layerValues.isEmpty ? nil : layerValues[$0]) }
        capacity = newCapacity
    }

    /// Records that `newTokens` now have keys and values in rows length..<length+count.
    func commit(_ newTokens: [Int32]) {
        precondition(length + newTokens.count <= capacity, "KVCache: commit past capacity")
        tokens += newTokens
        length += newTokens.count
    }

    /// Forgets everything from `newLength` on (rows stay allocated and are overwritten later).
    public func truncate(to newLength: Int) {
        precondition(newLength >= 0 && newLength <= length, "KVCache: truncate to \(newLength) of \(length)")
        length = newLength
        tokens.removeLast(tokens.count - newLength)
    }

    /// Frees the memory and forgets every token.
    public func reset() {
        layerKeys = []
        layerValues = []
        capacity = 0
        length = 0
        tokens = []
    }

    func keys(layer: Int) -> Tensor { layerKeys[layer] }
    func values(layer: Int) -> Tensor { layerValues[layer] }
}
