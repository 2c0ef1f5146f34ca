// Unicode support for the pre-tokenization regex engine (stdlib only).
//
// Every scalar is mapped to a one-byte "entry":
//   bits 0...4  class code: the general category (0...29), or 30 for the White_Space
//               control characters \t \n \v \f \r and U+0085 (general category Cc);
//   bit 5       Alphabetic;
//   bit 6       "word extra": Alphabetic or Join_Control while the general category is not
//               one of L, M, Nd, Nl, Pc (so \w == codes{L,M,Nd,Nl,Pc} + this bit).
// A lazily built table caches the entries for planes 0 and 1.

enum RegexCat {
    static let Lu: UInt8 = 0, Ll: UInt8 = 1, Lt: UInt8 = 2, Lm: UInt8 = 3, Lo: UInt8 = 4
    static let Mn: UInt8 = 5, Mc: UInt8 = 6, Me: UInt8 = 7
    static let Nd: UInt8 = 8, Nl: UInt8 = 9, No: UInt8 = 10
    static let Pc: UInt8 = 11, Pd: UInt8 = 12, Ps: UInt8 = 13, Pe: UInt8 = 14
    static let Pi: UInt8 = 15, Pf: UInt8 = 16, Po: UInt8 = 17
    static let Sm: UInt8 = 18, Sc: UInt8 = 19, Sk: UInt8 = 20, So: UInt8 = 21
    static let Zs: UInt8 = 22, Zl: UInt8 = 23, Zp: UInt8 = 24
    static let Cc: UInt8 = 25, Cf: UInt8 = 26, Cs: UInt8 = 27, Co: UInt8 = 28, Cn: UInt8 = 29
    /// White_Space control characters (general category Cc).
    static let spaceCc: UInt8 = 30

    static func bit(_ c: UInt8) -> UInt32 { 1 << UInt32(c) }
    static let all: UInt32 = (1 << 31) - 1
    static let letter: UInt32 = 0b11111
    static let casedLetter: UInt32 = 0b111
    static let mark: UInt32 = 0b111 << 5
    static let number: UInt32 = 0b111 << 8
    static let punct: UInt32 = 0b1111111 << 11
    static let symbol: UInt32 = 0b1111 << 18
    static let separator: UInt32 = 0b111 << 22
    static let other: UInt32 = (0b11111 << 25) | (1 << 30)
    static let control: UInt32 = (1 << 25) | (1 << 30)
    static let whiteSpace: UInt32 = separator | (1 << 30)
    static let digit: UInt32 = 1 << 8
    static let wordCodes: UInt32 = letter | mark | (1 << 8) | (1 << 9) | (1 << 11)
}

let regexPropAlphabetic: UInt8 = 0x20
let regexPropWordExtra: UInt8 = 0x40
let regexTableLimit: UInt32 = 0x20000

@inline(__always)
func regexCategoryCode(_ gc: Unicode.GeneralCategory) -> UInt8 {
    switch gc {
    case .uppercaseLetter: return 0
    case .lowercaseLetter: return 1
    case .titlecaseLetter: return 2
    case .modifierLetter: return 3
    case .otherLetter: return 4
    case .nonspacingMark: return 5
    case .spacingMark: return 6
    case .enclosingMark: return 7
    case .decimalNumber: return 8
    case .letterNumber: return 9
    case .otherNumber: return 10
    case .connectorPunctuation: return 11
    case .dashPunctuation: return 12
    case .openPunctuation: return 13
    case .closePunctuation: return 14
    case .initialPunctuation: return 15
    case .finalPunctuation: return 16
    case .otherPunctuation: return 17
    case .mathSymbol: return 18
    case .currencySymbol: return 19
    case .modifierSymbol: return 20
    case .otherSymbol: return 21
    case .spaceSeparator: return 22
    case .lineSeparator: return 23
    case .paragraphSeparator: return 24
    case .control: return 25
    case .format: return 26
    case .surrogate: return 27
    case .privateUse: return 28
    case .unassigned: return 29
    @unknown default: return 29
    }
}

