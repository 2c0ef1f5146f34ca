// Compiler: `RegexNode` tree -> flat instruction program for the backtracking executor.

enum RegexOp {
    static let ascii: UInt8 = 0        // a = byte
    static let scalar: UInt8 = 1       // a = scalar (non-ASCII)
    static let set: UInt8 = 2          // a = class
    static let anyNoNL: UInt8 = 3
    static let anyAll: UInt8 = 4
    static let loopGreedy: UInt8 = 5   // flag: item kind | tail bit; a = operand; b = min; c = max (-1 inf)
    static let loopLazy: UInt8 = 6
    static let loopPossessive: UInt8 = 7
    static let split: UInt8 = 8        // continue at a, backtrack to b; c = guard class + 1 (0: none): when the
                                       // next scalar is not in the guard class, a cannot match: go to b directly
    static let jump: UInt8 = 9         // a
    static let assertNext: UInt8 = 10  // flag bit0: negated; a = class. Zero-width test of the next scalar.
    static let look: UInt8 = 11        // flag bit0 negated, bit1 behind; sub program at pc+1; b = continuation;
                                       // a = min length, c = max length (lookbehind, in scalars)
    static let atomic: UInt8 = 12      // sub program at pc+1; b = continuation
    static let assert: UInt8 = 13      // flag = RegexAssertKind
    static let markSet: UInt8 = 14     // a = slot
    static let markCheck: UInt8 = 15   // a = slot, b = exit pc when no progress since markSet
    static let match: UInt8 = 16
    static let matchAt: UInt8 = 17     // lookbehind sub program end: succeeds only at the target position
    static let fail: UInt8 = 18
    // Specialized loops (produced by `specialize()`); flag bit0: push a greedy backtrack entry.
    // bit1 (starSet, optStar): the continuation is `match`, return right after the loop.
    static let starSet: UInt8 = 19     // a = class, b = min (0 or 1), unbounded
    static let optSet: UInt8 = 20      // a = class, {0,1}
    static let optAscii: UInt8 = 21    // a = byte, {0,1}
    /// Possessive optional item followed by the `starSet` at pc+1, both done here; continues at pc+2.
    /// a = byte (flag bit2) or class; b = star class; c = star min; flag bits 0/1 as the starSet's.
    static let optStar: UInt8 = 22
}

/// Loop item kinds (low 3 bits of a loop's flag).
enum RegexItem {
    static let ascii: UInt8 = 0
    static let scalar: UInt8 = 1
    static let set: UInt8 = 2
    static let anyNoNL: UInt8 = 3
    static let anyAll: UInt8 = 4
    static let tailBit: UInt8 = 8      // continuation always succeeds: greedy loop needs no backtrack entry
}

struct RegexInst {
    var op: UInt8
    var flag: UInt8 = 0
    var a: Int32 = 0
    var b: Int32 = 0
    var c: Int32 = 0
}

/// Immutable compiled program, shared by all copies of a `PretokenPattern`.
final class RegexProgram: @unchecked Sendable {
    let insts: UnsafeMutablePointer<RegexInst>
    let instCount: Int
    let classes: UnsafeMutablePointer<RegexClassData>
    let classCount: Int
    /// 128 bytes (0/1) per class.
    let asciiTables: UnsafeMutablePointer<UInt8>
    /// Pairs (lo, hi) of the non-ASCII parts of each simple class's ranges.
    let ranges: UnsafeMutablePointer<UInt32>
    let specs: [RegexSetSpec]
    /// Entry pcs of the top-level alternatives (at most 64).
    let entries: UnsafeMutablePointer<Int32>
    let entryCount: Int
    /// Candidate alternatives by first byte (ASCII) and by class code (non-ASCII first scalar).
    let asciiAltMask: UnsafeMutablePointer<UInt64>
    let codeAltMask: UnsafeMutablePointer<UInt64>
    let nullableMask: UInt64
    let slotCount: Int
    /// Class index used for \b \B.
    let wordClass: Int32

