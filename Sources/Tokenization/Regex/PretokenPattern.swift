// Public API of the pre-tokenization regex engine (pure Swift, stdlib only).
//
// Supported syntax (Oniguruma / Python-regex style):
//   literals and escapes  \t \n \r \f \v \a \e \0 \xHH \x{H..} \uHHHH \u{H..} \UHHHHHHHH, escaped punctuation
//   .  (any scalar but \n; (?s) makes it match \n too)   |   ( )  (?: )  (?<name> )  (?P<name> )  (?'name' )  (?# )
//   flags (?i) (?m) (?s) (?x), scoped (?i: ) (?-i: ); a bare (?i) applies to the rest of the enclosing group
//   quantifiers ? * + {n} {n,} {n,m} {,m}, lazy (??, *?, +?, {..}?) and possessive (?+, *+, ++, {..}+)
//   lookahead (?= ) (?! ), bounded-length lookbehind (?<= ) (?<! ), atomic groups (?> )
//   classes [...] [^...] with ranges, escapes, shorthands and properties inside
//   \d \D (Nd)  \s \S (White_Space)  \w \W (Alphabetic, M, Nd, Pc, Join_Control)
//   \p{..} \P{..} \p{^..} \pL: general categories (L, Lu, Letter, Uppercase_Letter, ... LC/L&),
//   Any, Assigned, ASCII, Alphabetic, White_Space, Word
//   anchors ^ $ \A \z \Z \b \B  (^/$ match at line boundaries only under (?m); $ also before a final \n)
// Not supported (PatternError): backreferences, \G, \K, \X, \R, scripts (\p{Han}), POSIX [[:alpha:]],
// unbounded lookbehind, class set operations.

/// A pattern that failed to parse. `offset` counts Unicode scalars from the start of `pattern`
/// and points at the offending construct (the opening `(` of an unclosed group, the `[` of an
/// unterminated class, the first bound of a bad range, the quantifier that has nothing to repeat,
/// the backslash of a bad escape, ...).
public struct PatternError: Error, CustomStringConvertible, Sendable {
    public let pattern: String
    public let offset: Int
    public let message: String

    public init(pattern: String, offset: Int, message: String) {
        self.pattern = pattern
        self.offset = offset
        self.message = message
    }

    public var description: String {
        "invalid regular expression at offset \(offset): \(message) (pattern: \(pattern))"
    }
}

/// A compiled pattern with Oniguruma / fancy-regex semantics (what HF tokenizers and tiktoken use): leftmost-first
/// alternation (backtracking, first alternative that leads to a match wins), greedy quantifiers with backtracking.
///
/// Matching works on Unicode scalars decoded from UTF-8; match bounds are byte offsets.
public struct PretokenPattern: Sendable {
    public let source: String
    let program: RegexProgram

    public init(_ pattern: String) throws(PatternError) {
        source = pattern
        program = try regexCompile(pattern)
    }

    /// Every non-overlapping match, scanning left to right, as byte offsets into `utf8` (valid UTF-8, guaranteed by caller).
    /// After an empty match, the search resumes one scalar later (and the empty match is reported).
    public func forEachMatch(in utf8: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        if let base = utf8.baseAddress {
            RegexExecutor.with(program: program, text: base, count: utf8.count) { $0.forEachMatch(body) }
        } else {
            let dummy: UInt8 = 0
            withUnsafePointer(to: dummy) { p in
                RegexExecutor.with(program: program, text: p, count: 0) { $0.forEachMatch(body) }
            }
        }
    }

    /// Convenience: all matches as byte offsets into `text.utf8`.
    public func matches(in text: String) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var t = text
        t.withUTF8 { buf in
            forEachMatch(in: buf) { out.append($0) }
        }
        return out
    }
}
