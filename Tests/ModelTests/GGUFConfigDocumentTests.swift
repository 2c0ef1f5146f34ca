import Formats
import Foundation
import XCTest
@testable import Model

/// config.json from GGUF metadata: the SmolLM2 values transformers reads from the same file, in the
/// form both transformers versions read alike; llama3 RoPE recovered from the per-frequency factors
/// llama.cpp stores instead of rope_scaling (factors made here with llama.cpp's own formula).
final class GGUFConfigDocumentTests: XCTestCase {
    func testSmolLM2Config() throws {
        let gguf = try ConvertTestSupport.requireSmolLM2()
        let document = try ConfigDocument(gguf: GGUFModelImport(path: gguf).config, file: gguf)
        let c = document.config
        XCTAssertEqual(c.architectures, ["LlamaForCausalLM"])
        XCTAssertEqual([c.vocabSize, c.hiddenSize, c.intermediateSize, c.numHiddenLayers, c.numAttentionHeads, c.numKeyValueHeads, c.headDim],
                       [49152, 576, 1536, 30, 9, 3, 64])
        XCTAssertEqual(c.maxPositionEmbeddings, 8192)
        XCTAssertEqual(c.rmsNormEps, 9.999999747378752e-06, "the stored float32, widened, as transformers reads it")
        XCTAssertEqual(c.rope, RoPEConfiguration(base: 100_000, headDim: 64, maxPositionEmbeddings: 8192))
        XCTAssertEqual(try RoPEConfiguration(config: document.json, headDim: 64, maxPositionEmbeddings: 8192, reading: .v4), c.rope)
        XCTAssertTrue(c.tieWordEmbeddings)
        XCTAssertEqual([c.bosTokenIds, c.eosTokenIds], [[1], [2]])
        XCTAssertEqual(c.padTokenId, 2)
        XCTAssertEqual(c.warnings, [])
        XCTAssertEqual(document.json.keys, document.json.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) },
                       "keys sorted, as transformers writes them")
    }

    /// convert_hf_to_gguf.py's LlamaModel.generate_extra_tensors: the rope_freqs factors of a llama3 RoPE.
    func llamaCppFactors(base: Double, dim: Int, factor: Double, low: Double = 1, high: Double = 4, original: Double = 8192) -> [Float] {
        let lowWavelength = original / low, highWavelength = original / high
        return stride(from: 0, to: dim, by: 2).map { i -> Float in
            let frequency = 1 / Double(Float(pow(Float(base), Float(i) / Float(dim))))
            let wavelength = 2 * Double.pi / frequency
            if wavelength < highWavelength { return 1 }
            if wavelength > lowWavelength { return Float(factor) }
            let smooth = (original / wavelength - low) / (high - low)
            return Float(1 / ((1 - smooth) / factor + smooth))
        }
    }

    func testLlama3ScalingIsRecoveredFromFrequencyFactors() {
        for (factor, original) in [(8.0, 8192.0), (32.0, 8192.0), (16.0, 4096.0)] {
            let factors = llamaCppFactors(base: 500_000, dim: 128, factor: factor, original: original)
            let found = GGUFRoPEScaling.llama3(matching: factors, base: 500_000, headDim: 128, maxPositions: 131_072)
            XCTAssertEqual(found, Llama3Scaling(factor: factor, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: Int(original)))
        }
        var odd = llamaCppFactors(base: 500_000, dim: 128, factor: 8)
        odd[40] *= 1.01
        XCTAssertNil(GGUFRoPEScaling.llama3(matching: odd, base: 500_000, headDim: 128, maxPositions: 131_072), "no guess when nothing fits")
        XCTAssertNil(GGUFRoPEScaling.llama3(matching: llamaCppFactors(base: 500_000, dim: 128, factor: 8, high: 2), base: 500_000,
                                            headDim: 128, maxPositions: 131_072))
    }
}