    init(insts: [RegexInst], specs: [RegexSetSpec], entries: [Int32], asciiAltMask: [UInt64],
         codeAltMask: [UInt64], nullableMask: UInt64, slotCount: Int, wordClass: Int32) {
        self.insts = .allocate(capacity: max(insts.count, 1))
        self.insts.initialize(from: insts, count: insts.count)
        self.instCount = insts.count
        self.specs = specs
        classCount = specs.count
        classes = .allocate(capacity: max(specs.count, 1))
        asciiTables = .allocate(capacity: max(specs.count, 1) * 128)
        var flatRanges: [UInt32] = []
        for (k, s) in specs.enumerated() {
            for b in 0..<128 { asciiTables[k * 128 + b] = s.contains(UInt32(b)) ? 1 : 0 }
            var d = RegexClassData()
            d.codes = s.codes
            d.props = s.props
            d.negated = s.negated
            d.complex = !s.isSimple
            d.specIndex = Int32(k)
            d.rangeStart = Int32(flatRanges.count / 2)
            for r in s.ranges where r.upperBound >= 0x80 {
                flatRanges.append(max(r.lowerBound, 0x80))
                flatRanges.append(r.upperBound)
            }
            d.rangeCount = Int32(flatRanges.count / 2) - d.rangeStart
            (classes + k).initialize(to: d)
        }
        ranges = .allocate(capacity: max(flatRanges.count, 2))
        ranges.initialize(from: flatRanges, count: flatRanges.count)
        self.entries = .allocate(capacity: max(entries.count, 1))
        self.entries.initialize(from: entries, count: entries.count)
        entryCount = entries.count
        self.asciiAltMask = .allocate(capacity: 128)
        self.asciiAltMask.initialize(from: asciiAltMask, count: 128)
        self.codeAltMask = .allocate(capacity: 32)
        self.codeAltMask.initialize(from: codeAltMask, count: 32)
        self.nullableMask = nullableMask
        self.slotCount = slotCount
        self.wordClass = wordClass
    }

    deinit {
        insts.deallocate()
        classes.deallocate()
        asciiTables.deallocate()
        ranges.deallocate()
        entries.deallocate()
        asciiAltMask.deallocate()
        codeAltMask.deallocate()
    }
}

let regexMaxInstructions = 1_000_000

struct RegexCompiler {
    var insts: [RegexInst] = []
    var specs: [RegexSetSpec]
    var slotCount = 0
    let pattern: String

    init(specs: [RegexSetSpec], pattern: String) {
        self.specs = specs
        self.pattern = pattern
    }

    mutating func addSpec(_ s: RegexSetSpec) -> Int32 {
        specs.append(s)
        return Int32(specs.count - 1)
    }

    @discardableResult
    mutating func emit(_ op: UInt8, flag: UInt8 = 0, a: Int32 = 0, b: Int32 = 0, c: Int32 = 0) throws(PatternError) -> Int {
        if insts.count >= regexMaxInstructions {
            throw PatternError(pattern: pattern, offset: 0, message: "pattern too large after expanding repeats")
        }
        insts.append(RegexInst(op: op, flag: flag, a: a, b: b, c: c))
        return insts.count - 1
    }

    var pc: Int32 { Int32(insts.count) }

    /// (item kind, operand) when `node` matches exactly one scalar.
    func singleItem(_ node: RegexNode) -> (UInt8, Int32)? {
        switch node {
        case .char(let c): return c < 0x80 ? (RegexItem.ascii, Int32(c)) : (RegexItem.scalar, Int32(c))
        case .set(let k): return (RegexItem.set, Int32(k))
        case .any(let dotAll): return (dotAll ? RegexItem.anyAll : RegexItem.anyNoNL, 0)
        default: return nil
        }
    }

    static func nullable(_ node: RegexNode) -> Bool {
        switch node {
        case .empty, .look, .assertion: return true
        case .char, .set, .any: return false
        case .concat(let xs): return xs.allSatisfy(nullable)
        case .alt(let xs): return xs.contains(where: nullable)
        case .rep(let x, let lo, _, _): return lo == 0 || nullable(x)
        case .atomic(let x): return nullable(x)
        }
    }

