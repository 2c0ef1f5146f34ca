import Foundation
import Formats
import XCTest

/// Name mapping, shapes, q/k un-permutation, config and refusals, on small GGUF files built here.
final class GGUFModelImportTests: XCTestCase {
    struct Tiny {
        var architecture = "llama"
        var hidden = 8, heads = 2, kvHeads = 1, headDim = 4, ffn = 12, layers = 2, vocab = 6
        var tied = false
        var biases = false
    }

    /// llama.cpp's `LlamaModel.permute` (convert_hf_to_gguf.py), written out: GGUF row (h, i, half)
    /// takes HF row (h, half, i).
    static func llamaCppPermute(_ hf: [Float], rows: Int, heads: Int) -> [Float] {
        let rowLength = hf.count / rows, half = rows / heads / 2
        var out = hf
        for h in 0..<heads {
            for side in 0..<2 {
                for i in 0..<half {
                    let from = (h * 2 * half + side * half + i) * rowLength
                    let to = (h * 2 * half + 2 * i + side) * rowLength
                    out[to..<(to + rowLength)] = hf[from..<(from + rowLength)]
                }
            }
        }
        return out
    }

    /// HF tensors (name, HF shape, values) for the config.
    static func hfTensors(_ t: Tiny) -> [(String, [Int], [Float])] {
        var list: [(String, [Int])] = [("model.embed_tokens.weight", [t.vocab, t.hidden])]
        for l in 0..<t.layers {
            let p = "model.layers.\(l)."
            list += [(p + "input_layernorm.weight", [t.hidden]),
                     (p + "self_attn.q_proj.weight", [t.heads * t.headDim, t.hidden])]
            if t.biases { list.append((p + "self_attn.q_proj.bias", [t.heads * t.headDim])) }
            list.append((p + "self_attn.k_proj.weight", [t.kvHeads * t.headDim, t.hidden]))
            if t.biases { list.append((p + "self_attn.k_proj.bias", [t.kvHeads * t.headDim])) }
            list.append((p + "self_attn.v_proj.weight", [t.kvHeads * t.headDim, t.hidden]))
            if t.biases { list.append((p + "self_attn.v_proj.bias", [t.kvHeads * t.headDim])) }
            list += [(p + "self_attn.o_proj.weight", [t.hidden, t.heads * t.headDim]),
                     (p + "post_attention_layernorm.weight", [t.hidden]),
                     (p + "mlp.gate_proj.weight", [t.ffn, t.hidden]),
                     (p + "mlp.up_proj.weight", [t.ffn, t.hidden]),
                     (p + "mlp.down_proj.weight", [t.hidden, t.ffn])]
        }
        list.append(("model.norm.weight", [t.hidden]))
        if !t.tied { list.append(("lm_head.weight", [t.vocab, t.hidden])) }
        return list.enumerated().map { k, e in (e.0, e.1, (0..<e.1.reduce(1, *)).map { Float(k * 1000 + $0) }) }
    }

    static func ggufName(_ hf: String) -> String {
        let table = ["model.embed_tokens.weight": "token_embd.weight", "model.norm.weight": "output_norm.weight", "lm_head.weight": "output.weight"]
        if let n = table[hf] { return n }
        let parts = hf.split(separator: ".", maxSplits: 3)  // model, layers, N, rest
        let rest = String(parts[3])
        let suffixes = ["input_layernorm.weight": "attn_norm.weight", "self_attn.q_proj.weight": "attn_q.weight",
                        "self_attn.q_proj.bias": "attn_q.bias", "self_attn.k_proj.weight": "attn_k.weight",
                        "self_attn.k_proj.bias": "attn_k.bias", "self_attn.v_proj.weight": "attn_v.weight",
                        "self_attn.v_proj.bias": "attn_v.bias", "self_attn.o_proj.weight": "attn_output.weight",
                        "post_attention_layernorm.weight": "ffn_norm.weight", "mlp.gate_proj.weight": "ffn_gate.weight",
                        "mlp.up_proj.weight": "ffn_up.weight", "mlp.down_proj.weight": "ffn_down.weight"]
        return "blk.\(parts[2]).\(suffixes[rest]!)"
    }

