// Pattern parser: Oniguruma / Perl-like syntax -> `RegexNode` tree.
// Offsets in errors are counted in Unicode scalars from the start of the pattern.

enum RegexAssertKind {
    static let textStart: UInt8 = 0     // \A, ^ without (?m)
    static let textEnd: UInt8 = 1       // \z, \Z
    static let textEndNL: UInt8 = 2     // $ without (?m): end, or before a final \n
    static let lineStart: UInt8 = 3     // ^ with (?m)
    static let lineEnd: UInt8 = 4       // $ with (?m)
    static let wordBoundary: UInt8 = 5  // \b
    static let notWordBoundary: UInt8 = 6  // \B
}

enum RegexRepeatKind: UInt8 { case greedy = 0, lazy = 1, possessive = 2 }

indirect enum RegexNode {
    case empty
    case char(UInt32)
    case set(Int)                 // index into the parser's set list
    case any(dotAll: Bool)
    case concat([RegexNode])
    case alt([RegexNode])
    case rep(RegexNode, min: Int, max: Int, kind: RegexRepeatKind)   // max == -1: unbounded
    case look(RegexNode, behind: Bool, negated: Bool)
    case atomic(RegexNode)
    case assertion(UInt8)
}

struct RegexFlags {
    var caseInsensitive = false
    var multiline = false
    var dotAll = false
    var extended = false
}

let regexMaxRepeat = 100_000

struct RegexParser {
    let pattern: String
    let src: [UInt32]
    var i = 0
    var sets: [RegexSetSpec] = []
    var depth = 0

    init(_ pattern: String) {
        self.pattern = pattern
        self.src = pattern.unicodeScalars.map(\.value)
    }

    func error(_ offset: Int, _ message: String) -> PatternError {
        PatternError(pattern: pattern, offset: offset, message: message)
    }

    mutating func parse() throws(PatternError) -> RegexNode {
        let node = try parseAlternation(RegexFlags())
        if i < src.count {
            // Only a stray ')' stops the top-level alternation early.
            throw error(i, "unbalanced parenthesis")
        }
        return node
    }

    // MARK: - Structure

    mutating func parseAlternation(_ initial: RegexFlags) throws(PatternError) -> RegexNode {
        var flags = initial
        var alts: [RegexNode] = [try parseConcat(&flags)]
        while i < src.count && src[i] == 0x7C {  // |
            i += 1
            alts.append(try parseConcat(&flags))
        }
        if alts.count == 1 { return alts[0] }
        // Flatten nested alternations: (?:a|b)|c == a|b|c under leftmost-first semantics.
        var flat: [RegexNode] = []
        for a in alts {
            if case .alt(let inner) = a { flat.append(contentsOf: inner) } else { flat.append(a) }
        }
        return .alt(flat)
    }

    mutating func skipExtended(_ flags: RegexFlags) {
        guard flags.extended else { return }
        while i < src.count {
            let c = src[i]
            if c == 0x20 || (c >= 9 && c <= 13) {
                i += 1
            } else if c == 0x23 {  // # comment to end of line
                while i < src.count && src[i] != 10 { i += 1 }
            } else {
                break
            }
        }
    }

