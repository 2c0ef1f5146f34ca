/// Causal grouped-query attention of a chunk of new queries against a KV cache (inference: chunked prefill and
/// decoding). The chunk's own keys and values are already in the cache: query i of the chunk is the token at
/// absolute position start + i and sees cache rows 0...start + i.
///
/// Layouts (f32, row-major): q and o are [queries, queryHeads, headDim]; keys and values are the cache,
/// [capacity, kvHeads, headDim], of which only the first start + queries rows are ever read (the rest may hold
/// anything, NaN included). Query head h reads kv head h / (queryHeads / kvHeads).
///
/// Two kernels share the tile products and the base-2 online softmax of the training kernel (`VarlenAttention`):
/// - up to `CachedAttentionDecode.maximumQueries` queries (decoding, short chunks): every (query, head) pair of a
///   kv group scored together (dot products for a few, tiles of columns for more), so each block of cache rows is
///   read once for all heads; the cache is cut into key splits whose partial results are merged in split order
///   (flash-decoding), which keeps every worker busy whatever the number of kv heads;
/// - longer chunks (prefill): 64-query tiles against 64-key tiles, as in training, with tiles aligned to absolute
///   positions so that only one key tile per query tile needs the causal mask, whatever `start` is.
/// Memory: no queries x cache matrix; scratch per worker is a few 64 x headDim tiles (the split kernel: the scaled
/// queries of every kv head too; the tiled kernel: queries and outputs of two query tiles per query head of a
/// group), plus in the workspace, for the split kernel, splits (at most 32) * kvHeads * (queries * groupSize) *
/// (headDim + 2) floats of partial results, and for the tiled kernel the visible keys and values packed into tiles,
/// 2 * (start + queries rounded up to 64) * kvHeads * headDim floats.
///
/// Results are bitwise identical for any `threads`: tasks are cut by problem size only (the tiled kernel puts one or
/// two query tiles in a task depending on `threads`, which changes no sum), every output element has a single
/// writer, and every sum runs in a fixed order.
public enum CachedAttention {
    /// o = softmax(scale * q k^T, query i seeing cache rows 0...start + i) v. Pass one `AttentionWorkspace` to
    /// repeated calls (every layer, every step) to reuse the split kernel's partial results and the tiled kernel's
    /// packed tiles instead of faulting in fresh pages per call.
    public static func forward(
        q: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>, shape: CachedAttentionShape,
        scale: Float, o: UnsafeMutablePointer<Float>, threads: Int = VarlenAttention.defaultThreads,
        workspace: AttentionWorkspace = AttentionWorkspace()
    ) {
        if shape.queries == 0 { return }
        let pool = WorkerPool(workers: threads)
        if shape.queries <= CachedAttentionDecode.maximumQueries {
            CachedAttentionDecode(shape: shape, scale: scale, pool: pool, workspace: workspace)
                .run(q: q, keys: keys, values: values, o: o)
        } else {
            CachedAttentionPrefill(shape: shape, scale: scale, pool: pool, workspace: workspace)
                .run(q: q, keys: keys, values: values, o: o)
        }
    }
}

/// Sizes of one cached attention call.
public struct CachedAttentionShape: Sendable, Equatable {
    /// New tokens in the chunk (rows of q and o).
    public var queries: Int
    /// Absolute position of the chunk's first token.
    public var start: Int
    /// Rows of the cache tensors (at least start + queries).
    public var capacity: Int
    public var queryHeads: Int
    public var kvHeads: Int
    public var headDim: Int

    public init(queries: Int, start: Int, capacity: Int, queryHeads: Int, kvHeads: Int, headDim: Int) {
        precondition(queries >= 0 && start >= 0 && start + queries <= capacity,
                     "cached attention: chunk start \(start) + \(queries) queries must fit the cache capacity \(capacity)")
        precondition(start + queries < 1 << 30, "cached attention: positions past 2^30 are not supported")
        precondition(queryHeads > 0 && kvHeads > 0 && queryHeads % kvHeads == 0,
                     "cached attention: queryHeads (\(queryHeads)) must be a positive multiple of kvHeads (\(kvHeads))")
        precondition(headDim > 0 && headDim % 16 == 0, "cached attention: headDim (\(headDim)) must be a positive multiple of 16")
        (self.queries, self.start, self.capacity) = (queries, start, capacity)
        (self.queryHeads, self.kvHeads, self.headDim) = (queryHeads, kvHeads, headDim)
    }

    public var groupSize: Int { queryHeads / kvHeads }
    /// Cache rows the chunk reads: everything before it and the chunk itself.
    public var visibleKeys: Int { start + queries }
    /// Distance in floats between consecutive tokens of q and o.
    var queryRowStride: Int { queryHeads * headDim }
    /// Distance in floats between consecutive rows of the cache.
    var kvRowStride: Int { kvHeads * headDim }
    public var queryCount: Int { queries * queryHeads * headDim }
    public var cacheCount: Int { capacity * kvHeads * headDim }
}

extension CachedAttention {
    /// Array form of `forward`: returns o [queries, queryHeads, headDim].
    public static func forward(
        q: [Float], keys: [Float], values: [Float], shape: CachedAttentionShape, scale: Float,
        threads: Int = VarlenAttention.defaultThreads
    ) -> [Float] {
        precondition(q.count == shape.queryCount && keys.count == shape.cacheCount && values.count == shape.cacheCount,
                     "cached attention: array sizes do not match \(shape)")
        var o = [Float](repeating: 0, count: shape.queryCount)
        if shape.queries == 0 { return o }
        o.withUnsafeMutableBufferPointer { o in
            forward(q: q, keys: keys, values: values, shape: shape, scale: scale, o: o.baseAddress!, threads: threads)
        }
        return o
    }
}
