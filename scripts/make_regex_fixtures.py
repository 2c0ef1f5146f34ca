#!/usr/bin/env python3
"""Generate the regex fixture used by the PretokenPattern tests.

Reference: the `regex` module (pip install regex), which agrees with Oniguruma / fancy-regex on
the tokenizer pre-tokenization patterns. Character offsets are converted to UTF-8 byte offsets.

Deterministic (seeded). Writes Tests/Fixtures/regex/regex_fixtures.json:

{
  "regex_version": "...",
  "texts": ["...", ...],
  "patterns": [
    {"name": "gpt2", "pattern": "...", "cases": [[text_index, [gap, len, gap, len, ...]], ...]}
  ]
}

Matches are stored as (gap from the previous match end, match length) byte pairs.

The scan semantics are the engine's (and Oniguruma's / Rust's): try an anchored match at the
current position; on a match report it and continue at its end (one scalar later after an empty
match); otherwise move one scalar on. For the tokenizer patterns (which never match empty) this is
identical to regex.finditer, which is checked too.

Usage: python3 scripts/make_regex_fixtures.py [output.json] [--crosscheck]

--crosscheck also compares the reference splits with HF tokenizers' Split pre-tokenizer (Oniguruma) and
tiktoken's splitter (fancy-regex, via a vocabulary made of the reference pieces), if installed.
"""
import json
import os
import random
import sys
import unicodedata

import regex

SEED = 20240611

# --- Patterns -----------------------------------------------------------------------------------