    mutating func parseConcat(_ flags: inout RegexFlags) throws(PatternError) -> RegexNode {
        var items: [RegexNode] = []
        while true {
            skipExtended(flags)
            guard i < src.count else { break }
            let c = src[i]
            if c == 0x7C || c == 0x29 { break }  // | )
            var atom: RegexNode
            switch c {
            case 0x28:  // (
                guard let g = try parseGroup(&flags) else { continue }
                atom = g
            case 0x5B:  // [
                atom = .set(try parseClass(flags))
            case 0x2E:  // .
                i += 1
                atom = .any(dotAll: flags.dotAll)
            case 0x5E:  // ^
                i += 1
                atom = .assertion(flags.multiline ? RegexAssertKind.lineStart : RegexAssertKind.textStart)
            case 0x24:  // $
                i += 1
                atom = .assertion(flags.multiline ? RegexAssertKind.lineEnd : RegexAssertKind.textEndNL)
            case 0x5C:  // backslash
                atom = try parseEscapeAtom(flags)
            case 0x2A, 0x2B, 0x3F:  // * + ?
                throw error(i, "nothing to repeat")
            case 0x7B:  // {
                if braceQuantifier(at: i) != nil { throw error(i, "nothing to repeat") }
                i += 1
                atom = literal(c, flags)
            default:
                i += 1
                atom = literal(c, flags)
            }
            atom = try parseQuantifiers(atom, flags)
            switch atom {
            case .concat(let inner): items.append(contentsOf: inner)
            case .empty: break
            default: items.append(atom)
            }
        }
        if items.isEmpty { return .empty }
        if items.count == 1 { return items[0] }
        return .concat(items)
    }

    /// Parses `{n}`, `{n,}`, `{n,m}`, `{,m}` at `at`; returns (min, max, index after) or nil when the
    /// brace is not a quantifier (then it is a literal, as in Oniguruma and Python).
    func braceQuantifier(at: Int) -> (Int, Int, Int, Bool)? {
        var j = at + 1
        func number(_ j: inout Int) -> Int? {
            var v = 0, any = false
            while j < src.count, src[j] >= 0x30, src[j] <= 0x39 {
                v = min(v * 10 + Int(src[j] - 0x30), Int(Int32.max))
                any = true
                j += 1
            }
            return any ? v : nil
        }
        let lo = number(&j)
        var hi: Int? = lo
        var unbounded = false
        if j < src.count && src[j] == 0x2C {  // ,
            j += 1
            hi = number(&j)
            if hi == nil { unbounded = true }
        }
        guard j < src.count, src[j] == 0x7D else { return nil }  // }
        if lo == nil && hi == nil { return nil }
        return (lo ?? 0, unbounded ? -1 : hi!, j + 1, true)
    }

    mutating func parseQuantifiers(_ atom: RegexNode, _ flags: RegexFlags) throws(PatternError) -> RegexNode {
        skipExtended(flags)
        guard i < src.count else { return atom }
        let qStart = i
        var lo = 0, hi = -1
        switch src[i] {
        case 0x2A: lo = 0; hi = -1; i += 1
        case 0x2B: lo = 1; hi = -1; i += 1
        case 0x3F: lo = 0; hi = 1; i += 1
        case 0x7B:
            guard let q = braceQuantifier(at: i) else { return atom }
            lo = q.0; hi = q.1
            if lo > regexMaxRepeat || hi > regexMaxRepeat { throw error(qStart, "repeat count too large") }
            if hi >= 0 && lo > hi { throw error(qStart, "min repeat greater than max repeat") }
            i = q.2
        default:
            return atom
        }
        var kind = RegexRepeatKind.greedy
        if i < src.count && src[i] == 0x3F { kind = .lazy; i += 1 }
        else if i < src.count && src[i] == 0x2B { kind = .possessive; i += 1 }
        skipExtended(flags)
        if i < src.count {
            let c = src[i]
            if c == 0x2A || c == 0x2B || c == 0x3F || (c == 0x7B && braceQuantifier(at: i) != nil) {
                throw error(i, "multiple repeat")
            }
        }
        if case .empty = atom { return atom }
        return .rep(atom, min: lo, max: hi, kind: kind)
    }

