/// Scratch memory the attention kernels keep between calls: packed key/value tiles, row terms and partial dq.
/// A model that holds one workspace and passes it to every layer's attention reuses pages that are already mapped,
/// instead of faulting in fresh zeroed pages on every call (measured here: about 7% of a backward pass over short
/// documents). Buffers only grow; `release()` gives them back. One call at a time per workspace.
public final class AttentionWorkspace {
    private var buffers: [UnsafeMutablePointer<Float>] = []
    private var capacities: [Int] = []

    public init() {}

    deinit { release() }

    /// Frees every buffer; the next call allocates again.
    public func release() {
        for buffer in buffers { buffer.deallocate() }
        buffers = []
        capacities = []
    }

    /// Floats currently held, for memory reports.
    public var capacity: Int { capacities.reduce(0, +) }

    /// Buffer number `slot` with room for at least `count` floats; its contents are left from earlier calls.
    func floats(_ slot: Int, count: Int) -> UnsafeMutablePointer<Float> {
        while buffers.count <= slot {
            buffers.append(.allocate(capacity: 1))
            capacities.append(0)
        }
        if capacities[slot] < count {
            buffers[slot].deallocate()
            buffers[slot] = .allocate(capacity: count)
            capacities[slot] = count
        }
        return buffers[slot]
    }
}

/// Slots of the workspace. The forward and backward never run at once on one workspace, so they share them.
enum WorkspaceSlot {
    static let keysTransposed = 0
    static let valueRows = 1
    static let valuesTransposed = 1
    static let keyRows = 2
    static let delta = 3
    /// Partial dq of key chunk c (c >= 1) is slot firstQueryGradientPartial + c - 1.
    static let firstQueryGradientPartial = 4
}