    /// (min, max) length in scalars; max == nil when unbounded.
    static func lengthRange(_ node: RegexNode) -> (Int, Int?) {
        switch node {
        case .empty, .look, .assertion: return (0, 0)
        case .char, .set, .any: return (1, 1)
        case .concat(let xs):
            var lo = 0
            var hi: Int? = 0
            for x in xs {
                let (a, b) = lengthRange(x)
                lo += a
                if let h = hi, let b { hi = h + b } else { hi = nil }
            }
            return (lo, hi)
        case .alt(let xs):
            var lo = Int.max
            var hi: Int? = 0
            for x in xs {
                let (a, b) = lengthRange(x)
                lo = min(lo, a)
                if let h = hi, let b { hi = max(h, b) } else { hi = nil }
            }
            return (lo == Int.max ? 0 : lo, hi)
        case .rep(let x, let lo, let hi, _):
            let (a, b) = lengthRange(x)
            if hi < 0 { return (a * lo, b == 0 ? 0 : nil) }
            if let b { return (a * lo, b * hi) }
            return (a * lo, nil)
        case .atomic(let x): return lengthRange(x)
        }
    }

    mutating func compile(_ node: RegexNode) throws(PatternError) {
        switch node {
        case .empty:
            break
        case .char(let c):
            if c < 0x80 { try emit(RegexOp.ascii, a: Int32(c)) } else { try emit(RegexOp.scalar, a: Int32(c)) }
        case .set(let k):
            try emit(RegexOp.set, a: Int32(k))
        case .any(let dotAll):
            try emit(dotAll ? RegexOp.anyAll : RegexOp.anyNoNL)
        case .concat(let xs):
            for (k, x) in xs.enumerated() {
                // Auto-possessive: a greedy single-item loop followed (within this concat) by a
                // non-nullable rest that cannot start with a loop item never profits from backtracking.
                if case .rep(let body, let lo, let hi, .greedy) = x, k + 1 < xs.count,
                   let (item, operand) = singleItem(body), itemCannotStart(item, operand, Array(xs[(k + 1)...])) {
                    try compileRepeat(body, lo, hi, .possessive)
                    continue
                }
                try compile(x)
            }
        case .alt(let unfactored):
            let xs = factorAlternatives(unfactored)
            if xs.count == 1 { try compile(xs[0]); return }
            var jumps: [Int] = []
            for (j, x) in xs.enumerated() {
                if j < xs.count - 1 {
                    let sp = try emit(RegexOp.split, c: guardFor(x))
                    try compile(x)
                    jumps.append(try emit(RegexOp.jump))
                    insts[sp].a = Int32(sp + 1)
                    insts[sp].b = pc
                } else {
                    try compile(x)
                }
            }
            for j in jumps { insts[j].a = pc }
        case .rep(let x, let lo, let hi, let kind):
            try compileRepeat(x, lo, hi, kind)
        case .look(let x, let behind, let negated):
            if !behind, let (kind, operand) = singleItem(x) {
                let cls: Int32
                switch kind {
                case RegexItem.set: cls = operand
                case RegexItem.ascii, RegexItem.scalar: cls = addSpec(.scalar(UInt32(operand)))
                case RegexItem.anyAll: cls = addSpec(.dot(true))
                default: cls = addSpec(.dot(false))
                }
                try emit(RegexOp.assertNext, flag: negated ? 1 : 0, a: cls)
                return
            }
            var minLen = 0, maxLen = 0
            if behind {
                let (a, b) = Self.lengthRange(x)
                guard let b, b <= 10_000 else {
                    throw PatternError(pattern: pattern, offset: 0, message: "lookbehind requires a bounded length")
                }
                minLen = a; maxLen = b
            }
            let at = try emit(RegexOp.look, flag: (negated ? 1 : 0) | (behind ? 2 : 0),
                              a: Int32(minLen), c: Int32(maxLen))
            try compile(x)
            try emit(behind ? RegexOp.matchAt : RegexOp.match)
            insts[at].b = pc
        case .atomic(let x):
            let at = try emit(RegexOp.atomic)
            try compile(x)
            try emit(RegexOp.match)
            insts[at].b = pc
        case .assertion(let k):
            try emit(RegexOp.assert, flag: k)
        }
    }