    /// Parses a group starting at '('. Returns nil for constructs that produce nothing
    /// (a bare flag group like `(?i)` or a comment).
    mutating func parseGroup(_ flags: inout RegexFlags) throws(PatternError) -> RegexNode? {
        let start = i
        i += 1
        depth += 1
        defer { depth -= 1 }
        if depth > 250 { throw error(start, "pattern nested too deeply") }
        var inner = flags
        var wrap: (RegexNode) -> RegexNode = { $0 }
        if i < src.count && src[i] == 0x3F {  // ?
            i += 1
            guard i < src.count else { throw error(start, "missing )") }
            let c = src[i]
            switch c {
            case 0x3A: i += 1  // (?:
            case 0x3D: i += 1; wrap = { .look($0, behind: false, negated: false) }  // (?=
            case 0x21: i += 1; wrap = { .look($0, behind: false, negated: true) }   // (?!
            case 0x3E: i += 1; wrap = { .atomic($0) }                                // (?>
            case 0x23:  // (?# comment )
                while i < src.count && src[i] != 0x29 { i += 1 }
                guard i < src.count else { throw error(start, "missing )") }
                i += 1
                return nil
            case 0x3C:  // (?<  lookbehind or named group
                if i + 1 < src.count && src[i + 1] == 0x3D {
                    i += 2; wrap = { .look($0, behind: true, negated: false) }
                } else if i + 1 < src.count && src[i + 1] == 0x21 {
                    i += 2; wrap = { .look($0, behind: true, negated: true) }
                } else {
                    i += 1
                    try skipGroupName(terminator: 0x3E, start: start)
                }
            case 0x50:  // (?P<name>
                if i + 1 < src.count && src[i + 1] == 0x3C {
                    i += 2
                    try skipGroupName(terminator: 0x3E, start: start)
                } else {
                    throw error(start, "unsupported group construct (backreference)")
                }
            case 0x27:  // (?'name'
                i += 1
                try skipGroupName(terminator: 0x27, start: start)
            default:
                // Inline flags: (?imsx-imsx) or (?imsx-imsx: ... )
                var on = true
                var newFlags = flags
                var sawAny = false
                while i < src.count {
                    let f = src[i]
                    if f == 0x2D { on = false; i += 1; continue }
                    if f == 0x3A || f == 0x29 { break }
                    switch f {
                    case 0x69: newFlags.caseInsensitive = on
                    case 0x6D: newFlags.multiline = on
                    case 0x73: newFlags.dotAll = on
                    case 0x78: newFlags.extended = on
                    default: throw error(i, "unknown group flag or construct")
                    }
                    sawAny = true
                    i += 1
                }
                guard i < src.count else { throw error(start, "missing )") }
                _ = sawAny
                if src[i] == 0x29 {  // (?i) applies to the rest of the enclosing group
                    i += 1
                    flags = newFlags
                    return nil
                }
                i += 1  // ':'
                inner = newFlags
            }
        }
        let body = try parseAlternation(inner)
        guard i < src.count, src[i] == 0x29 else { throw error(start, "missing )") }
        i += 1
        let node = wrap(body)
        if case .look(_, true, _) = node {
            let (_, maxLen) = RegexCompiler.lengthRange(body)
            guard let maxLen, maxLen <= 10_000 else {
                throw error(start, "lookbehind requires a bounded length")
            }
        }
        return node
    }

    mutating func skipGroupName(terminator: UInt32, start: Int) throws(PatternError) {
        let nameStart = i
        while i < src.count && src[i] != terminator && src[i] != 0x29 { i += 1 }
        guard i < src.count, src[i] == terminator, i > nameStart else { throw error(start, "bad group name") }
        i += 1
    }

    // MARK: - Atoms

    mutating func literal(_ c: UInt32, _ flags: RegexFlags) -> RegexNode {
        if flags.caseInsensitive {
            let v = regexCaseVariants(c)
            if v.count > 1 {
                var s = RegexSetSpec()
                for x in v { s.ranges.append(x...x) }
                s.normalize()
                sets.append(s)
                return .set(sets.count - 1)
            }
        }
        return .char(c)
    }

    enum Escape {
        case scalar(UInt32)
        case set(RegexSetSpec)
        case assertion(UInt8)
    }

    mutating func parseEscapeAtom(_ flags: RegexFlags) throws(PatternError) -> RegexNode {
        switch try parseEscape(inClass: false, flags) {
        case .scalar(let c): return literal(c, flags)
        case .set(var s):
            s.normalize()
            sets.append(s)
            return .set(sets.count - 1)
        case .assertion(let k): return .assertion(k)
        }
    }