GPT2 = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
CL100K = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
QWEN2 = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
O200K = (r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"""
         r"""|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"""
         r"""|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+""")
DEEPSEEK_DIGITS = r"""\p{N}{1,3}"""
DEEPSEEK_CJK_ESCAPED = r"""[\u4e00-\u9fa5\u3040-\u309f\u30a0-\u30ff]+"""
DEEPSEEK_CJK_LITERAL = "[\u4e00-\u9fa5\u3040-\u309f\u30a0-\u30ff]+"
DEEPSEEK_MAIN = (r"""[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+"""
                 r"""| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+""")

MAIN_PATTERNS = [
    ("gpt2", GPT2),
    ("cl100k", CL100K),
    ("qwen2", QWEN2),
    ("o200k", O200K),
    ("deepseek_digits", DEEPSEEK_DIGITS),
    ("deepseek_cjk_escaped", DEEPSEEK_CJK_ESCAPED),
    ("deepseek_cjk_literal", DEEPSEEK_CJK_LITERAL),
    ("deepseek_main", DEEPSEEK_MAIN),
    ("pN", r"\p{N}"),
    ("digits", r"\d+"),
    ("spaces", r"\s+"),
    ("nonspace", r"[^\s]+"),
    ("metaspace", "\u2581"),
    ("bert", r"\w+|[^\w\s]+"),
]

# General syntax coverage, checked on the smaller "misc" text set.
MISC_PATTERNS = [
    ("lazy_star", r"a.*?b|\S"),
    ("lazy_plus", r"<.+?>|[^<]+"),
    ("lazy_opt", r"ab??|."),
    ("lazy_counted", r"\d{2,4}?|\D+"),
    ("counted", r"\p{L}{2,3}|\p{N}{2}|\s{1,}|."),
    ("counted_open", r"x{2,}|[a-z]{3}|."),
    ("group_repeat", r"(?:ab|a)+c?|(?:\d\.)+\d|."),
    ("alt_backtrack", r"(?:a|ab)(?:c|bcd)|\w+|\W"),
    ("lookahead_pos", r"\w+(?=\s)|\w+|\W"),
    ("lookahead_neg", r"\d+(?![\d.])|\d|\D"),
    ("lookbehind", r"(?<=\s)\w+|(?<![\w'])'\w+|\w+|\W"),
    ("anchors", r"^\w+|\w+$|\s+|."),
    ("multiline", r"(?m)^\s*\w+|.|\n"),
    ("dotall", r"(?s)\(.*?\)|."),
    ("word_boundary", r"\b\w|\B\w+|\W+"),
    ("case_insensitive", r"(?i)the|straße|[a-c]+|σ+|k|."),
    ("case_flag_scope", r"(?:(?i)ab|cd)|\S"),
    ("case_class", r"(?i:[^a-z\s]+)|\s+|\w"),
    ("possessive", r"\w++|\s*+\S"),
    ("atomic", r"(?>a+)b|(?>\w+?)|."),
    ("hex_escapes", r"[\x41-\x5A\u00e0-\u00ff]+|\U0001F600|[\t\x20]+|."),
    ("neg_shorthand_in_class", r"[\W\d]+|[^\W\d]+"),
    ("negated_props", r"[\P{L}\p{Lu}]+|\P{L}|\p{L}"),
    ("property_long_names", r"\p{Letter}+|\p{Decimal_Number}+|\p{Punctuation}+|\p{Other_Symbol}+|\p{White_Space}+|."),
    ("dot_newline", r".+|\n"),
    ("nested_quant", r"(?:(?:\w\w)+\s?)+|."),
    ("empty_alternatives", r"a|b|"),
    ("empty_lookahead", r"(?=\w)|\s"),
    ("nullable_loop", r"(?:a|)*b|(?:x?)*y|."),
]

# --- Texts --------------------------------------------------------------------------------------

CURATED = [
    "Hello world! This is a test.",
    "I'm here, you're there; he's, she'll, they'd, we've, it's, 'tis, y'all.",
    "I'M SHOUTING. HE'S HERE. THEY'LL GO. WE'RE DONE. YOU'VE WON. I'D SAY. IT'S OK.",
    "Mixed 'S 'LL 'Re 'rE 'Ve 'M 'D 'T and ''s '' ' 's",
    "don't can't won't shouldn't O'Neil rock'n'roll 'quoted' \"double\"",
    "The year 2024 had 365 days; pi is 3.14159265358979 and e=2.718. 1,000,000 ships. 0x1F 1e10 -42",
    "123456789012345678901234567890",
    "   leading spaces and trailing spaces   ",
    "tabs\tand\t\tmore\t\t\ttabs\t",
    "line1\nline2\n\nline4\n\n\n\nline8\n",
    "windows\r\nline\r\n\r\nendings\r\n",
    "mixed \n \n\t\n  \r\n \r \r\r\n\n  x",
    "   \n   word",
    "  \t  \n",
    "\n",
    " ",
    "",
    "a",
    "'",
    "''",
    "'s",
    "  'll",
    "x  ",
    "x \u00a0 y\u00a0\u00a0z",
    "ideographic\u3000space\u3000\u3000here",
    "line\u2028separator\u2029paragraph\u0085nel",
    "zero\u200bwidth\u200cnon\u200djoiner\ufeffbom",
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u1680 spaces",
    "\x1c\x1d\x1e\x1f info separators \x0b\x0c vt ff \x00 nul \x7f del",
    "Caf\u00e9 na\u00efve r\u00e9sum\u00e9 \u00c5ngstr\u00f6m Stra\u00dfe \u0141\u00f3d\u017a \u0218tefan \u0130stanbul \u0131\u015f\u0131k",
    unicodedata.normalize("NFD", "Caf\u00e9 na\u00efve r\u00e9sum\u00e9 \u00c5ngstr\u00f6m \u1ebf\u1ec7 Vi\u1ec7t Nam ph\u1edf"),
    "\u0301\u0302 leading combining marks \u0301x",
    "\u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac: \u039a\u03b1\u03bb\u03b7\u03bc\u03ad\u03c1\u03b1 \u03ba\u03cc\u03c3\u03bc\u03b5! \u03a3\u03af\u03c3\u03c5\u03c6\u03bf\u03c2 \u1f00\u1f80\u1fb3",
    "\u0420\u0443\u0441\u0441\u043a\u0438\u0439 \u0442\u0435\u043a\u0441\u0442, \u0401\u043b\u043a\u0430! \u0423\u043a\u0440\u0430\u0457\u043d\u0441\u044c\u043a\u0430 \u0491",
    "\u0627\u0644\u0639\u0631\u0628\u064a\u0629: \u0645\u064e\u0631\u0652\u062d\u064e\u0628\u064b\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645 \u0661\u0662\u0663\u0664\u0665 \u06f1\u06f2\u06f3 \u061f",
    "\u05e2\u05d1\u05e8\u05d9\u05ea: \u05e9\u05b8\u05c1\u05dc\u05d5\u05b9\u05dd \u05e2\u05d5\u05dc\u05dd",
    "\u0939\u093f\u0928\u094d\u0926\u0940 \u092a\u093e\u0920: \u0928\u092e\u0938\u094d\u0924\u0947 \u0926\u0941\u0928\u093f\u092f\u093e\u0964 \u0967\u0968\u0969",
    "\u0e20\u0e32\u0e29\u0e32\u0e44\u0e17\u0e22 \u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35\u0e04\u0e23\u0e31\u0e1a \u0e51\u0e52\u0e53",
    "\u4e2d\u6587\u6587\u672c\uff0c\u4f60\u597d\u4e16\u754c\u3002\u6211\u7231\u5317\u4eac\u5929\u5b89\u95e8\uff01\u9fa5\u9fa6\u9fff",
    "\ud55c\uad6d\uc5b4 \ud14d\uc2a4\ud2b8: \uc548\ub155\ud558\uc138\uc694, \uc138\uacc4!",
    unicodedata.normalize("NFD", "\ud55c\uad6d\uc5b4 \uc548\ub155"),
    "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8\u3067\u3059\u3002\u3072\u3089\u304c\u306a\u3068\u30ab\u30bf\u30ab\u30ca\u30fc\uff71\uff72\uff73 \u309b\u309c\u30fb",
    "Emoji: \U0001F600\U0001F44D\U0001F3FD \U0001F468\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466 \U0001F1FA\U0001F1F8\U0001F1EF\U0001F1F5 1\ufe0f\u20e3 \u2764\ufe0f \U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F",
    "digits: \u0660\u0661\u0662 \u0966\u0967 \uff10\uff11\uff12\uff13 \u00b2\u00b3\u00b9 \u2160\u2161\u216b \u2460\u2461 \u3007\u3021 \U0001D7CE\U0001D7CF",
    "math: \U0001D400\U0001D401\U0001D41A \u2211\u222b\u221a\u2248\u2260 \u00b1\u00d7\u00f7 \u2200x\u2203y",
    "cjk ext: \U00020000\U0002A6D6\U00030000 tags \U000E0041 pua \ue000\U000F0000\U0010FFFD",
    "titlecase \u01c5\u01c4\u01c6 long s \u017f Kelvin \u212a Angstrom \u212b sharp \u1e9e\u00df sigma \u03c3\u03c2\u03a3",
    "modifier \u02b0\u02b1 \u02c6 \u3005 circled \u24b6\u24b7\u24d0 \U0001F130",
    "currency $100 \u20ac50 \u00a330 \u00a5 \u20b9 and symbols \u00a9\u00ae\u2122 \u00b0C",
    "def f(x):\n    return x ** 2  # square\n\nif __name__ == '__main__':\n    print(f(3))\n",
    "int main(void) {\n\tprintf(\"%d\\n\", a[i] + b->c);\n\treturn 0;\n}\n",
    '{"key": "value", "n": [1, 2, 3.5e-7], "nested": {"a": null, "b": true}}',
    "#!/bin/sh\nfor f in *.txt; do echo \"$f\" | grep -v '^#' >> out.log 2>&1; done\n",
    "https://example.com/path/to/page?query=1&x=y#frag user@example.org /usr/lib/python3/",
    "!!!???...,,,;;;:::---___===+++***&&&%%%$$$###@@@~~~```^^^|||\\\\\\///<<<>>>[[[]]]{{{}}}((()))",
    "!a #b $c %d &e 'f (g )h *i +j ,k -l .m /n :o ;p <q =r >s ?t @u [v \\w ]x ^y _z `A {B |C }D ~E",
    "...\n\n---\r\n***\n  ///\n",
    "a/b/c// //d",
    "camelCaseWord PascalCase snake_case SCREAMING_CASE HTTPServer XMLHttpRequest iPhone McDonald'S",
    "\u00c9COLE \u00e9cole \u01c5ungla \u0130I\u0131i \u1e9e\u00df",
    "x" * 50 + "'S" + "Y" * 50,
]


def long_texts():
    return [
        " " * 1500 + "a",
        " " * 1500,
        "\n" * 800 + "x",
        "a" * 2000 + "'s",
        "A" * 1500 + "bc",
        "\u4e00" * 700,
        "1" * 1000,
        " \t" * 600 + "\n",
        "\r\n" * 500 + " ",
        ("word " * 300),
        ".!?" * 400,
        "  " + "\u00a0" * 500 + "\u3000" * 300 + "z",
    ]


def alphabet():
    groups = []

    def add(weight, chars):
        groups.append((weight, chars))

    add(30, [chr(c) for c in range(0x61, 0x7B)])            # a-z
    add(10, [chr(c) for c in range(0x41, 0x5B)])            # A-Z
    add(6, [chr(c) for c in range(0x30, 0x3A)])             # 0-9
    add(25, [" "])
    add(6, ["\t", "\n", "\r", "\r\n", "  ", "   "])
    add(12, list("!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~"))
    add(10, ["'", "'s", "'S", "'t", "'T", "'re", "'RE", "'Re", "'ve", "'VE", "'m", "'M", "'ll", "'LL", "'lL", "'d", "'D", "'x"])
    add(4, ["\u00a0", "\u3000", "\u2028", "\u2029", "\u0085", "\u2003", "\u202f", "\u200b", "\ufeff", "\x0b", "\x0c", "\x1f"])
    add(5, list("\u00e0\u00e9\u00ee\u00f5\u00fc\u00e7\u00f1\u00c0\u00c9\u00ce\u00d5\u00dc\u00c7\u00d1\u00df\u0142\u0141\u0153\u017e\u0160\u01c5\u017f\u212a\u1e9e"))
    add(4, ["\u0301", "\u0308", "\u0327", "\u0323", "\u064e", "\u05b8", "\u093f", "\u0e31", "\u20e3", "\ufe0f", "\u200d", "\u200c"])
    add(3, list("\u03b1\u03b2\u03b3\u0394\u03a3\u03c2\u03c9\u0391\u1f00"))
    add(3, list("\u0430\u0431\u0432\u0416\u0429\u044f\u0401\u0457"))
    add(3, list("\u0627\u0644\u0639\u0631\u0628\u064a\u0629\u0661\u0662\u06f3\u061f\u060c"))
    add(2, list("\u05e2\u05d1\u05e8\u05d9\u05ea\u05be"))
    add(2, list("\u0928\u092e\u0938\u094d\u0924\u0947\u0964\u0967"))
    add(2, list("\u0e20\u0e32\u0e29\u0e44\u0e17\u0e22\u0e51"))
    add(6, list("\u4e00\u4e2d\u6587\u5b57\u9fa5\u9fa6\u3400\uf900\u3002\uff0c\uff01"))
    add(3, list("\ud55c\uad6d\uc5b4\u1100\u1161\u11a8"))
    add(4, list("\u3042\u3044\u3046\u304c\u3063\u3093\u30a2\u30a4\u30c6\u30fc\u30fb\u309b\uff71\uff9e"))
    add(4, ["\U0001F600", "\U0001F44D\U0001F3FD", "\U0001F468\u200d\U0001F469\u200d\U0001F467", "\U0001F1FA\U0001F1F8", "\u2764\ufe0f", "1\ufe0f\u20e3", "\U0001F3F4\U000E0067\U000E0062\U000E007F"])
    add(3, list("\u0660\u0966\uff10\uff11\u00b2\u00bd\u2160\u2460\u3007\U0001D7CE"))
    add(2, list("\u00a9\u20ac\u00a3\u2211\u221a\u00b0\u2122\u2190\u25a0\U0001D400\U00020000\ue000\u24b6\u02b0\u3005"))
    return groups


def random_texts(rng, count):
    groups = alphabet()
    weights = [w for w, _ in groups]
    out = []
    for _ in range(count):
        n = rng.choice([1, 2, 3, 5, 8, 13, 20, 30, 45, 60])
        parts = []
        for _ in range(n):
            g = rng.choices(range(len(groups)), weights)[0]
            parts.append(rng.choice(groups[g][1]))
        out.append("".join(parts))
    return out


# --- Reference matching -------------------------------------------------------------------------

def byte_offsets(text):
    offs = [0]
    for ch in text:
        offs.append(offs[-1] + len(ch.encode("utf-8")))
    return offs


def scan(compiled, text):
    """Engine semantics: anchored attempt at each position; resume one scalar after an empty match."""
    out = []
    pos = 0
    n = len(text)
    while True:
        m = compiled.match(text, pos)
        if m is not None:
            out.append(m.span())
            if m.end() > pos:
                pos = m.end()
                continue
        if pos >= n:
            break
        pos += 1
    return out


def encode_matches(text, spans):
    offs = byte_offsets(text)
    flat = []
    prev = 0
    for s, e in spans:
        bs, be = offs[s], offs[e]
        flat.append(bs - prev)
        flat.append(be - bs)
        prev = be
    return flat


def crosscheck(main_texts):
    """Optional: compare the regex-module reference with HF tokenizers' Split pre-tokenizer (Oniguruma)
    and tiktoken's splitter (fancy-regex), when those packages are installed."""
    try:
        from tokenizers import Regex as HFRegex, pre_tokenizers
    except ImportError:
        pre_tokenizers = None
        print("crosscheck: tokenizers not installed, skipping Oniguruma check")
    try:
        import tiktoken
    except ImportError:
        tiktoken = None
        print("crosscheck: tiktoken not installed, skipping fancy-regex check")
    for name, pat in MAIN_PATTERNS:
        compiled = regex.compile(pat)
        ref = {t: [t[s:e] for s, e in scan(compiled, t)] for t in main_texts}
        if pre_tokenizers is not None:
            split = pre_tokenizers.Split(HFRegex(pat), behavior="removed", invert=True)
            bad = [t for t in main_texts if [p for p, _ in split.pre_tokenize_str(t)] != ref[t]]
            print(f"crosscheck oniguruma {name}: {len(main_texts) - len(bad)}/{len(main_texts)} agree")
            for t in bad[:3]:
                print("   ", repr(t[:80]), [p for p, _ in split.pre_tokenize_str(t)][:12], ref[t][:12])
        if tiktoken is not None and all("".join(ref[t]) == t for t in main_texts):
            vocab = {bytes([i]): i for i in range(256)}
            for pieces in ref.values():
                for piece in pieces:
                    vocab.setdefault(piece.encode("utf-8"), len(vocab))
            enc = tiktoken.Encoding(name=f"x{name}", pat_str=pat, mergeable_ranks=vocab, special_tokens={})
            bad = [t for t in main_texts if enc.encode_ordinary(t) != [vocab[p.encode("utf-8")] for p in ref[t]]]
            print(f"crosscheck tiktoken  {name}: {len(main_texts) - len(bad)}/{len(main_texts)} agree")
            for t in bad[:3]:
                print("   ", repr(t[:80]))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(here, "..", "Tests", "Fixtures", "regex", "regex_fixtures.json")
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    out_path = args[0] if args else default_out
    rng = random.Random(SEED)

    main_texts = CURATED + long_texts() + random_texts(rng, 300)
    misc_texts = CURATED + random_texts(rng, 60)
    texts = []
    index = {}

    def text_id(t):
        if t not in index:
            index[t] = len(texts)
            texts.append(t)
        return index[t]

    patterns = []
    for name, pat in MAIN_PATTERNS:
        compiled = regex.compile(pat)
        cases = []
        for t in main_texts:
            spans = scan(compiled, t)
            ref = [m.span() for m in compiled.finditer(t)]
            assert spans == ref, (name, t)
            cases.append([text_id(t), encode_matches(t, spans)])
        patterns.append({"name": name, "pattern": pat, "cases": cases})
    for name, pat in MISC_PATTERNS:
        compiled = regex.compile(pat)
        cases = []
        for t in misc_texts:
            if "(?i" in pat and "\u0130" in t:
                # Known divergence: the regex module folds U+0130 (capital I with dot) to 'i'; simple
                # case folding (Oniguruma / Rust regex, and this engine) does not.
                continue
            cases.append([text_id(t), encode_matches(t, scan(compiled, t))])
        patterns.append({"name": name, "pattern": pat, "cases": cases})

    if "--crosscheck" in sys.argv:
        crosscheck(main_texts)

    doc = {"regex_version": regex.__version__, "seed": SEED, "texts": texts, "patterns": patterns}
    os.makedirs(os.path.dirname(os.path.abspath(out_path)), exist_ok=True)
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {out_path}: {len(texts)} texts, {len(patterns)} patterns, {os.path.getsize(out_path)} bytes")


if __name__ == "__main__":
    main()