    mutating func compileRepeat(_ x: RegexNode, _ lo: Int, _ hi: Int, _ kind: RegexRepeatKind) throws(PatternError) {
        if hi == 0 { return }
        if let (item, operand) = singleItem(x) {
            let op: UInt8 = kind == .greedy ? RegexOp.loopGreedy : kind == .lazy ? RegexOp.loopLazy : RegexOp.loopPossessive
            if lo == 1 && hi == 1 { try compile(x); return }
            try emit(op, flag: item, a: operand, b: Int32(lo), c: Int32(hi))
            return
        }
        if kind == .possessive {
            try compile(.atomic(.rep(x, min: lo, max: hi, kind: .greedy)))
            return
        }
        let lazy = kind == .lazy
        let canBeEmpty = Self.nullable(x)
        if hi < 0 {
            // lo-1 plain copies, then X+ (or X* when lo == 0).
            for _ in 0..<max(lo - 1, 0) { try compile(x) }
            if lo == 0 {
                // L1: split(L2, L3)  L2: [markSet] X [markCheck -> L3] jump L1  L3:
                let l1 = try emit(RegexOp.split, c: lazy ? 0 : guardFor(x))
                let l2 = pc
                var slot: Int32 = -1
                if canBeEmpty { slot = Int32(slotCount); slotCount += 1; try emit(RegexOp.markSet, a: slot) }
                try compile(x)
                var check = -1
                if canBeEmpty { check = try emit(RegexOp.markCheck, a: slot) }
                try emit(RegexOp.jump, a: Int32(l1))
                let l3 = pc
                if lazy { insts[l1].a = l3; insts[l1].b = l2 } else { insts[l1].a = l2; insts[l1].b = l3 }
                if check >= 0 { insts[check].b = l3 }
            } else {
                // L1: [markSet] X [markCheck -> L2] split(L1, L2)  L2:
                let l1 = pc
                var slot: Int32 = -1
                if canBeEmpty { slot = Int32(slotCount); slotCount += 1; try emit(RegexOp.markSet, a: slot) }
                try compile(x)
                var check = -1
                if canBeEmpty { check = try emit(RegexOp.markCheck, a: slot) }
                let sp = try emit(RegexOp.split, c: lazy ? 0 : guardFor(x))
                let l2 = pc
                if lazy { insts[sp].a = l2; insts[sp].b = l1 } else { insts[sp].a = l1; insts[sp].b = l2 }
                if check >= 0 { insts[check].b = l2 }
            }
            return
        }
        for _ in 0..<lo { try compile(x) }
        // (hi - lo) nested optional copies; a failed optional skips all later ones.
        var splits: [Int] = []
        let optionalGuard = lazy ? 0 : guardFor(x)
        for _ in 0..<(hi - lo) {
            let sp = try emit(RegexOp.split, c: optionalGuard)
            splits.append(sp)
            try compile(x)
        }
        let exit = pc
        for sp in splits {
            if lazy { insts[sp].a = exit; insts[sp].b = Int32(sp + 1) } else { insts[sp].a = Int32(sp + 1); insts[sp].b = exit }
        }
    }

    /// Guard class (+1) for a split whose preferred branch is `x`: the scalars `x` can start with.
    /// 0 when `x` can match empty (no guard possible).
    mutating func guardFor(_ x: RegexNode) -> Int32 {
        var atoms: [FirstAtom] = []
        if Self.first(x, into: &atoms) || atoms.isEmpty { return 0 }
        var u = RegexSetSpec()
        if atoms.count == 1, case .set(let k) = atoms[0] {
            u = specs[k]
        } else {
            for atom in atoms {
                switch atom {
                case .scalar(let c): u.ranges.append(c...c)
                case .set(let k): u.add(specs[k])
                case .any(let d): u.add(.dot(d))
                }
            }
            u.normalize()
        }
        if let existing = specs.firstIndex(of: u) { return Int32(existing + 1) }
        return addSpec(u) + 1
    }

    /// True when no match of `rest` can start with a scalar matched by the loop item.
    func itemCannotStart(_ item: UInt8, _ operand: Int32, _ rest: [RegexNode]) -> Bool {
        let a: RegexSetSpec
        switch item {
        case RegexItem.ascii, RegexItem.scalar: a = .scalar(UInt32(operand))
        case RegexItem.set: a = specs[Int(operand)]
        case RegexItem.anyAll: a = .dot(true)
        default: a = .dot(false)
        }
        var atoms: [FirstAtom] = []
        if Self.first(.concat(rest), into: &atoms) { return false }
        let aCodes = a.possibleNonAsciiCodes()
        for atom in atoms {
            switch atom {
            case .scalar(let c):
                if a.contains(c) { return false }
            case .set(let k):
                let b = specs[k]
                for byte in UInt32(0)..<128 where a.contains(byte) && b.contains(byte) { return false }
                if aCodes & b.possibleNonAsciiCodes() != 0 { return false }
            case .any:
                return false
            }
        }
        return true
    }

