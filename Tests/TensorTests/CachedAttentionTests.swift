import XCTest
@testable import Tensor

/// Attention against a KV cache (chunked prefill and decoding) must reproduce the rows of full causal attention
/// over the whole sequence, whatever the chunking: references are the Double `AttentionReference` (head sizes that
/// are multiples of 16), the device's varlen `attentionForward` (any head size; itself checked against torch in
/// AttentionTests) and, for long caches, the softmax formula per row in Double. Cache rows past the chunk hold NaN.
/// Tolerances, as max |error| / max |reference|: 1e-6 up to 338 tokens (measured <= 3e-7), 4e-6 for rows against
/// 1K-8K cached keys (measured up to 1.4e-6: f32 sums over a thousand keys).
final class CachedAttentionTests: XCTestCase {
    let device = TestSupport.device

    /// One sequence of `tokens` tokens: q [tokens, Hq, D], k and v [tokens, Hkv, D].
    struct Sequence {
        let tokens: Int, queryHeads: Int, kvHeads: Int, headDim: Int
        let q, k, v: [Float]
        var scale: Float { 1 / Float(headDim).squareRoot() }

        init(tokens: Int, queryHeads: Int, kvHeads: Int, headDim: Int, seed: UInt64) {
            (self.tokens, self.queryHeads, self.kvHeads, self.headDim) = (tokens, queryHeads, kvHeads, headDim)
            var random = AttentionRandom(seed: seed)
            q = random.array(tokens * queryHeads * headDim, amplitude: 1.5)
            k = random.array(tokens * kvHeads * headDim, amplitude: 1.5)
            v = random.array(tokens * kvHeads * headDim)
        }

        /// A cache of `capacity` rows holding the first `filled` tokens' keys (or values) and NaN after them.
        func cache(_ source: [Float], filled: Int, capacity: Int) -> [Float] {
            let row = kvHeads * headDim
            return Array(source[0..<filled * row]) + [Float](repeating: .nan, count: (capacity - filled) * row)
        }

        func queries(_ rows: Range<Int>) -> [Float] {
            Array(q[rows.lowerBound * queryHeads * headDim..<rows.upperBound * queryHeads * headDim])
        }

        /// Output rows of full causal attention at `positions`, from the softmax formula in Double.
        func referenceRows(_ positions: [Int]) -> [Double] {
            var out: [Double] = []
            let group = queryHeads / kvHeads
            for t in positions {
                for h in 0..<queryHeads {
                    let g = h / group
                    var scores = [Double](repeating: 0, count: t + 1)
                    for j in 0...t {
                        var dot = 0.0
                        for d in 0..<headDim { dot += Double(q[(t * queryHeads + h) * headDim + d]) * Double(k[(j * kvHeads + g) * headDim + d]) }
                        scores[j] = dot * Double(scale)
                    }
                    let m = scores.max()!
                    var total = 0.0
                    var row = [Double](repeating: 0, count: headDim)
                    for j in 0...t {
                        let w = exp(scores[j] - m)
                        total += w
                        for d in 0..<headDim { row[d] += w * Double(v[(j * kvHeads + g) * headDim + d]) }
                    }
                    out += row.map { $0 / total }
                }
            }
            return out
        }
    }

    /// Runs the sequence through `cachedAttentionForward` chunk by chunk, the cache filled up to each chunk's end.
    func runChunks(_ s: Sequence, chunks: [Int], capacity: Int) -> [Float] {
        precondition(chunks.reduce(0, +) == s.tokens)
        var output: [Float] = []
        var start = 0
        for n in chunks {
            let keys = Tensor(s.cache(s.k, filled: start + n, capacity: capacity), shape: [capacity, s.kvHeads, s.headDim], on: device)
            let values = Tensor(s.cache(s.v, filled: start + n, capacity: capacity), shape: keys.shape, on: device)
            let q = Tensor(s.queries(start..<start + n), shape: [n, s.queryHeads, s.headDim], on: device)
            let o = Tensor.zeros(q.shape, on: device)
            device.cachedAttentionForward(q: q, keys: keys, values: values, start: start, scale: s.scale, output: o)
            output += o.floats()
            start += n
        }
        return output
    }

    /// Chunks at starts that are mostly not multiples of 64: single decode steps; 7, 13, 46 and 64 queries (the
    /// split kernel: lines of scores for up to 8 (query, head) columns per kv head, tiles of columns beyond, several
    /// tiles at 46 and 64); 100 and 65 queries (64-query tiles, the first starting mid-tile, 65 spanning two); and
    /// 7 queries at 250..<257, across row 256 (a split boundary), so that six of them see no key of the last split.
    static let schedule = [1, 7, 64, 1, 1, 100, 30, 46, 7, 13, 1, 1, 1, 65]

