// Backtracking executor over UTF-8 bytes.

struct RegexBacktrack {
    var pc: Int32
    var kind: Int32
    var pos: Int
    var aux: Int
}

enum RegexBT {
    static let resume: Int32 = 0       // continue at pc with pos
    static let greedy: Int32 = 1       // greedy single-item loop: step back one scalar (aux = lowest position)
    static let lazy: Int32 = 2         // lazy single-item loop at instruction pc: take one more (aux = count)
    static let restoreSlot: Int32 = 3  // slots[pc] = pos
}

struct RegexExecutor {
    let text: UnsafePointer<UInt8>
    let n: Int
    let prog: UnsafePointer<RegexInst>
    let classes: UnsafePointer<RegexClassData>
    let asciiTab: UnsafePointer<UInt8>
    let ranges: UnsafePointer<UInt32>
    let table: UnsafePointer<UInt8>
    let program: RegexProgram
    var stack: UnsafeMutablePointer<RegexBacktrack>
    var cap: Int
    /// False while `stack` is the caller-provided (stack-allocated) initial buffer.
    var stackOnHeap = false
    let slots: UnsafeMutablePointer<Int>

    static let initialStack = 64

    /// `stack` (capacity `initialStack`) and `slots` (capacity max(slotCount, 1)) are scratch
    /// buffers owned by the caller; a larger backtrack stack is moved to the heap on demand.
    init(program: RegexProgram, text: UnsafePointer<UInt8>, count: Int,
         stack: UnsafeMutablePointer<RegexBacktrack>, slots: UnsafeMutablePointer<Int>) {
        self.program = program
        self.text = text
        self.n = count
        prog = UnsafePointer(program.insts)
        classes = UnsafePointer(program.classes)
        asciiTab = UnsafePointer(program.asciiTables)
        ranges = UnsafePointer(program.ranges)
        table = UnsafePointer(regexScalarTable.entries)
        cap = Self.initialStack
        self.stack = stack
        self.slots = slots
        slots.initialize(repeating: -1, count: max(program.slotCount, 1))
    }

    func release() {
        if stackOnHeap { stack.deallocate() }
    }