    /// Left-factors consecutive alternatives that start with the same single-scalar atom:
    /// `'s|'t|'re` -> `'(?:s|t|re)`. Exact under leftmost-first semantics, because a single-scalar
    /// atom matches deterministically (nothing to backtrack into).
    func factorAlternatives(_ alts: [RegexNode]) -> [RegexNode] {
        func head(_ n: RegexNode) -> RegexNode? {
            switch n {
            case .char, .set: return n
            case .concat(let xs):
                if let f = xs.first { if case .char = f { return f }; if case .set = f { return f } }
                return nil
            default: return nil
            }
        }
        func same(_ a: RegexNode, _ b: RegexNode) -> Bool {
            switch (a, b) {
            case (.char(let x), .char(let y)): return x == y
            case (.set(let x), .set(let y)): return x == y || specs[x] == specs[y]
            default: return false
            }
        }
        func tail(_ n: RegexNode) -> RegexNode {
            if case .concat(let xs) = n {
                let rest = Array(xs.dropFirst())
                return rest.isEmpty ? .empty : rest.count == 1 ? rest[0] : .concat(rest)
            }
            return .empty
        }
        var out: [RegexNode] = []
        var i = 0
        while i < alts.count {
            guard let h = head(alts[i]) else { out.append(alts[i]); i += 1; continue }
            var j = i + 1
            while j < alts.count, let h2 = head(alts[j]), same(h, h2) { j += 1 }
            if j - i >= 2 {
                let tails = factorAlternatives(alts[i..<j].map(tail))
                let rest: RegexNode = tails.count == 1 ? tails[0] : .alt(tails)
                out.append(.concat([h, rest]))
            } else {
                out.append(alts[i])
            }
            i = j
        }
        return out
    }

    /// True when the program from `pc` can reach `match` without consuming input or testing
    /// anything (through jumps, splits and loops with min 0). Then the first attempt of that
    /// continuation always succeeds, so nothing before it is ever backtracked into.
    func alwaysSucceeds(_ pc: Int, _ visited: inout Set<Int>) -> Bool {
        guard pc < insts.count, visited.insert(pc).inserted else { return false }
        let ins = insts[pc]
        switch ins.op {
        case RegexOp.match: return true
        case RegexOp.jump: return alwaysSucceeds(Int(ins.a), &visited)
        case RegexOp.split: return alwaysSucceeds(Int(ins.a), &visited) || alwaysSucceeds(Int(ins.b), &visited)
        case RegexOp.loopGreedy, RegexOp.loopLazy, RegexOp.loopPossessive:
            return ins.b == 0 && alwaysSucceeds(pc + 1, &visited)
        default: return false
        }
    }

    /// Marks greedy loops whose continuation always succeeds: they need no backtrack entry.
    mutating func markTails() {
        for k in 0..<insts.count where insts[k].op == RegexOp.loopGreedy {
            var visited = Set<Int>()
            if alwaysSucceeds(k + 1, &visited) { insts[k].flag |= RegexItem.tailBit }
        }
    }

    /// Rewrites the common loop shapes into dedicated instructions.
    mutating func specialize() {
        for k in 0..<insts.count {
            let ins = insts[k]
            guard ins.op == RegexOp.loopGreedy || ins.op == RegexOp.loopPossessive else { continue }
            let push: UInt8 = ins.op == RegexOp.loopGreedy && ins.flag & RegexItem.tailBit == 0 ? 1 : 0
            let item = ins.flag & 7
            if item == RegexItem.set && ins.c < 0 && ins.b <= 1 {
                insts[k] = RegexInst(op: RegexOp.starSet, flag: push, a: ins.a, b: ins.b, c: ins.c)
            } else if ins.b == 0 && ins.c == 1 && item == RegexItem.set {
                insts[k] = RegexInst(op: RegexOp.optSet, flag: push, a: ins.a, b: 0, c: 1)
            } else if ins.b == 0 && ins.c == 1 && item == RegexItem.ascii {
                insts[k] = RegexInst(op: RegexOp.optAscii, flag: push, a: ins.a, b: 0, c: 1)
            }
        }
        for k in 0..<insts.count where insts[k].op == RegexOp.starSet {
            if k + 1 < insts.count && insts[k + 1].op == RegexOp.match { insts[k].flag |= 2 }
        }
        // Fuse a possessive optional item with a following starSet (` ?\p{L}+`, `[^\r\n\p{L}\p{N}]?\p{L}+`).
        // The starSet stays in place at k+1 for any jump that targets it.
        for k in 0..<insts.count where k + 1 < insts.count && insts[k + 1].op == RegexOp.starSet {
            let ins = insts[k]
            guard (ins.op == RegexOp.optSet || ins.op == RegexOp.optAscii) && ins.flag == 0 else { continue }
            let star = insts[k + 1]
            insts[k] = RegexInst(op: RegexOp.optStar, flag: star.flag | (ins.op == RegexOp.optAscii ? 4 : 0),
                                 a: ins.a, b: star.a, c: star.b)
        }
    }