    /// A GGUF as llama.cpp's converter would write the HF tensors (F32, dims reversed, q/k permuted
    /// for llama), with the usual metadata.
    static func writer(_ t: Tiny, extraTensors: [GGUFTestWriter.Tensor] = [], configure: (inout GGUFTestWriter) -> Void = { _ in }) -> GGUFTestWriter {
        var w = GGUFTestWriter()
        let a = t.architecture
        w.add("general.architecture", .string(a))
        w.add("\(a).block_count", .uint32(UInt32(t.layers)))
        w.add("\(a).context_length", .uint32(2048))
        w.add("\(a).embedding_length", .uint32(UInt32(t.hidden)))
        w.add("\(a).feed_forward_length", .uint32(UInt32(t.ffn)))
        w.add("\(a).attention.head_count", .uint32(UInt32(t.heads)))
        w.add("\(a).attention.head_count_kv", .uint32(UInt32(t.kvHeads)))
        w.add("\(a).attention.layer_norm_rms_epsilon", .float32(1e-5))
        w.add("\(a).rope.freq_base", .float32(500_000))
        w.add("\(a).rope.dimension_count", .uint32(UInt32(t.headDim)))
        w.add("tokenizer.ggml.tokens", .array(.string, (0..<t.vocab).map { .scalar(.string("t\($0)")) }))
        w.add("tokenizer.ggml.bos_token_id", .uint32(1))
        w.add("tokenizer.ggml.eos_token_id", .uint32(2))
        configure(&w)
        for (name, shape, values) in hfTensors(t) {
            var data = values
            if a == "llama" && (name.contains("q_proj") || name.contains("k_proj")) {
                data = llamaCppPermute(values, rows: shape[0], heads: name.contains("q_proj") ? t.heads : t.kvHeads)
            }
            var bytes: [UInt8] = []
            for v in data { bytes.le(v.bitPattern) }
            w.tensors.append(.init(name: ggufName(name), shape: shape.reversed().map(UInt64.init), type: GGMLType.f32.rawValue, data: bytes))
        }
        w.tensors += extraTensors
        return w
    }

    func open(_ w: GGUFTestWriter) throws -> GGUFModelImport {
        let path = TempFile.write(w.bytes(), name: "import")
        defer { TempFile.remove(path) }  // the mapping outlives the name
        return try GGUFModelImport(path: path)
    }

    func importError(_ w: GGUFTestWriter, line: UInt = #line) -> String {
        let path = TempFile.write(w.bytes(), name: "import")
        defer { TempFile.remove(path) }
        do {
            _ = try GGUFModelImport(path: path)
            XCTFail("expected an error", line: line)
            return ""
        } catch {
            return "\(error)".replacingOccurrences(of: path, with: "FILE")
        }
    }

    func testLlamaNamesShapesAndUnpermutedRows() throws {
        let tiny = Tiny()
        let model = try open(Self.writer(tiny))
        let hf = Self.hfTensors(tiny)
        XCTAssertEqual(model.tensors.map(\.hfName), hf.map(\.0), "HF module order")
        for (name, shape, values) in hf {
            let t = try XCTUnwrap(model.tensor(named: name))
            XCTAssertEqual(t.shape, shape, name)
            XCTAssertEqual(t.ggufName, Self.ggufName(name))
            XCTAssertEqual(try model.floats(named: name), values, name)
        }
        XCTAssertEqual(model.tensor(named: "model.layers.1.self_attn.q_proj.weight")?.rotaryHeads, 2)
        XCTAssertEqual(model.tensor(named: "model.layers.1.self_attn.k_proj.weight")?.rotaryHeads, 1)
        XCTAssertNil(model.tensor(named: "model.layers.1.self_attn.v_proj.weight")?.rotaryHeads)
        // Without un-permuting, q would differ: the test would catch a no-op.
        let q = try XCTUnwrap(model.tensor(named: "model.layers.0.self_attn.q_proj.weight"))
        XCTAssertNotEqual(try model.file.floats(q.info), hf.first { $0.0 == q.hfName }!.2)
    }