    func isHex(_ c: UInt32) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
    }
    func hexValue(_ c: UInt32) -> UInt32 {
        c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10
    }

    /// Reads exactly/at most `count` hex digits (at least `minCount`).
    mutating func readHex(min minCount: Int, max maxCount: Int, start: Int) throws(PatternError) -> UInt32 {
        var v: UInt32 = 0, k = 0
        while k < maxCount, i < src.count, isHex(src[i]) {
            v = v * 16 + hexValue(src[i])
            i += 1; k += 1
        }
        if k < minCount { throw error(start, "bad hexadecimal escape") }
        return v
    }

    mutating func readBracedHex(start: Int) throws(PatternError) -> UInt32 {
        i += 1  // {
        var v: UInt32 = 0, k = 0
        while i < src.count, isHex(src[i]) {
            v = v &* 16 &+ hexValue(src[i])
            if v > 0x10FFFF { throw error(start, "code point out of range") }
            i += 1; k += 1
        }
        guard k > 0, i < src.count, src[i] == 0x7D else { throw error(start, "bad hexadecimal escape") }
        i += 1
        return v
    }

    func checkScalar(_ v: UInt32, start: Int) throws(PatternError) -> UInt32 {
        if v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) { throw error(start, "invalid code point") }
        return v
    }

    mutating func parseEscape(inClass: Bool, _ flags: RegexFlags) throws(PatternError) -> Escape {
        let start = i
        i += 1
        guard i < src.count else { throw error(start, "bad escape (end of pattern)") }
        let c = src[i]
        i += 1
        switch c {
        case 0x64: return .set(.digit)                            // d
        case 0x44: var s = RegexSetSpec.digit; s.negated = true; return .set(s)
        case 0x73: return .set(.space)                            // s
        case 0x53: var s = RegexSetSpec.space; s.negated = true; return .set(s)
        case 0x77: return .set(.word)                             // w
        case 0x57: var s = RegexSetSpec.word; s.negated = true; return .set(s)
        case 0x70, 0x50:                                          // p P
            var s = try parseProperty(start: start, flags)
            if c == 0x50 { s.negated.toggle() }
            return .set(s)
        case 0x6E: return .scalar(10)   // n
        case 0x72: return .scalar(13)   // r
        case 0x74: return .scalar(9)    // t
        case 0x66: return .scalar(12)   // f
        case 0x76: return .scalar(11)   // v
        case 0x61: return .scalar(7)    // a
        case 0x65: return .scalar(27)   // e
        case 0x30:                      // \0 and octal \0oo
            var v: UInt32 = 0, k = 0
            while k < 2, i < src.count, src[i] >= 0x30, src[i] <= 0x37 { v = v * 8 + src[i] - 0x30; i += 1; k += 1 }
            return .scalar(v)
        case 0x78:                      // x
            if i < src.count && src[i] == 0x7B {
                return .scalar(try checkScalar(try readBracedHex(start: start), start: start))
            }
            return .scalar(try readHex(min: 1, max: 2, start: start))
        case 0x75:                      // u
            if i < src.count && src[i] == 0x7B {
                return .scalar(try checkScalar(try readBracedHex(start: start), start: start))
            }
            return .scalar(try checkScalar(try readHex(min: 4, max: 4, start: start), start: start))
        case 0x55:                      // U
            return .scalar(try checkScalar(try readHex(min: 8, max: 8, start: start), start: start))
        case 0x62:                      // b
            return inClass ? .scalar(8) : .assertion(RegexAssertKind.wordBoundary)
        case 0x42 where !inClass: return .assertion(RegexAssertKind.notWordBoundary)
        case 0x41 where !inClass: return .assertion(RegexAssertKind.textStart)
        case 0x7A where !inClass, 0x5A where !inClass: return .assertion(RegexAssertKind.textEnd)
        case 0x31...0x39, 0x6B:
            throw error(start, "backreferences are not supported")
        default:
            if (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) {
                throw error(start, "bad escape \\\(Character(Unicode.Scalar(c)!))")
            }
            return .scalar(c)
        }
    }

    mutating func parseProperty(start: Int, _ flags: RegexFlags) throws(PatternError) -> RegexSetSpec {
        guard i < src.count else { throw error(start, "bad property escape") }
        var name = ""
        var negated = false
        if src[i] == 0x7B {
            i += 1
            if i < src.count && src[i] == 0x5E { negated = true; i += 1 }
            while i < src.count && src[i] != 0x7D {
                name.unicodeScalars.append(Unicode.Scalar(src[i])!)
                i += 1
            }
            guard i < src.count else { throw error(start, "missing } in property escape") }
            i += 1
        } else {
            name.unicodeScalars.append(Unicode.Scalar(src[i])!)
            i += 1
        }
        guard var spec = regexLookupProperty(name) else {
            throw error(start, "unknown property \(name)")
        }
        if flags.caseInsensitive && spec.codes & RegexCat.casedLetter != 0 {
            // Like Python's regex module: (?i)\p{Lu} / \p{Ll} / \p{Lt} match any cased letter.
            spec.codes |= RegexCat.casedLetter
        }
        if negated { spec.negated.toggle() }
        return spec
    }

    /// Parses `[...]`, returns the index of the new set.
    mutating func parseClass(_ flags: RegexFlags) throws(PatternError) -> Int {
        let start = i
        i += 1
        var spec = RegexSetSpec()
        var negated = false
        if i < src.count && src[i] == 0x5E { negated = true; i += 1 }
        var first = true
        let ci = flags.caseInsensitive
        while true {
            guard i < src.count else { throw error(start, "unterminated character set") }
            let c = src[i]
            if c == 0x5D && !first { i += 1; break }  // ]
            first = false
            let itemStart = i
            var lo: UInt32
            if c == 0x5B && i + 1 < src.count && src[i + 1] == 0x3A {  // [:
                // Only reject real POSIX bracket expressions; otherwise '[' is literal.
                var j = i + 2
                while j < src.count && src[j] != 0x5D && src[j] != 0x3A { j += 1 }
                if j + 1 < src.count && src[j] == 0x3A && src[j + 1] == 0x5D {
                    throw error(itemStart, "POSIX bracket classes are not supported")
                }
                lo = c; i += 1
            } else if c == 0x5C {
                switch try parseEscape(inClass: true, flags) {
                case .scalar(let v): lo = v
                case .set(let s):
                    if i + 1 < src.count && src[i] == 0x2D && src[i + 1] != 0x5D {
                        throw error(itemStart, "bad character range")
                    }
                    spec.add(s)
                    continue
                case .assertion:
                    throw error(itemStart, "bad escape in character set")
                }
            } else {
                lo = c; i += 1
            }
            // Range?
            if i + 1 < src.count && src[i] == 0x2D && src[i + 1] != 0x5D {
                i += 1  // -
                var hi: UInt32
                if src[i] == 0x5C {
                    switch try parseEscape(inClass: true, flags) {
                    case .scalar(let v): hi = v
                    default: throw error(itemStart, "bad character range")
                    }
                } else {
                    hi = src[i]; i += 1
                }
                if hi < lo { throw error(itemStart, "bad character range") }
                spec.addRange(lo, hi, caseInsensitive: ci)
            } else {
                spec.addRange(lo, lo, caseInsensitive: ci)
            }
        }
        spec.normalize()
        if negated { spec.negated = true }
        // A class that is just one complex item: use it directly.
        if !spec.negated && spec.codes == 0 && spec.props == 0 && spec.ranges.isEmpty && spec.subs.count == 1 {
            spec = spec.subs[0]
        }
        sets.append(spec)
        return sets.count - 1
    }
}
