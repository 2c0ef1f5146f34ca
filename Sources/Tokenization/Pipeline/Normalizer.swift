@_spi(_Unicode) import Swift

/// tokenizer.json normalizers, applied to each stretch of text between added tokens.
indirect enum Normalizer: Sendable {
    case nfc, nfd, nfkc, nfkd
    case lowercase
    case strip(left: Bool, right: Bool)
    case stripAccents
    case replace(SplitPattern, with: [UInt8])
    case prepend(String)
    case bert(cleanText: Bool, handleChineseChars: Bool, stripAccents: Bool, lowercase: Bool)
    case sequence([Normalizer])

    func apply(_ text: String) -> String {
        switch self {
        case .sequence(let steps):
            return steps.reduce(text) { $1.apply($0) }
        case .nfc:
            return text.utf8.allSatisfy({ $0 < 0x80 }) ? text : String(decoding: Array(text._nfcCodeUnits), as: UTF8.self)
        case .nfd:
            return text.utf8.allSatisfy({ $0 < 0x80 }) ? text : String(String.UnicodeScalarView(text._nfd))
        case .nfkc:
            return compatibilityNormalized(text, composed: true)
        case .nfkd:
            return compatibilityNormalized(text, composed: false)
        case .lowercase:
            // Per character, as Rust's char::to_lowercase (no final-sigma context).
            var out = String.UnicodeScalarView()
            for scalar in text.unicodeScalars { out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars) }
            return String(out)
        case let .strip(left, right):
            var scalars = Substring(text).unicodeScalars[...]
            if left { while let f = scalars.first, f.properties.isWhitespace { scalars.removeFirst() } }
            if right { while let l = scalars.last, l.properties.isWhitespace { scalars.removeLast() } }
            return String(String.UnicodeScalarView(scalars))
        case .stripAccents:
            return String(String.UnicodeScalarView(text.unicodeScalars.filter { !isCombiningMark($0) }))
        case let .replace(pattern, content):
            let bytes = Array(text.utf8)
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var previous = 0
            bytes.withUnsafeBufferPointer { all in
                pattern.forEachMatch(in: all) { m in
                    out.append(contentsOf: all[previous..<m.lowerBound])
                    out.append(contentsOf: content)
                    previous = m.upperBound
                }
                out.append(contentsOf: all[previous...])
            }
            return String(decoding: out, as: UTF8.self)
        case .prepend(let prefix):
            return text.isEmpty ? text : prefix + text
        case let .bert(cleanText, handleChineseChars, stripAccents, lowercase):
            var out = String.UnicodeScalarView()
            for scalar in text.unicodeScalars {
                if cleanText {
                    if scalar.value == 0 || scalar.value == 0xFFFD || isControl(scalar) { continue }
                    if scalar.properties.isWhitespace { out.append(" "); continue }
                }
                if handleChineseChars && isChineseChar(scalar) {
                    out.append(" "); out.append(scalar); out.append(" ")
                } else {
                    out.append(scalar)
                }
            }
            var result = String(out)
            if stripAccents { result = Normalizer.sequence([.nfd, .stripAccents]).apply(result) }
            if lowercase { result = Normalizer.lowercase.apply(result) }
            return result
        }
    }

    private func isCombiningMark(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    /// BERT's notion of a control character: category C*, except the whitespace ones.
    private func isControl(_ s: Unicode.Scalar) -> Bool {
        if s == "\t" || s == "\n" || s == "\r" { return false }
        switch s.properties.generalCategory {
        case .control, .format, .privateUse, .surrogate, .unassigned: return true
        default: return false
        }
    }

    private func isChineseChar(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
             0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F: return true
        default: return false
        }
    }
}