    // MARK: First-scalar filter

    enum FirstAtom { case scalar(UInt32), set(Int), any(Bool) }

    static func first(_ node: RegexNode, into atoms: inout [FirstAtom]) -> Bool {
        switch node {
        case .empty, .look, .assertion: return true
        case .char(let c): atoms.append(.scalar(c)); return false
        case .set(let k): atoms.append(.set(k)); return false
        case .any(let d): atoms.append(.any(d)); return false
        case .concat(let xs):
            for x in xs where !first(x, into: &atoms) { return false }
            return true
        case .alt(let xs):
            var nullable = false
            for x in xs where first(x, into: &atoms) { nullable = true }
            return nullable
        case .rep(let x, let lo, _, _):
            let n = first(x, into: &atoms)
            return n || lo == 0
        case .atomic(let x): return first(x, into: &atoms)
        }
    }
}

/// Parses and compiles a pattern.
func regexCompile(_ pattern: String) throws(PatternError) -> RegexProgram {
    var parser = RegexParser(pattern)
    let root = try parser.parse()
    var compiler = RegexCompiler(specs: parser.sets, pattern: pattern)

    var alternatives: [RegexNode]
    if case .alt(let xs) = root { alternatives = compiler.factorAlternatives(xs) } else { alternatives = [root] }
    if alternatives.count > 64 {
        alternatives = Array(alternatives[0..<63]) + [.alt(Array(alternatives[63...]))]
    }

    var entries: [Int32] = []
    var asciiMask = [UInt64](repeating: 0, count: 128)
    var codeMask = [UInt64](repeating: 0, count: 32)
    var nullableMask: UInt64 = 0
    for (k, alt) in alternatives.enumerated() {
        entries.append(compiler.pc)
        try compiler.compile(alt)
        try compiler.emit(RegexOp.match)
        let bit: UInt64 = 1 << UInt64(k)
        var atoms: [RegexCompiler.FirstAtom] = []
        if RegexCompiler.first(alt, into: &atoms) {
            nullableMask |= bit
            for b in 0..<128 { asciiMask[b] |= bit }
            for c in 0..<32 { codeMask[c] |= bit }
            continue
        }
        var codes: UInt32 = 0
        for atom in atoms {
            switch atom {
            case .scalar(let c):
                if c < 0x80 { asciiMask[Int(c)] |= bit } else { codes |= RegexCat.bit(regexEntry(c) & 31) }
            case .set(let s):
                let spec = compiler.specs[s]
                for b in 0..<128 where spec.contains(UInt32(b)) { asciiMask[b] |= bit }
                codes |= spec.possibleNonAsciiCodes()
            case .any(let dotAll):
                for b in 0..<128 where dotAll || b != 10 { asciiMask[b] |= bit }
                codes = RegexCat.all
            }
        }
        for c in 0..<31 where codes & RegexCat.bit(UInt8(c)) != 0 { codeMask[c] |= bit }
    }
    compiler.markTails()
    compiler.specialize()
    let wordClass = compiler.addSpec(.word)
    return RegexProgram(insts: compiler.insts, specs: compiler.specs, entries: entries,
                        asciiAltMask: asciiMask, codeAltMask: codeMask, nullableMask: nullableMask,
                        slotCount: compiler.slotCount, wordClass: wordClass)
}