    func testConfigFromMetadata() throws {
        let model = try open(Self.writer(Tiny()) { w in
            w.add("llama.rope.scaling.type", .string("yarn"))
            w.add("llama.rope.scaling.factor", .float32(4))
            w.add("llama.rope.scaling.original_context_length", .uint32(512))
            w.add("llama.rope.scaling.attn_factor", .float32(1.5))
        })
        let c = model.config
        XCTAssertEqual(c.architecture, "llama")
        XCTAssertEqual([c.vocabSize, c.hiddenSize, c.intermediateSize, c.numHiddenLayers], [6, 8, 12, 2])
        XCTAssertEqual([c.numAttentionHeads, c.numKeyValueHeads, c.headDim, c.maxPositionEmbeddings], [2, 1, 4, 2048])
        XCTAssertEqual(c.rmsNormEps, Double(Float(1e-5)))
        XCTAssertEqual(c.ropeTheta, 500_000)
        XCTAssertEqual(c.ropeScaling, .init(type: "yarn", factor: 4, originalMaxPositionEmbeddings: 512, attentionFactor: 1.5))
        XCTAssertEqual(c.bosTokenId, 1)
        XCTAssertEqual(c.eosTokenId, 2)
        XCTAssertNil(c.padTokenId)
        XCTAssertFalse(c.tieWordEmbeddings)
        XCTAssertFalse(c.attentionBias)
        XCTAssertTrue(c.qkRowsPermuted)
        XCTAssertNil(c.ropeFrequencyFactors)
    }

    func testTiedEmbeddingsAndRopeFrequencies() throws {
        var tiny = Tiny()
        tiny.tied = true
        var factors: [UInt8] = []
        for v: Float in [1, 1, 8, 8] { factors.le(v.bitPattern) }
        let model = try open(Self.writer(tiny, extraTensors: [.init(name: "rope_freqs.weight", shape: [4], type: 0, data: factors)]) { w in
            w.add("llama.rope.scaling.type", .string("none"))
        })
        XCTAssertTrue(model.config.tieWordEmbeddings)
        XCTAssertNil(model.tensor(named: "lm_head.weight"))
        XCTAssertEqual(model.tensors.last?.hfName, "model.norm.weight")
        XCTAssertEqual(model.config.ropeFrequencyFactors, [1, 1, 8, 8])
        XCTAssertNil(model.config.ropeScaling)
    }

    /// Qwen2 keeps HF's row order (llama.cpp does not permute it) and has q/k/v biases.
    func testQwen2BiasesWithoutPermutation() throws {
        var tiny = Tiny()
        tiny.architecture = "qwen2"
        tiny.biases = true
        let model = try open(Self.writer(tiny))
        XCTAssertTrue(model.config.attentionBias)
        XCTAssertFalse(model.config.qkRowsPermuted)
        for (name, shape, values) in Self.hfTensors(tiny) {
            XCTAssertEqual(model.tensor(named: name)?.shape, shape, name)
            XCTAssertNil(model.tensor(named: name)?.rotaryHeads)
            XCTAssertEqual(try model.floats(named: name), values, name)
        }
        XCTAssertNotNil(model.tensor(named: "model.layers.1.self_attn.v_proj.bias"))
    }

    /// Writing the import as safetensors gives the HF tensors back (what `longctx convert` does).
    func testWritesAsSafetensors() throws {
        let tiny = Tiny()
        let model = try open(Self.writer(tiny))
        let dir = try FormatsTestSupport.temporaryDirectory("gguf-convert")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try SafetensorsCheckpointWriter.write(model.tensorsToWrite(as: .bf16), to: dir)
        let checkpoint = try SafetensorsCheckpoint(path: dir)
        for (name, shape, values) in Self.hfTensors(tiny) {
            XCTAssertEqual(checkpoint.tensor(named: name)?.shape, shape)
            XCTAssertEqual(checkpoint.tensor(named: name)?.dtype, .bf16)
            XCTAssertEqual(try checkpoint.floats(named: name), values.map { HalfPrecision.float(fromBFloat16: HalfPrecision.bfloat16(from: $0)) })
        }
    }

