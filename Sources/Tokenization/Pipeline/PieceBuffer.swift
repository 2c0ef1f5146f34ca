/// Text being pre-tokenized: one byte buffer and the pieces cut from it so far. Steps that only cut
/// (regex splits) rewrite `pieces`; steps that change bytes (a prefix space, Metaspace) rebuild both.
struct PieceBuffer {
    var bytes: [UInt8] = []
    var pieces: [Range<Int>] = []
    /// Whether piece 0 begins at offset 0 of the original input (Metaspace's prepend_scheme "first").
    var firstPieceAtOrigin = false

    mutating func reset(with text: UnsafeBufferPointer<UInt8>, atOrigin: Bool) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: text)
        pieces.removeAll(keepingCapacity: true)
        if !text.isEmpty { pieces.append(0..<text.count) }
        firstPieceAtOrigin = atOrigin
    }
}