/// Computes the entry byte of a scalar value from the stdlib's Unicode properties.
@inline(never)
func regexComputeEntry(_ c: UInt32) -> UInt8 {
    guard let s = Unicode.Scalar(c) else { return RegexCat.Cs }
    if c == 0x85 || (c >= 9 && c <= 13) { return RegexCat.spaceCc }
    let p = s.properties
    let code = regexCategoryCode(p.generalCategory)
    if code == RegexCat.Cn || code == RegexCat.Co || code == RegexCat.Cs { return code }
    // Letters and letter numbers are Alphabetic by definition (and already \w codes).
    if code <= RegexCat.Lo || code == RegexCat.Nl { return code | regexPropAlphabetic }
    var e = code
    let alpha = p.isAlphabetic
    if alpha { e |= regexPropAlphabetic }
    if (alpha || p.isJoinControl) && RegexCat.wordCodes & RegexCat.bit(code) == 0 { e |= regexPropWordExtra }
    return e
}

/// Entry table for U+0000..<U+20000, built once per process.
final class RegexScalarTable: @unchecked Sendable {
    let entries: UnsafeMutablePointer<UInt8>
    init() {
        let n = Int(regexTableLimit)
        entries = .allocate(capacity: n)
        for i in 0..<n { entries[i] = regexComputeEntry(UInt32(i)) }
    }
    deinit { entries.deallocate() }
}

let regexScalarTable = RegexScalarTable()

@inline(__always)
func regexEntry(_ c: UInt32, _ table: UnsafePointer<UInt8>) -> UInt8 {
    c < regexTableLimit ? table[Int(c)] : regexComputeEntry(c)
}

func regexEntry(_ c: UInt32) -> UInt8 { regexEntry(c, regexScalarTable.entries) }

/// Simple case-equivalence classes: scalars connected through single-scalar lowercase,
/// uppercase or titlecase mappings (e.g. s S ſ; k K K; ǅ Ǆ ǆ), which reproduces Unicode simple case
/// folding (CaseFolding.txt C + S) over planes 0-1 except for U+0131, excluded explicitly.
/// Built on first use.
let regexCaseClasses: [UInt32: [UInt32]] = {
    var parent: [UInt32: UInt32] = [:]
    func find(_ x: UInt32) -> UInt32 {
        var x = x
        while let p = parent[x], p != x { x = p }
        return x
    }
    func union(_ a: UInt32, _ b: UInt32) {
        if parent[a] == nil { parent[a] = a }
        if parent[b] == nil { parent[b] = b }
        let ra = find(a), rb = find(b)
        if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
    }
    for v in UInt32(0)..<regexTableLimit {
        // Dotless i has no simple case folding (CaseFolding.txt maps I -> i only; the Turkic
        // mappings are excluded), although its uppercase is I.
        if v == 0x131 { continue }
        guard let s = Unicode.Scalar(v) else { continue }
        let p = s.properties
        guard p.changesWhenCaseMapped else { continue }
        for m in [p.lowercaseMapping, p.uppercaseMapping, p.titlecaseMapping] {
            var it = m.unicodeScalars.makeIterator()
            if let first = it.next(), it.next() == nil, first.value != v { union(v, first.value) }
        }
    }
    var groups: [UInt32: [UInt32]] = [:]
    for k in parent.keys { groups[find(k), default: []].append(k) }
    var result: [UInt32: [UInt32]] = [:]
    for (_, g) in groups where g.count > 1 {
        let sorted = g.sorted()
        for x in sorted { result[x] = sorted }
    }
    return result
}()

/// All scalars that match `c` case-insensitively (including `c`), sorted.
func regexCaseVariants(_ c: UInt32) -> [UInt32] {
    regexCaseClasses[c] ?? [c]
}