    func testRefusals() {
        var w = Self.writer(Tiny())
        w.tensors.append(.init(name: "blk.0.attn_rot_embd", shape: [4], type: 0, data: [UInt8](repeating: 0, count: 16)))
        XCTAssertEqual(importError(w), "GGUF FILE: tensor \"blk.0.attn_rot_embd\": not a tensor of a Llama-family model; refusing to guess where it goes")

        w = Self.writer(Tiny())
        w.tensors.removeAll { $0.name == "blk.1.ffn_up.weight" }
        XCTAssertEqual(importError(w), "GGUF FILE: tensor \"blk.1.ffn_up.weight\": missing")

        w = Self.writer(Tiny())
        w.tensors.removeAll { $0.name == "token_embd.weight" }
        XCTAssertEqual(importError(w), "GGUF FILE: tensor \"token_embd.weight\": missing")

        w = Self.writer(Tiny())
        let k = w.tensors.firstIndex { $0.name == "blk.0.attn_k.weight" }!
        w.tensors[k].shape = [4, 8]
        XCTAssertEqual(importError(w), "GGUF FILE: tensor \"blk.0.attn_k.weight\": shape (ggml order) is [4, 8], expected [8, 4]")

        w = Self.writer(Tiny())
        w.tensors.append(.init(name: "blk.2.attn_norm.weight", shape: [8], type: 0, data: [UInt8](repeating: 0, count: 32)))
        XCTAssertEqual(importError(w), "GGUF FILE: tensor \"blk.2.attn_norm.weight\": layer 2 but llama.block_count is 2")

        w = Self.writer(Tiny())
        w.tensors.append(.init(name: "blk.1.attn_q.bias", shape: [8], type: 0, data: [UInt8](repeating: 0, count: 32)))
        XCTAssertEqual(importError(w), "GGUF FILE: tensor \"blk.1.attn_q.bias\": only some blocks have this tensor")

        w = Self.writer(Tiny())
        let e = w.tensors.firstIndex { $0.name == "token_embd.weight" }!
        w.tensors[e].type = GGMLType.iq4_NL.rawValue
        w.tensors[e].shape = [32, 6]  // a valid IQ4_NL layout but not the config's shape: shape is checked first
        w.tensors[e].data = [UInt8](repeating: 0, count: 6 * GGMLType.iq4_NL.typeSize)
        XCTAssertEqual(importError(w), "GGUF FILE: tensor \"token_embd.weight\": shape (ggml order) is [32, 6], expected [8, 6]")

        w = Self.writer(Tiny())
        let norm = w.tensors.firstIndex { $0.name == "output_norm.weight" }!
        w.tensors[norm].type = GGMLType.i8.rawValue
        w.tensors[norm].data = [UInt8](repeating: 1, count: 8)
        XCTAssertEqual(importError(w), "GGUF FILE: tensor \"output_norm.weight\": type I8 cannot be dequantized (supported: F32, F16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, BF16)")

        var gemma = Tiny()
        gemma.architecture = "gemma"
        XCTAssertEqual(importError(Self.writer(gemma)), "GGUF FILE: architecture \"gemma\" is not supported (supported: llama, qwen2)")

        w = Self.writer(Tiny())
        w.kvs.removeAll { $0.0 == "llama.attention.layer_norm_rms_epsilon" }
        XCTAssertEqual(importError(w), "GGUF FILE: missing metadata key \"llama.attention.layer_norm_rms_epsilon\"")

        w = Self.writer(Tiny())
        w.kvs.removeAll { $0.0 == "llama.block_count" }
        w.add("llama.block_count", .string("two"))
        XCTAssertTrue(importError(w).hasPrefix("GGUF FILE: metadata \"llama.block_count\": GGUF FILE"), importError(w))
    }
}
