// NFKC/NFKD need the Unicode compatibility decomposition data, which the standard library does not
// expose; Foundation carries it. Kept to this one file so the rest of the module needs no Foundation.
import Foundation

func compatibilityNormalized(_ text: String, composed: Bool) -> String {
    if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
    return composed ? text.precomposedStringWithCompatibilityMapping : text.decomposedStringWithCompatibilityMapping
}