    /// Runs `body` with an executor over `text[0..<count]` whose scratch memory lives on the stack.
    static func with<R>(program: RegexProgram, text: UnsafePointer<UInt8>, count: Int,
                        _ body: (inout RegexExecutor) -> R) -> R {
        withUnsafeTemporaryAllocation(of: RegexBacktrack.self, capacity: initialStack) { stackBuf in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: max(program.slotCount, 1)) { slotBuf in
                var ex = RegexExecutor(program: program, text: text, count: count,
                                       stack: stackBuf.baseAddress!, slots: slotBuf.baseAddress!)
                defer { ex.release() }
                return body(&ex)
            }
        }
    }

    // MARK: Decoding

    @inline(__always)
    func decode(_ p: Int) -> (UInt32, Int) {
        let b0 = UInt32(text[p])
        if b0 < 0x80 { return (b0, 1) }
        return decodeMulti(p, b0)
    }

    @inline(__always)
    func decodeMulti(_ p: Int, _ b0: UInt32) -> (UInt32, Int) {
        if b0 < 0xE0 {
            guard p + 1 < n else { return (0xFFFD, n - p) }
            return (((b0 & 0x1F) << 6) | (UInt32(text[p + 1]) & 0x3F), 2)
        }
        if b0 < 0xF0 {
            guard p + 2 < n else { return (0xFFFD, n - p) }
            return (((b0 & 0x0F) << 12) | ((UInt32(text[p + 1]) & 0x3F) << 6) | (UInt32(text[p + 2]) & 0x3F), 3)
        }
        guard p + 3 < n else { return (0xFFFD, n - p) }
        return (((b0 & 0x07) << 18) | ((UInt32(text[p + 1]) & 0x3F) << 12)
                | ((UInt32(text[p + 2]) & 0x3F) << 6) | (UInt32(text[p + 3]) & 0x3F), 4)
    }

    /// Start of the scalar before `p` (p > 0).
    @inline(__always)
    func prevStart(_ p: Int) -> Int {
        var q = p - 1
        while q > 0 && text[q] & 0xC0 == 0x80 { q -= 1 }
        return q
    }

    // MARK: Classes

    /// The end of the longest run of scalars in class `k` starting at `p` (ASCII through the class's
    /// bitmap, the rest through `nonAscii`): the inner loop of every greedy single-class repetition.
    @inline(__always)
    func scanRun(_ k: Int, from start: Int) -> Int {
        let tab = asciiTab + (k << 7)
        var p = start
        while p < n {
            let b = text[p]
            if b < 0x80 {
                if tab[Int(b)] == 0 { break }
                p += 1
            } else {
                let (c, l) = decodeMulti(p, UInt32(b))
                if !nonAscii(k, c) { break }
                p += l
            }
        }
        return p
    }

    @inline(never)
    func nonAscii(_ k: Int, _ c: UInt32) -> Bool {
        let cls = classes[k]
        if cls.complex { return program.specs[Int(cls.specIndex)].contains(c) }
        let e = c < regexTableLimit ? table[Int(c)] : regexComputeEntry(c)
        var m = (cls.codes >> UInt32(e & 31)) & 1 != 0 || (e & cls.props) != 0
        if !m && cls.rangeCount > 0 {
            var lo = Int(cls.rangeStart), hi = lo + Int(cls.rangeCount)
            while lo < hi {
                let mid = (lo + hi) >> 1
                if c < ranges[2 * mid] { hi = mid } else if c > ranges[2 * mid + 1] { lo = mid + 1 } else { m = true; break }
            }
        }
        return m != cls.negated
    }

    @inline(__always)
    func classHas(_ k: Int, _ c: UInt32) -> Bool {
        c < 0x80 ? asciiTab[(k << 7) | Int(c)] != 0 : nonAscii(k, c)
    }

    /// Matches one loop item at `p`; returns the position after it or -1.
    @inline(__always)
    func matchItem(_ kind: UInt8, _ operand: Int32, _ p: Int) -> Int {
        guard p < n else { return -1 }
        switch kind {
        case RegexItem.ascii:
            return text[p] == UInt8(truncatingIfNeeded: operand) ? p + 1 : -1
        case RegexItem.set:
            let b = text[p]
            if b < 0x80 { return asciiTab[(Int(operand) << 7) | Int(b)] != 0 ? p + 1 : -1 }
            let (c, l) = decodeMulti(p, UInt32(b))
            return nonAscii(Int(operand), c) ? p + l : -1
        case RegexItem.scalar:
            let (c, l) = decode(p)
            return c == UInt32(bitPattern: operand) ? p + l : -1
        case RegexItem.anyNoNL:
            if text[p] == 10 { return -1 }
            return p + decode(p).1
        default:
            return p + decode(p).1
        }
    }

    func isWordBefore(_ p: Int) -> Bool {
        guard p > 0 else { return false }
        let q = prevStart(p)
        return classHas(Int(program.wordClass), decode(q).0)
    }

    func isWordAt(_ p: Int) -> Bool {
        guard p < n else { return false }
        return classHas(Int(program.wordClass), decode(p).0)
    }

    func checkAssert(_ kind: UInt8, _ pos: Int) -> Bool {
        switch kind {
        case RegexAssertKind.textStart: return pos == 0
        case RegexAssertKind.textEnd: return pos == n
        case RegexAssertKind.textEndNL: return pos == n || (pos == n - 1 && text[pos] == 10)
        case RegexAssertKind.lineStart: return pos == 0 || text[pos - 1] == 10
        case RegexAssertKind.lineEnd: return pos == n || text[pos] == 10
        case RegexAssertKind.wordBoundary: return isWordBefore(pos) != isWordAt(pos)
        default: return isWordBefore(pos) == isWordAt(pos)
        }
    }

    // MARK: Stack

    @inline(never)
    mutating func grow() {
        let newCap = cap * 2
        let s = UnsafeMutablePointer<RegexBacktrack>.allocate(capacity: newCap)
        s.moveInitialize(from: stack, count: cap)
        if stackOnHeap { stack.deallocate() }
        stack = s
        stackOnHeap = true
        cap = newCap
    }

    @inline(__always)
    mutating func push(_ sp: inout Int, _ pc: Int32, _ kind: Int32, _ pos: Int, _ aux: Int) {
        if sp == cap { grow() }
        stack[sp] = RegexBacktrack(pc: pc, kind: kind, pos: pos, aux: aux)
        sp += 1
    }

    // MARK: Execution

    /// Runs the program from `startPc` at `startPos`, using the stack above `base`.
    /// Returns the end of the first successful path, or -1. `target` is the required end for
    /// lookbehind sub-programs (`matchAt`).
    mutating func run(_ startPc: Int, _ startPos: Int, _ base: Int, _ target: Int) -> Int {
        var pc = startPc
        var pos = startPos
        var sp = base
        let text = self.text
        let n = self.n
        while true {
            let ins = prog[pc]
            var ok = true
            switch ins.op {
            case RegexOp.ascii:
                if pos < n && text[pos] == UInt8(truncatingIfNeeded: ins.a) { pos += 1; pc += 1 } else { ok = false }

            case RegexOp.set:
                if pos < n {
                    let b = text[pos]
                    if b < 0x80 {
                        if asciiTab[(Int(ins.a) << 7) | Int(b)] != 0 { pos += 1; pc += 1 } else { ok = false }
                    } else {
                        let (c, l) = decodeMulti(pos, UInt32(b))
                        if nonAscii(Int(ins.a), c) { pos += l; pc += 1 } else { ok = false }
                    }
                } else {
                    ok = false
                }

            case RegexOp.optStar:
                var p = pos
                if p < n {
                    let b = text[p]
                    if ins.flag & 4 != 0 {
                        if b == UInt8(truncatingIfNeeded: ins.a) { p += 1 }
                    } else if b < 0x80 {
                        if asciiTab[(Int(ins.a) << 7) | Int(b)] != 0 { p += 1 }
                    } else {
                        let (c, l) = decodeMulti(p, UInt32(b))
                        if nonAscii(Int(ins.a), c) { p += l }
                    }
                }
                let start = p
                let k = Int(ins.b)
                p = scanRun(k, from: p)
                if p == start {
                    if ins.c != 0 { ok = false } else { pos = p; pc += 2 }
                } else {
                    if ins.flag & 2 != 0 { return p }
                    if ins.flag & 1 != 0 {
                        let low = ins.c == 0 ? start : (text[start] < 0x80 ? start + 1 : start + decode(start).1)
                        if p > low { push(&sp, Int32(pc + 2), RegexBT.greedy, p, low) }
                    }
                    pos = p
                    pc += 2
                }

            case RegexOp.starSet:
                let k = Int(ins.a)
                let p = scanRun(k, from: pos)
                if p == pos {
                    if ins.b != 0 { ok = false } else { pc += 1 }
                } else {
                    if ins.flag & 2 != 0 { return p }
                    if ins.flag & 1 != 0 {
                        // Lowest position to step back to: after the mandatory first item, if any.
                        let low = ins.b == 0 ? pos : (text[pos] < 0x80 ? pos + 1 : pos + decode(pos).1)
                        if p > low { push(&sp, Int32(pc + 1), RegexBT.greedy, p, low) }
                    }
                    pos = p
                    pc += 1
                }

            case RegexOp.optSet:
                if pos < n {
                    let b = text[pos]
                    var l = 0
                    if b < 0x80 {
                        if asciiTab[(Int(ins.a) << 7) | Int(b)] != 0 { l = 1 }
                    } else {
                        let (c, cl) = decodeMulti(pos, UInt32(b))
                        if nonAscii(Int(ins.a), c) { l = cl }
                    }
                    if l > 0 {
                        if ins.flag != 0 { push(&sp, Int32(pc + 1), RegexBT.resume, pos, 0) }
                        pos += l
                    }
                }
                pc += 1

            case RegexOp.optAscii:
                if pos < n && text[pos] == UInt8(truncatingIfNeeded: ins.a) {
                    if ins.flag != 0 { push(&sp, Int32(pc + 1), RegexBT.resume, pos, 0) }
                    pos += 1
                }
                pc += 1

            case RegexOp.loopGreedy, RegexOp.loopPossessive:
                let minC = Int(ins.b)
                let maxC = ins.c < 0 ? Int.max : Int(ins.c)
                var p = pos
                var cnt = 0
                var minPos = minC == 0 ? pos : -1
                switch ins.flag & 7 {
                case RegexItem.set where maxC == Int.max && minC <= 1:
                    // Unbounded loop with min 0 or 1 (\p{L}+, \s*, ...): no counting needed.
                    let k = Int(ins.a)
                    p = scanRun(k, from: p)
                    if p > pos {
                        cnt = minC
                        if minC == 1 { minPos = text[pos] < 0x80 ? pos + 1 : pos + decode(pos).1 }
                    }
                case RegexItem.set:
                    let k = Int(ins.a)
                    let tab = asciiTab + (k << 7)
                    while cnt < maxC && p < n {
                        let b = text[p]
                        if b < 0x80 {
                            if tab[Int(b)] == 0 { break }
                            p += 1
                        } else {
                            let (c, l) = decodeMulti(p, UInt32(b))
                            if !nonAscii(k, c) { break }
                            p += l
                        }
                        cnt += 1
                        if cnt == minC { minPos = p }
                    }
                case RegexItem.ascii:
                    let byte = UInt8(truncatingIfNeeded: ins.a)
                    while cnt < maxC && p < n && text[p] == byte {
                        p += 1
                        cnt += 1
                        if cnt == minC { minPos = p }
                    }
                default:
                    let kind = ins.flag & 7
                    while cnt < maxC {
                        let q = matchItem(kind, ins.a, p)
                        if q < 0 { break }
                        p = q
                        cnt += 1
                        if cnt == minC { minPos = p }
                    }
                }
                if cnt < minC {
                    ok = false
                } else {
                    if ins.op == RegexOp.loopGreedy && ins.flag & RegexItem.tailBit == 0 && p > minPos {
                        push(&sp, Int32(pc + 1), RegexBT.greedy, p, minPos)
                    }
                    pos = p
                    pc += 1
                }

            case RegexOp.loopLazy:
                let minC = Int(ins.b)
                let maxC = ins.c < 0 ? Int.max : Int(ins.c)
                let kind = ins.flag & 7
                var p = pos
                var cnt = 0
                while cnt < minC {
                    let q = matchItem(kind, ins.a, p)
                    if q < 0 { break }
                    p = q
                    cnt += 1
                }
                if cnt < minC {
                    ok = false
                } else {
                    if cnt < maxC { push(&sp, Int32(pc), RegexBT.lazy, p, cnt) }
                    pos = p
                    pc += 1
                }

            case RegexOp.split:
                if ins.c != 0 {
                    let k = Int(ins.c) - 1
                    var r = false
                    if pos < n {
                        let b = text[pos]
                        r = b < 0x80 ? asciiTab[(k << 7) | Int(b)] != 0 : nonAscii(k, decodeMulti(pos, UInt32(b)).0)
                    }
                    if !r { pc = Int(ins.b); continue }
                }
                push(&sp, ins.b, RegexBT.resume, pos, 0)
                pc = Int(ins.a)

            case RegexOp.jump:
                pc = Int(ins.a)

            case RegexOp.assertNext:
                var r = false
                if pos < n {
                    let b = text[pos]
                    if b < 0x80 {
                        r = asciiTab[(Int(ins.a) << 7) | Int(b)] != 0
                    } else {
                        r = nonAscii(Int(ins.a), decodeMulti(pos, UInt32(b)).0)
                    }
                }
                if r == (ins.flag & 1 != 0) { ok = false } else { pc += 1 }

            case RegexOp.scalar:
                if pos < n {
                    let (c, l) = decode(pos)
                    if c == UInt32(bitPattern: ins.a) { pos += l; pc += 1 } else { ok = false }
                } else {
                    ok = false
                }

            case RegexOp.anyNoNL:
                if pos < n && text[pos] != 10 { pos += decode(pos).1; pc += 1 } else { ok = false }

            case RegexOp.anyAll:
                if pos < n { pos += decode(pos).1; pc += 1 } else { ok = false }

            case RegexOp.look:
                let negated = ins.flag & 1 != 0
                var found = false
                if ins.flag & 2 == 0 {
                    found = run(pc + 1, pos, sp, -1) >= 0
                } else {
                    let minLen = Int(ins.a), maxLen = Int(ins.c)
                    var start = pos
                    var k = 0
                    while k < minLen && start > 0 { start = prevStart(start); k += 1 }
                    if k == minLen {
                        while true {
                            if run(pc + 1, start, sp, pos) >= 0 { found = true; break }
                            if k >= maxLen || start == 0 { break }
                            start = prevStart(start)
                            k += 1
                        }
                    }
                }
                if found != negated { pc = Int(ins.b) } else { ok = false }

            case RegexOp.atomic:
                let r = run(pc + 1, pos, sp, -1)
                if r >= 0 { pos = r; pc = Int(ins.b) } else { ok = false }

            case RegexOp.assert:
                if checkAssert(ins.flag, pos) { pc += 1 } else { ok = false }

            case RegexOp.markSet:
                let s = Int(ins.a)
                push(&sp, ins.a, RegexBT.restoreSlot, slots[s], 0)
                slots[s] = pos
                pc += 1

            case RegexOp.markCheck:
                if slots[Int(ins.a)] == pos { pc = Int(ins.b) } else { pc += 1 }

            case RegexOp.match:
                return pos

            case RegexOp.matchAt:
                if pos == target { return pos }
                ok = false

            default:
                ok = false
            }
            if ok { continue }

            // Backtrack.
            var resumed = false
            while sp > base {
                sp -= 1
                let e = stack[sp]
                switch e.kind {
                case RegexBT.resume:
                    pc = Int(e.pc)
                    pos = e.pos
                    resumed = true
                case RegexBT.greedy:
                    let np = prevStart(e.pos)
                    if np > e.aux { stack[sp].pos = np; sp += 1 }
                    pos = np
                    pc = Int(e.pc)
                    resumed = true
                case RegexBT.lazy:
                    let li = prog[Int(e.pc)]
                    let q = matchItem(li.flag & 7, li.a, e.pos)
                    if q >= 0 {
                        let cnt = e.aux + 1
                        let maxC = li.c < 0 ? Int.max : Int(li.c)
                        if cnt < maxC {
                            stack[sp].pos = q
                            stack[sp].aux = cnt
                            sp += 1
                        }
                        pos = q
                        pc = Int(e.pc) + 1
                        resumed = true
                    }
                default:  // restoreSlot
                    slots[Int(e.pc)] = e.pos
                }
                if resumed { break }
            }
            if !resumed { return -1 }
        }
    }

    // MARK: Scan

    /// Every non-overlapping match, left to right. After an empty match (or no match) the scan
    /// resumes one scalar later.
    mutating func forEachMatch(_ body: (Range<Int>) -> Void) {
        let program = self.program
        let amask = UnsafePointer(program.asciiAltMask)
        let cmask = UnsafePointer(program.codeAltMask)
        let entries = UnsafePointer(program.entries)
        let nullableMask = program.nullableMask
        let text = self.text
        let n = self.n
        var pos = 0
        while true {
            var mask: UInt64
            var len = 1
            if pos < n {
                let b = text[pos]
                if b < 0x80 {
                    mask = amask[Int(b)]
                } else {
                    let (c, l) = decodeMulti(pos, UInt32(b))
                    len = l
                    mask = cmask[Int(regexEntry(c, table) & 31)]
                }
            } else {
                mask = nullableMask
            }
            var end = -1
            while mask != 0 {
                let k = mask.trailingZeroBitCount
                mask &= mask &- 1
                end = run(Int(entries[k]), pos, 0, -1)
                if end >= 0 { break }
            }
            if end >= 0 {
                body(pos..<end)
                if end > pos { pos = end; continue }
            }
            if pos >= n { break }
            pos += len
        }
    }
}