/// Named Unicode properties usable in \p{...}: (codes, props, ascii-only).
func regexLookupProperty(_ rawName: String) -> RegexSetSpec? {
    var name = ""
    for ch in rawName.unicodeScalars where ch != " " && ch != "_" && ch != "-" {
        name.unicodeScalars.append(contentsOf: String(ch).lowercased().unicodeScalars)
    }
    for prefix in ["generalcategory=", "category=", "gc="] where name.hasPrefix(prefix) {
        name.removeFirst(prefix.count)
    }
    var spec = RegexSetSpec()
    func codes(_ m: UInt32) -> RegexSetSpec { var s = RegexSetSpec(); s.codes = m; return s }
    func c(_ x: UInt8) -> UInt32 { RegexCat.bit(x) }
    switch name {
    case "l", "letter": return codes(RegexCat.letter)
    case "lu", "uppercaseletter": return codes(c(RegexCat.Lu))
    case "ll", "lowercaseletter": return codes(c(RegexCat.Ll))
    case "lt", "titlecaseletter": return codes(c(RegexCat.Lt))
    case "lc", "l&", "casedletter": return codes(RegexCat.casedLetter)
    case "lm", "modifierletter": return codes(c(RegexCat.Lm))
    case "lo", "otherletter": return codes(c(RegexCat.Lo))
    case "m", "mark", "combiningmark": return codes(RegexCat.mark)
    case "mn", "nonspacingmark": return codes(c(RegexCat.Mn))
    case "mc", "spacingmark": return codes(c(RegexCat.Mc))
    case "me", "enclosingmark": return codes(c(RegexCat.Me))
    case "n", "number": return codes(RegexCat.number)
    case "nd", "decimalnumber", "digit": return codes(c(RegexCat.Nd))
    case "nl", "letternumber": return codes(c(RegexCat.Nl))
    case "no", "othernumber": return codes(c(RegexCat.No))
    case "p", "punctuation", "punct": return codes(RegexCat.punct)
    case "pc", "connectorpunctuation": return codes(c(RegexCat.Pc))
    case "pd", "dashpunctuation": return codes(c(RegexCat.Pd))
    case "ps", "openpunctuation": return codes(c(RegexCat.Ps))
    case "pe", "closepunctuation": return codes(c(RegexCat.Pe))
    case "pi", "initialpunctuation": return codes(c(RegexCat.Pi))
    case "pf", "finalpunctuation": return codes(c(RegexCat.Pf))
    case "po", "otherpunctuation": return codes(c(RegexCat.Po))
    case "s", "symbol": return codes(RegexCat.symbol)
    case "sm", "mathsymbol": return codes(c(RegexCat.Sm))
    case "sc", "currencysymbol": return codes(c(RegexCat.Sc))
    case "sk", "modifiersymbol": return codes(c(RegexCat.Sk))
    case "so", "othersymbol": return codes(c(RegexCat.So))
    case "z", "separator": return codes(RegexCat.separator)
    case "zs", "spaceseparator": return codes(c(RegexCat.Zs))
    case "zl", "lineseparator": return codes(c(RegexCat.Zl))
    case "zp", "paragraphseparator": return codes(c(RegexCat.Zp))
    case "c", "other": return codes(RegexCat.other)
    case "cc", "control", "cntrl": return codes(RegexCat.control)
    case "cf", "format": return codes(c(RegexCat.Cf))
    case "cs", "surrogate": return codes(c(RegexCat.Cs))
    case "co", "privateuse": return codes(c(RegexCat.Co))
    case "cn", "unassigned": return codes(c(RegexCat.Cn))
    case "any": return codes(RegexCat.all)
    case "assigned": return codes(RegexCat.all & ~c(RegexCat.Cn))
    case "ascii":
        spec.ranges = [0...0x7F]
        return spec
    case "alphabetic", "alpha":
        spec.props = regexPropAlphabetic
        return spec
    case "whitespace", "space", "wspace":
        return codes(RegexCat.whiteSpace)
    case "word":
        return RegexSetSpec.word
    default:
        return nil
    }
}
