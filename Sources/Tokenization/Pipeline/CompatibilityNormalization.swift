// NFKC/NFKD need the Unicode compatibility decomposition data, which the standard library does not
// expose; Foundation carries it. Kept to this one file so the rest of the module needs no Foundation.
import Foundation

func compatibilityNormalized(_ text: String, composed: Bool) -> String {
    if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
    let decomposed = text.decomposedStringWithCompatibilityMapping
    // Foundation's own NFKC leaves some pairs uncomposed (halfwidth ｶﾞ stays カ + U+3099), so compose
    // with the standard library's NFC instead: NFKC = NFC(NFKD) by definition.
    return composed ? String(decoding: Array(decomposed._nfcCodeUnits), as: UTF8.self) : decomposed
}
