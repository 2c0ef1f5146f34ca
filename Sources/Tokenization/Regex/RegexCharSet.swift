// Character sets: the compile-time description (`RegexSetSpec`) and the flat runtime form
// (`RegexClassData` plus a 128-byte ASCII membership table per class).

/// A set of scalars: `negated XOR (code in codes || entry & props != 0 || in ranges || in any sub)`.
/// Case-insensitivity is resolved when the spec is built (ranges are closed under case variants,
/// cased-letter categories widened), so membership never needs case folding at match time.
struct RegexSetSpec: Sendable, Equatable {
    var negated = false
    var codes: UInt32 = 0
    var props: UInt8 = 0
    /// Sorted, merged, non-overlapping after `normalize()`.
    var ranges: [ClosedRange<UInt32>] = []
    /// Items that cannot be merged into the flat form (e.g. \W inside a class), OR-ed in.
    var subs: [RegexSetSpec] = []

    static var digit: RegexSetSpec { var s = RegexSetSpec(); s.codes = RegexCat.digit; return s }
    static var space: RegexSetSpec { var s = RegexSetSpec(); s.codes = RegexCat.whiteSpace; return s }
    static var word: RegexSetSpec {
        var s = RegexSetSpec(); s.codes = RegexCat.wordCodes; s.props = regexPropWordExtra; return s
    }
    static func scalar(_ c: UInt32) -> RegexSetSpec { var s = RegexSetSpec(); s.ranges = [c...c]; return s }
    /// `.` : anything but \n (or anything when dotAll).
    static func dot(_ dotAll: Bool) -> RegexSetSpec {
        var s = RegexSetSpec()
        if dotAll { s.codes = RegexCat.all } else { s.negated = true; s.ranges = [10...10] }
        return s
    }

    var isSimple: Bool { subs.isEmpty }

    func contains(_ c: UInt32) -> Bool {
        let e = regexEntry(c)
        var m = (codes >> UInt32(e & 31)) & 1 != 0 || (e & props) != 0
        if !m { m = Self.rangesContain(ranges, c) }
        if !m {
            for s in subs where s.contains(c) { m = true; break }
        }
        return m != negated
    }

    static func rangesContain(_ ranges: [ClosedRange<UInt32>], _ c: UInt32) -> Bool {
        var lo = 0, hi = ranges.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            let r = ranges[mid]
            if c < r.lowerBound { hi = mid } else if c > r.upperBound { lo = mid + 1 } else { return true }
        }
        return false
    }

    mutating func normalize() {
        guard ranges.count > 1 else { return }
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var out: [ClosedRange<UInt32>] = []
        out.reserveCapacity(ranges.count)
        for r in ranges {
            if let last = out.last, r.lowerBound <= last.upperBound &+ 1 {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        ranges = out
    }

    /// Adds a range; with `caseInsensitive`, also every case variant of its members.
    mutating func addRange(_ lo: UInt32, _ hi: UInt32, caseInsensitive: Bool) {
        ranges.append(lo...hi)
        guard caseInsensitive else { return }
        if hi - lo < 0x3000 {
            for v in lo...hi {
                let vars = regexCaseVariants(v)
                if vars.count > 1 { for x in vars where x != v { ranges.append(x...x) } }
            }
        } else {
            // Large range: walk the (much smaller) case table instead.
            for (k, vars) in regexCaseClasses where k >= lo && k <= hi {
                for x in vars where x != k { ranges.append(x...x) }
            }
        }
    }

    /// Unions another set into this (non-negated, under construction) set.
    mutating func add(_ item: RegexSetSpec) {
        if !item.negated && item.subs.isEmpty {
            codes |= item.codes
            props |= item.props
            ranges.append(contentsOf: item.ranges)
        } else if item.negated && item.subs.isEmpty && item.props == 0 && item.ranges.isEmpty {
            // Every scalar has exactly one class code, so complementing codes is exact.
            codes |= ~item.codes & RegexCat.all
        } else {
            subs.append(item)
        }
    }

    /// Set of class codes that some non-ASCII member may have (over-approximation).
    func possibleNonAsciiCodes() -> UInt32 {
        if !subs.isEmpty { return RegexCat.all }
        if negated {
            // Complement: a code whose every scalar is in the base set is impossible.
            return RegexCat.all & ~codes
        }
        var m = codes
        if props != 0 { m = RegexCat.all }
        var budget = 70_000
        for r in ranges where r.upperBound >= 0x80 {
            let lo = max(r.lowerBound, 0x80)
            if Int(r.upperBound - lo) >= budget { return RegexCat.all }
            budget -= Int(r.upperBound - lo) + 1
            for v in lo...r.upperBound { m |= RegexCat.bit(regexEntry(v) & 31) }
        }
        return m
    }
}

/// Runtime form of one character class.
struct RegexClassData {
    var codes: UInt32 = 0
    var props: UInt8 = 0
    var negated = false
    var complex = false
    /// Into the program's flat range array (pairs of UInt32, non-ASCII parts only).
    var rangeStart: Int32 = 0
    var rangeCount: Int32 = 0
    /// Into the program's spec array (used when `complex`).
    var specIndex: Int32 = 0
}
