import Foundation
import XCTest
@testable import Model

final class DynamicNTKBaseTests: XCTestCase {
    /// ProLong (appendix B.1): "dynamic NTK suggests 4e6" for Llama-3 (5e5 at 8K) trained at 64K, and
    /// "64e6" for ProLong-64K (8e6) trained at 512K. Expected values computed in Python: 5e5 * 8 ** (64/63), etc.
    func testProLongSuggestions() {
        let at64K = RoPEConfiguration.dynamicNTKBase(base: 5e5, originalLength: 8192, targetLength: 65_536, rotaryDim: 128)
        XCTAssertEqual(at64K, 4_134_231.132, accuracy: 1e-3)
        let at512K = RoPEConfiguration.dynamicNTKBase(base: 8e6, originalLength: 65_536, targetLength: 524_288, rotaryDim: 128)
        XCTAssertEqual(at512K, 66_147_698.112, accuracy: 1e-3)
        // From Llama-3's own 5e5 at 8K straight to 512K the rule gives less: 5e5 x 64^(64/63).
        XCTAssertEqual(RoPEConfiguration.dynamicNTKBase(base: 5e5, originalLength: 8192, targetLength: 524_288, rotaryDim: 128),
                       34_183_734.106, accuracy: 1e-3)
    }

    func testSuggestionUsesTheRotaryDimension() throws {
        let config = try ModelTestData.document("smollm2-135m").config
        XCTAssertEqual(config.rope.suggestedDynamicNTKBase(originalLength: 8192, targetLength: 32_768),
                       100_000 * Foundation.pow(4, 64.0 / 62), accuracy: 1e-6)
        XCTAssertEqual(RoPEConfiguration.dynamicNTKBase(base: 1e4, originalLength: 4096, targetLength: 4096, rotaryDim: 64), 1e4)
    }

    /// The dynamic type applies the same rule at run time once a sequence outgrows max_position_embeddings
    /// (with factor 1 it is exactly this suggestion).
    func testDynamicScalingGrowsTheBaseByTheRule() {
        let rope = RoPEConfiguration(base: 5e5, scaling: .dynamic(factor: 1), headDim: 128, maxPositionEmbeddings: 8192)
        let suggested = RoPEConfiguration(base: rope.suggestedDynamicNTKBase(originalLength: 8192, targetLength: 65_536),
                                          headDim: 128, maxPositionEmbeddings: 65_536)
        XCTAssertEqual(rope.frequencies(sequenceLength: 65_536), suggested.frequencies())
        XCTAssertEqual(rope.frequencies(sequenceLength: 8192), RoPEConfiguration(base: 5e5, headDim: 128, maxPositionEmbeddings: 8192).frequencies())
    }
}
