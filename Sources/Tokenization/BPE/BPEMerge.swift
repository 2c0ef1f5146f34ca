extension BPEModel {
    /// Encodes one pre-tokenized word and appends its ids.
    func encodeWord(_ word: UnsafeBufferPointer<UInt8>, into output: inout [TokenID], workspace: inout BPEWorkspace) {
        guard word.count > 0 else { return }
        if let scored {
            scored.encodeWord(word, model: self, into: &output)
            return
        }
        if ignoreMerges, let id = lookup.get(word.baseAddress!, word.count) {
            output.append(id)
            return
        }
        initialSymbols(word, into: &workspace.symbols)
        if workspace.symbols.count > 1 {
            if workspace.symbols.count <= 48 {
                mergeByScanning(&workspace)
            } else {
                mergeWithHeap(&workspace)
            }
        }
        output.append(contentsOf: workspace.symbols)
    }

    /// The symbols BPE starts from: bytes, or scalars with byte fallback and unknown handling.
    private func initialSymbols(_ word: UnsafeBufferPointer<UInt8>, into symbols: inout [TokenID]) {
        symbols.removeAll(keepingCapacity: true)
        var lastWasUnknown = false
        switch alphabet {
        case .bytes:
            for b in word {
                let id = byteIDs[Int(b)]
                if id >= 0 {
                    symbols.append(TokenID(id))
                    lastWasUnknown = false
                } else {
                    appendUnknown(&symbols, &lastWasUnknown)
                }
            }
        case .scalars:
            var i = 0
            while i < word.count {
                let length = utf8SequenceLength(word[i])
                let end = min(i + length, word.count)
                if let id = lookup.get(word.baseAddress! + i, end - i) {
                    symbols.append(id)
                    lastWasUnknown = false
                } else if byteFallback, (i..<end).allSatisfy({ fallbackIDs[Int(word[$0])] >= 0 }) {
                    for j in i..<end { symbols.append(TokenID(fallbackIDs[Int(word[j])])) }
                    lastWasUnknown = false
                } else {
                    appendUnknown(&symbols, &lastWasUnknown)
                }
                i = end
            }
        }
    }

    /// tokenizers' rule: an unknown symbol becomes the unk token (consecutive ones fused when asked);
    /// without an unk token it is dropped.
    private func appendUnknown(_ symbols: inout [TokenID], _ lastWasUnknown: inout Bool) {
        guard let unknownID else { return }
        if fuseUnknown && lastWasUnknown { return }
        symbols.append(unknownID)
        lastWasUnknown = true
    }

    /// Short words: find the best pair by a linear scan each round (few symbols, no heap overhead).
    private func mergeByScanning(_ ws: inout BPEWorkspace) {
        let noMerge = UInt32.max
        ws.ranks.removeAll(keepingCapacity: true)
        for i in 0..<(ws.symbols.count - 1) {
            ws.ranks.append(merges.lookup(ws.symbols[i], ws.symbols[i + 1]).map { UInt32($0 >> 32) } ?? noMerge)
        }
        while true {
            var best = noMerge
            var at = -1
            for i in 0..<ws.ranks.count where ws.ranks[i] < best {
                best = ws.ranks[i]
                at = i
            }
            if at < 0 { return }
            let merged = TokenID(truncatingIfNeeded: merges.lookup(ws.symbols[at], ws.symbols[at + 1])!)
            ws.symbols[at] = merged
            ws.symbols.remove(at: at + 1)
            ws.ranks.remove(at: at)
            if at > 0 {
                ws.ranks[at - 1] = merges.lookup(ws.symbols[at - 1], merged).map { UInt32($0 >> 32) } ?? noMerge
            }
            if at < ws.ranks.count {
                ws.ranks[at] = merges.lookup(merged, ws.symbols[at + 1]).map { UInt32($0 >> 32) } ?? noMerge
            }
        }
    }

    /// Long words (a 10 MB line without spaces): a heap of candidate pairs over a linked list of
    /// symbols, O(n log n). Stale heap entries are skipped when popped.
    private func mergeWithHeap(_ ws: inout BPEWorkspace) {
        let n = ws.symbols.count
        ws.next = (0..<n).map { Int32($0 + 1) }
        ws.next[n - 1] = -1
        ws.prev = (0..<n).map { Int32($0 - 1) }
        ws.alive = [Bool](repeating: true, count: n)
        ws.heap.removeAll()
        for i in 0..<(n - 1) {
            if let m = merges.lookup(ws.symbols[i], ws.symbols[i + 1]) { ws.heap.push(rank: UInt32(m >> 32), position: i) }
        }
        while let (rank, position) = ws.heap.pop() {
            guard ws.alive[position] else { continue }
            let right = Int(ws.next[position])
            guard right >= 0, let m = merges.lookup(ws.symbols[position], ws.symbols[right]),
                  UInt32(m >> 32) == rank else { continue }
            ws.symbols[position] = TokenID(truncatingIfNeeded: m)
            ws.alive[right] = false
            let after = Int(ws.next[right])
            ws.next[position] = Int32(after)
            if after >= 0 { ws.prev[after] = Int32(position) }
            let before = Int(ws.prev[position])
            if before >= 0, let p = merges.lookup(ws.symbols[before], ws.symbols[position]) {
                ws.heap.push(rank: UInt32(p >> 32), position: before)
            }
            if after >= 0, let p = merges.lookup(ws.symbols[position], ws.symbols[after]) {
                ws.heap.push(rank: UInt32(p >> 32), position: position)
            }
        }
        var compact: [TokenID] = []
        compact.reserveCapacity(n)
        var i = 0
        while i >= 0 {
            compact.append(ws.symbols[i])
            i = Int(ws.next[i])
        }
        ws.symbols = compact
    }
}

/// Bytes in the UTF-8 sequence that starts with `lead` (1 for stray continuation bytes).
@inline(__always)
func utf8SequenceLength(_ lead: UInt8) -> Int {
    if lead < 0x80 { return 1 }
    if lead >= 0xF0 { return 4 }
    if lead >= 0xE0 { return 3 }
    if lead >= 0xC0 { return 2 }
    return 1
}
