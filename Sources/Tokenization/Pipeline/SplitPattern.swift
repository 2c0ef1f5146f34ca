/// What a Split pre-tokenizer or Replace normalizer looks for: a regex, or a literal string.
enum SplitPattern: Sendable {
    case regex(PretokenPattern)
    case literal([UInt8])

    /// Calls `body` with each match inside `bytes`, offsets relative to `bytes`.
    func forEachMatch(in bytes: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        switch self {
        case .regex(let pattern):
            pattern.forEachMatch(in: bytes, body)
        case .literal(let needle):
            guard !needle.isEmpty, bytes.count >= needle.count else { return }
            var i = 0
            let first = needle[0]
            needle.withUnsafeBufferPointer { n in
                while i + n.count <= bytes.count {
                    if bytes[i] == first && memcmpEqual(bytes.baseAddress! + i, n.baseAddress!, n.count) {
                        body(i..<(i + n.count))
                        i += n.count
                    } else {
                        i += 1
                    }
                }
            }
        }
    }
}

/// tokenizers' SplitDelimiterBehavior: what becomes of the delimiters a pattern finds.
enum SplitBehavior: String, Sendable {
    case removed = "Removed"
    case isolated = "Isolated"
    case mergedWithPrevious = "MergedWithPrevious"
    case mergedWithNext = "MergedWithNext"
    case contiguous = "Contiguous"

    /// Cuts `whole` by `parts` (a cover of it: gaps and matches in order) and appends the non-empty pieces.
    func apply(parts: [(range: Range<Int>, isMatch: Bool)], into pieces: inout [Range<Int>]) {
        let first = pieces.count
        switch self {
        case .isolated:
            for part in parts { pieces.append(part.range) }
        case .removed:
            for part in parts where !part.isMatch { pieces.append(part.range) }
        case .mergedWithPrevious:
            var previousMatch = false
            for part in parts {
                if part.isMatch && !previousMatch && pieces.count > first {
                    pieces[pieces.count - 1] = pieces[pieces.count - 1].lowerBound..<part.range.upperBound
                } else {
                    pieces.append(part.range)
                }
                previousMatch = part.isMatch
            }
        case .mergedWithNext:
            var reversed: [Range<Int>] = []
            var previousMatch = false
            for part in parts.reversed() {
                if part.isMatch && !previousMatch && !reversed.isEmpty {
                    reversed[reversed.count - 1] = part.range.lowerBound..<reversed[reversed.count - 1].upperBound
                } else {
                    reversed.append(part.range)
                }
                previousMatch = part.isMatch
            }
            pieces.append(contentsOf: reversed.reversed())
        case .contiguous:
            var previousMatch = false
            for part in parts {
                if part.isMatch == previousMatch && pieces.count > first {
                    pieces[pieces.count - 1] = pieces[pieces.count - 1].lowerBound..<part.range.upperBound
                } else {
                    pieces.append(part.range)
                }
                previousMatch = part.isMatch
            }
        }
        // Empty pieces vanish, as in tokenizers.
        var write = first
        for read in first..<pieces.count where !pieces[read].isEmpty {
            pieces[write] = pieces[read]
            write += 1
        }
        pieces.removeLast(pieces.count - write)
    }
}
