/// llama.cpp's SentencePiece tokenizer for GGUF "llama" vocabularies: start from the UTF-8 characters,
/// repeatedly join the adjacent pair whose joined text is a token with the highest score (leftmost on
/// ties), then map each piece to its token, or to `<0xNN>` byte tokens when it has none.
struct ScoredVocabulary: Sendable {
    let scores: [Float]

    func encodeWord(_ word: UnsafeBufferPointer<UInt8>, model: BPEModel, into output: inout [TokenID]) {
        guard !word.isEmpty else { return }
        // Pieces as byte ranges in a linked list.
        var starts: [Int] = [], ends: [Int] = []
        var i = 0
        while i < word.count {
            let end = min(i + utf8SequenceLength(word[i]), word.count)
            starts.append(i)
            ends.append(end)
            i = end
        }
        let n = starts.count
        var next = (0..<n).map { $0 + 1 }
        next[n - 1] = -1
        var prev = (0..<n).map { $0 - 1 }
        var alive = [Bool](repeating: true, count: n)
        // Max-heap on (score, -left): stored as (key, left, right end at push time).
        var heap: [(score: Float, left: Int, size: Int)] = []
        func better(_ a: (score: Float, left: Int, size: Int), _ b: (score: Float, left: Int, size: Int)) -> Bool {
            a.score > b.score || (a.score == b.score && a.left < b.left)
        }
        func push(_ left: Int) {
            let right = next[left]
            guard right >= 0 else { return }
            let start = starts[left], end = ends[right]
            guard let id = model.lookup.get(word.baseAddress! + start, end - start) else { return }
            heap.append((scores[Int(id)], left, end - start))
            var c = heap.count - 1
            while c > 0 {
                let p = (c - 1) / 2
                if !better(heap[c], heap[p]) { break }
                heap.swapAt(c, p)
                c = p
            }
        }
        func pop() -> (score: Float, left: Int, size: Int)? {
            guard let top = heap.first else { return nil }
            let last = heap.removeLast()
            if !heap.isEmpty {
                heap[0] = last
                var c = 0
                while true {
                    let l = 2 * c + 1, r = l + 1
                    var best = c
                    if l < heap.count && better(heap[l], heap[best]) { best = l }
                    if r < heap.count && better(heap[r], heap[best]) { best = r }
                    if best == c { break }
                    heap.swapAt(c, best)
                    c = best
                }
            }
            return top
        }
        for left in 0..<(n - 1) { push(left) }
        while let bigram = pop() {
            let left = bigram.left
            guard alive[left], next[left] >= 0 else { continue }
            let right = next[left]
            // Stale when either side changed since the push.
            guard ends[right] - starts[left] == bigram.size else { continue }
            ends[left] = ends[right]
            alive[right] = false
            next[left] = next[right]
            if next[left] >= 0 { prev[next[left]] = left }
            if prev[left] >= 0 { push(prev[left]) }
            push(left)
        }
        var piece = 0
        while piece >= 0 {
            let start = starts[piece], end = ends[piece]
            if let id = model.lookup.get(word.baseAddress! + start, end - start) {
                output.append(id)
            } else {
                for b in start..<end {
                    let id = model.fallbackIDs[Int(word[b])]
                    if id >= 0 { output.append(TokenID(id)) } else if let unk = model.unknownID { output.append(unk) }
                }
            }
            piece = next[piece]
        }
    }
}
