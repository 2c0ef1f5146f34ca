/// Undoes the row permutation llama.cpp's convert_hf_to_gguf.py applies to q and k projections of
/// llama-architecture models (`LlamaModel.permute`):
///
///     w.reshape(n_head, 2, rows // n_head // 2, *rest).swapaxes(1, 2).reshape(w.shape)
///
/// Within each head, HF keeps the two rotary halves apart (rotate_half pairs row i with row
/// i + d/2); llama.cpp interleaves them (row 2i with 2i+1). So GGUF row (head, i, half) holds HF row
/// (head, half, i). `n_head` is the attention head count for q and the key/value head count for k.
public enum RotaryRowOrder {
    /// Rows of `rowLength` values each; `rows` must be a multiple of 2 * heads.
    public static func unpermute(_ values: [Float], rows: Int, rowLength: Int, heads: Int) -> [Float] {
        precondition(values.count == rows * rowLength && heads > 0 && rows % (2 * heads) == 0,
                     "\(values.count) values as \(rows) rows of \(rowLength) cannot split into \(heads) heads")
        if values.isEmpty { return [] }
        let half = rows / heads / 2
        return [Float](unsafeUninitializedCapacity: values.count) { out, initialized in
            values.withUnsafeBufferPointer { src in
                for head in 0..<heads {
                    for side in 0..<2 {
                        for i in 0..<half {
                            let hfRow = head * 2 * half + side * half + i
                            let ggufRow = head * 2 * half + 2 * i + side
                            UnsafeMutableRawPointer(out.baseAddress! + hfRow * rowLength).copyMemory(
                                from: src.baseAddress! + ggufRow * rowLength, byteCount: rowLength * 4)
                        }
                    }
                }
            }
            initialized = values.count
        }
    }
}