    func testChunksMatchFullCausalAttention() {
        // Group sizes 1, 3, 4 and 2; head sizes 64, 16, 128 and 24 (not a multiple of 16: the simple kernel, whose
        // rows do not depend on the chunking, so it skips the one-chunk run).
        let cases: [(queryHeads: Int, kvHeads: Int, headDim: Int)] = [
            (2, 2, 64), (3, 1, 64), (8, 2, 16), (2, 1, 128), (3, 1, 24),
        ]
        let tokens = Self.schedule.reduce(0, +)
        for (index, c) in cases.enumerated() {
            let label = "Hq \(c.queryHeads) Hkv \(c.kvHeads) D \(c.headDim)"
            let s = Sequence(tokens: tokens, queryHeads: c.queryHeads, kvHeads: c.kvHeads, headDim: c.headDim,
                             seed: UInt64(40 + index))
            let chunked = runChunks(s, chunks: Self.schedule, capacity: tokens + 37)
            let whole = c.headDim % 16 == 0 ? runChunks(s, chunks: [tokens], capacity: tokens) : chunked
            XCTAssertTrue(chunked.allSatisfy(\.isFinite), "NaN from unused cache rows leaked, \(label)")
            let reference: [Double]
            if c.headDim % 16 == 0 {
                let shape = AttentionShape(tokens: tokens, queryHeads: c.queryHeads, kvHeads: c.kvHeads, headDim: c.headDim)
                reference = AttentionReference.forward(q: s.q, k: s.k, v: s.v, cuSeqlens: [0, Int32(tokens)], shape: shape,
                                                       scale: Double(s.scale)).o
            } else {
                let q = Tensor(s.q, shape: [tokens, c.queryHeads, c.headDim], on: device)
                let k = Tensor(s.k, shape: [tokens, c.kvHeads, c.headDim], on: device)
                let v = Tensor(s.v, shape: k.shape, on: device)
                reference = device.attentionForward(q: q, k: k, v: v, cuSeqlens: [0, Int32(tokens)], scale: s.scale)
                    .output.floats().map(Double.init)
            }
            XCTAssertLessThan(relativeError(chunked, reference), 1e-6, "chunks, \(label)")
            XCTAssertLessThan(relativeError(whole, reference), 1e-6, "one chunk, \(label)")
        }
    }

    /// A whole sequence decoded one token at a time (after a first token), as generation does.
    func testDecodingTokenByTokenMatchesFullAttention() {
        let s = Sequence(tokens: 150, queryHeads: 8, kvHeads: 2, headDim: 64, seed: 7)
        let stepped = runChunks(s, chunks: [Int](repeating: 1, count: 150), capacity: 160)
        let shape = AttentionShape(tokens: 150, queryHeads: 8, kvHeads: 2, headDim: 64)
        let reference = AttentionReference.forward(q: s.q, k: s.k, v: s.v, cuSeqlens: [0, 150], shape: shape,
                                                   scale: Double(s.scale)).o
        XCTAssertLessThan(relativeError(stepped, reference), 1e-6)
    }

    /// Long caches: decoding splits the keys across tasks (26 splits of 5 blocks of 64 rows at 8.2K rows), a
    /// prefill chunk sweeps many key tiles (350 queries at 1010: 7 query tiles, swept two per task and the first,
    /// which starts mid-tile, alone); both against the formula for the rows they produce.
    func testLongCacheDecodeAndPrefillMatchFormula() {
        let s = Sequence(tokens: 8200, queryHeads: 9, kvHeads: 3, headDim: 64, seed: 11)
        let capacity = 8300
        let keys = s.cache(s.k, filled: 8200, capacity: capacity), values = s.cache(s.v, filled: 8200, capacity: capacity)
        for (start, n) in [(8199, 1), (8190, 3), (2100, 1), (1000, 70), (1010, 350)] {
            let shape = CachedAttentionShape(queries: n, start: start, capacity: capacity, queryHeads: 9, kvHeads: 3, headDim: 64)
            // Cache rows past start + n must not be read: poison them.
            var keys = keys, values = values
            for index in (start + n) * 3 * 64..<8200 * 3 * 64 { keys[index] = .nan; values[index] = .nan }
            let o = CachedAttention.forward(q: s.queries(start..<start + n), keys: keys, values: values, shape: shape,
                                            scale: s.scale, threads: 2)
            let rows = n <= 3 ? Array(start..<start + n) : [start, start + 23, start + n / 2, start + n - 1]
            let produced = rows.flatMap { t in o[(t - start) * 9 * 64..<(t - start + 1) * 9 * 64] }
            XCTAssertLessThan(relativeError(Array(produced), s.referenceRows(rows)), 4e-6, "start \(start), \(n) queries")
        }
    }

    /// Tasks are cut by problem size, not by thread count, and every sum runs in a fixed order.
    func testResultsAreBitwiseIdenticalForAnyThreadCount() {
        let s = Sequence(tokens: 1000, queryHeads: 9, kvHeads: 3, headDim: 64, seed: 5)
        let capacity = 1100
        let keys = s.cache(s.k, filled: 1000, capacity: capacity), values = s.cache(s.v, filled: 1000, capacity: capacity)
        // Decode over four splits (lines of scores, then tiles of columns), misaligned prefill chunks (the second,
        // 7 query tiles, is swept two tiles per task by 1 and 2 threads and one per task by 3).
        for (start, n) in [(999, 1), (980, 20), (600, 70), (300, 400)] {
            let shape = CachedAttentionShape(queries: n, start: start, capacity: capacity, queryHeads: 9, kvHeads: 3, headDim: 64)
            let q = s.queries(start..<start + n)
            let one = CachedAttention.forward(q: q, keys: keys, values: values, shape: shape, scale: s.scale, threads: 1)
            for threads in [2, 3] {
                let many = CachedAttention.forward(q: q, keys: keys, values: values, shape: shape, scale: s.scale, threads: threads)
                assertBitwiseEqual(many, one, "start \(start), \(n) queries, \(threads) threads")
            }
        }
    }

    /// An empty chunk writes nothing and reads nothing.
    func testEmptyChunkIsANoOp() {
        let keys = Tensor.zeros([4, 1, 16], on: device)
        let q = Tensor.zeros([0, 2, 16], on: device), o = Tensor.zeros([0, 2, 16], on: device)
        device.cachedAttentionForward(q: q, keys: keys, values: keys, start: 4, scale: 1, output: o)
        XCTAssertEqual(o.elementCount, 0)
    }
}
