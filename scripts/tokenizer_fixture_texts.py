"""Test texts and training corpus for the tokenizer fixtures.

Shared by scripts/make_tokenizer_fixtures.py and scripts/check_tokenizer_reference.py.
Pure stdlib, deterministic (fixed seeds, sorted inputs).

`test_texts(sp)` returns the SAME list of cases for every tokenizer; the only per-tokenizer
part is the special-token strings substituted into the templates that glue special tokens to
text (sp = {"S1": ..., "S2": ..., "S3": ..., "A1": ..., "A2": ...}):
  S1/S2/S3: three special tokens of that tokenizer (BOS-like, EOS-like, another one),
  A1/A2:    two non-special added tokens where the tokenizer has some, else specials again.
"""

from __future__ import annotations

import glob
import os
import random
import sys
import unicodedata

# --------------------------------------------------------------------------------------
# Sample sentences per script (pangrams and everyday phrases). Used both as test texts and
# as seeds for the generated multilingual part of the training corpus.
# --------------------------------------------------------------------------------------
SCRIPT_SAMPLES: dict[str, list[str]] = {
    "latin": [
        "The quick brown fox jumps over the lazy dog.",
        "Voix ambiguë d'un cœur qui, au zéphyr, préfère les jattes de kiwis.",
        "Zwölf Boxkämpfer jagen Viktor quer über den großen Sylter Deich.",
        "El veloz murciélago hindú comía feliz cardillo y kiwi. ¿Qué tal? ¡Olé!",
        "À noite, vovô Kowalsky vê o ímã cair no pé do pinguim queixoso e vovó põe açúcar no chá.",
        "Zażółć gęślą jaźń. Příliš žluťoučký kůň úpěl ďábelské ódy.",
        "Pijamalı hasta yağız şoföre çabucak güvendi. İstanbul'da ılık bir gün.",
        "Tiếng Việt có dấu: Tôi yêu tiếng nước tôi từ khi mới ra đời.",
        "Kæmi ný öxi hér ykist þjófum nú bæði víl og ádrepa. Smørrebrød på Ærø.",
    ],
    "greek": [
        "Ξεσκεπάζω τὴν ψυχοφθόρα βδελυγμία.",
        "Γαζέες καὶ μυρτιὲς δὲν θὰ βρῶ πιὰ στὸ χρυσαφὶ ξέφωτο.",
        "Καλημέρα κόσμε, τι κάνεις σήμερα;",
    ],
    "cyrillic": [
        "Съешь же ещё этих мягких французских булок, да выпей чаю.",
        "Чуєш їх, доцю, га? Кумедна ж ти, прощайся без ґольфів!",
        "Привет, мир! Как дела? Всё хорошо, спасибо.",
    ],
    "arabic": [
        "صِف خَلقَ خَودِ كَمِثلِ الشَمسِ إِذ بَزَغَت يَحظى الضَجيعُ بِها نَجلاءَ مِعطارِ",
        "مرحبا بالعالم، كيف حالك اليوم؟",
        "اللغة العربية جميلة جدا",
    ],
    "hebrew": [
        "דג סקרן שט בים מאוכזב ולפתע מצא חברה",
        "שלום עולם, מה שלומך היום?",
        "בְּרֵאשִׁית בָּרָא אֱלֹהִים",
    ],
    "devanagari": [
        "ऋषियों को सताने वाले दुष्ट राक्षसों के राजा रावण का सर्वनाश करने वाले विष्णुवतार भगवान श्रीराम",
        "नमस्ते दुनिया, आप कैसे हैं?",
        "हिन्दी भाषा बहुत सुंदर है।",
    ],
    "bengali": [
        "আমি বাংলায় গান গাই।",
        "সবাইকে শুভেচ্ছা, আপনি কেমন আছেন?",
    ],
    "thai": [
        "เป็นมนุษย์สุดประเสริฐเลิศคุณค่า กว่าบรรดาฝูงสัตว์เดรัจฉาน",
        "สวัสดีครับ วันนี้อากาศดีมาก",
    ],
    "georgian": ["გამარჯობა მსოფლიო", "ქართული ენა ძალიან ლამაზია"],
    "armenian": ["Բարեւ աշխարհ", "Հայերեն լեզուն շատ գեղեցիկ է"],
    "chinese": [
        "我能吞下玻璃而不伤身体。",
        "天地玄黄，宇宙洪荒。日月盈昃，辰宿列张。",
        "今天天气很好，我们去公园散步吧。",
        "繁體中文：這是一個測試。",
    ],
    "japanese": [
        "いろはにほへと ちりぬるを わかよたれそ つねならむ",
        "私はガラスを食べられます。それは私を傷つけません。",
        "カタカナ テスト コンピューター ｶﾀｶﾅ",
    ],
    "korean": [
        "다람쥐 헌 쳇바퀴에 타고파",
        "안녕하세요 세계, 오늘 날씨가 좋네요.",
        "키스의 고유조건은 입술끼리 만나야 하고 특별한 기술은 필요치 않다.",
    ],
    "tamil": [
        "வணக்கம் உலகம்",
        "யாமறிந்த மொழிகளிலே தமிழ்மொழி போல் இனிதாவது எங்கும் காணோம்",
    ],
    "other": [
        "ሰላም ልዑል",  # Ethiopic
        "សួស្តី​ពិភពលោក",  # Khmer
        "ආයුබෝවන් ලෝකය",  # Sinhala
        "ᐊᐃᓐᖓᐃ",  # Canadian syllabics
        "𐌰𐌱𐌲 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝕄𝕒𝕥𝕙",  # Gothic + math alphanumerics (supplementary planes)
    ],
    "emoji": [
        "👍 😀😃😄😁 🎉🎉🎉",
        "👨‍👩‍👧‍👦 family 👩‍❤️‍💋‍👨",
        "🏳️‍🌈 🇯🇵🇺🇸🇩🇪 🏴‍☠️",
        "👋🏽 👋🏿 🧑🏿‍💻 👍🏻",
        "1️⃣ 2️⃣ #️⃣ *️⃣ ❤️ ☺︎",
    ],
}

PYTHON_SNIPPET = '''def fib(n: int) -> int:
    """Return the n-th Fibonacci number."""
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


if __name__ == "__main__":
    print([fib(i) for i in range(10)])  # [0, 1, 1, 2, ...]
'''

C_SNIPPET = '''#include <stdio.h>

int main(int argc, char **argv) {
\tfor (int i = 0; i < argc; ++i) {
\t\tprintf("%d: %s\\n", i, argv[i]);
\t}
\treturn 0; /* done */
}
'''

JSON_SNIPPET = '{"name": "longctx", "version": "0.1.0", "tags": ["swift", "llm"], "n": -1.5e+10, "ok": true, "x": null, "esc": "\\u00e9\\n"}'

SHELL_SNIPPET = '''#!/usr/bin/env bash
set -euo pipefail
for f in *.txt; do echo "$f" | tr 'a-z' 'A-Z' >> out.log 2>&1; done
[[ -n "${HOME:-}" ]] && cd ~ || exit 1
'''

SWIFT_SNIPPET = '''struct Tokenizer: Sendable {
    let vocab: [String: Int]
    func encode(_ text: String) -> [Int] {
        text.unicodeScalars.compactMap { vocab[String($0)] }
    }
}
let t = Tokenizer(vocab: ["a": 1])
print(t.encode("aaa"), terminator: "\\n")
'''

HTML_SNIPPET = '''<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Test &amp; &lt;page&gt;</title></head>
<body><p class="x">Hello,&nbsp;<b>world</b>!</p><!-- comment --><script>let a = 1 < 2 && 3 > 2;</script></body></html>
'''


def _case_templates() -> list[str]:
    """The hand-written cases. `{S1}` etc. are substituted per tokenizer (see module doc).
    Literal braces in the templates are written doubled."""
    t: list[str] = []
    add = t.append

    # --- trivial / whitespace-only --------------------------------------------------
    add("")
    add(" ")
    add("  ")
    add("a")
    add(" a")
    add("a ")
    add("Hello world")
    add(" Hello world")
    add("Hello world ")
    add("   leading and trailing spaces   ")
    add("                                                                ")  # 64 spaces
    add("word" + " " * 17 + "word")
    add("\t")
    add("\t\ttabs\tand\t\tspaces \t mixed\t")
    add("\n")
    add("\n\n\n")
    add("line one\nline two\n\nline four\n")
    add("windows\r\nline\r\nendings\r\n\r\n")
    add("old mac\rline\rendings")
    add(" \n \n\t\n  \r\n   x")
    add("trailing newline spaces   \n   \n")
    add("\n\n\n\n\n\n\n\n\n\n" + "text" + "\n" * 20)
    add("a\u000bb\u000cc")  # vertical tab, form feed

    # --- scripts --------------------------------------------------------------------
    for script, sents in SCRIPT_SAMPLES.items():
        for s in sents:
            add(s.replace("{", "{{").replace("}", "}}"))
    add("Mixed: Hello Привет 你好 こんにちは 안녕 مرحبا שלום नमस्ते Γειά 🌍!")

    # --- Unicode normalization, combining marks -------------------------------------
    add("café naïve résumé")  # NFC
    add(unicodedata.normalize("NFD", "café naïve résumé"))  # NFD
    add("e\u0301 vs \u00e9; A\u030a vs \u00c5 vs \u212b (angstrom sign)")
    add("\u1e9b\u0323 \u0071\u0307\u0323 \u0071\u0323\u0307")  # canonical reordering
    add(unicodedata.normalize("NFD", "한국어 조합형"))  # Hangul jamo (NFD)
    add("Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a\u032f\u031e\u0320\u034dA\u036b\u0357\u0334\u0362\u0335\u031c\u0330\u0354L\u0368\u0367\u0369\u0358\u0320G\u0311\u0357\u030e\u0305\u035b\u0341\u0334\u033b\u0348\u034d\u0354\u0339O\u0342\u030c\u030c\u0358\u0328\u0335\u0339\u033b\u031d\u0333")
    add("ﬁ ﬂ ﬀ ﬃ Ǆ ǅ ǆ ẞ ß ŉ ǰ ΐ")  # ligatures, special casings
    add("Ｆｕｌｌｗｉｄｔｈ　ＡＢＣ　ａｂｃ　！？")  # fullwidth + ideographic space
    add("ｶﾞｷﾞｸﾞ ﾊﾟﾋﾟ halfwidth katakana")
    add("① ② ⑽ ㊤ ㍻ ㎏ ™ ℡ ℃ ½ ¼ ¾")
    add("İstanbul ISTANBUL ıi Iİ ǅemal ΣΑΣ σας")  # case-mapping edge cases
    add("ΌΣΟΣ ΚΑΙ ΣΟΦΟΣ")  # final sigma when lowercased

    # --- digits ---------------------------------------------------------------------
    add("1234567890123")
    add("0")
    add("12 345 6789 0.5 -3.14e10 1,000,000 2024-06-11 12:34:56")
    add("99999999999999999999999999999999999999999999999999")
    add("v1.2.3-rc4 x86_64 i386 3D 4K 1st 2nd 3rd 10th")
    add("٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹ (Arabic-Indic, Extended Arabic-Indic)")
    add("०१२३४५६७८९ ০১২৩৪৫৬৭৮৯ ๐๑๒๓๔๕๖๗๘๙")
    add("０１２３４５６７８９ fullwidth digits")
    add("x² + y³ = z¹⁰ ₀₁₂ H₂O")
    add("Ⅰ Ⅱ Ⅲ Ⅳ Ⅻ ⅰⅱⅲ ↉ 𝟘𝟙𝟚 𝟶𝟷")
    add("一二三 四五六 七八九 十 百 千 万 億")
    add("price: $1,299.99 / €1.299,99 / ¥129,999 / £999")

    # --- contractions / casing ------------------------------------------------------
    add("I'LL he's They'Re we'VE it'S you'd I'M can't won't")
    add("'s 't 're 've 'm 'll 'd")
    add("don't DON'T Don'T dOn'T")
    add("rock 'n' roll, 'quoted', ''double'', '''triple'''")
    add("It\u2019s typographic: \u2018single\u2019 \u201cdouble\u201d \u201eGerman\u201c \u00abfran\u00e7ais\u00bb")
    add("ALL CAPS SENTENCE WITH NUMBERS 123 AND SYMBOLS #@!")
    add("camelCaseIdentifier snake_case_identifier SCREAMING_SNAKE kebab-case-id")

    # --- code -----------------------------------------------------------------------
    for snip in (PYTHON_SNIPPET, C_SNIPPET, JSON_SNIPPET, SHELL_SNIPPET, SWIFT_SNIPPET, HTML_SNIPPET):
        add(snip.replace("{", "{{").replace("}", "}}"))
    add("    indented = True\n        more_indented = [1, 2, 3]\n")
    add("x=1;y=2;z=x+y*3/4-5%6**7//8")
    add("a->b; c::d; e?.f ?? g; h => i; j <=> k; l != m; n >= o; p <<= q")
    add("SELECT id, name FROM users WHERE age >= 18 ORDER BY name DESC;")
    add("\\n \\t \\\\ \\u0041 \\x41 %s %d {{0}} ${{x}}")

    # --- URLs, emails, paths ------------------------------------------------------------
    add("https://example.com/path/to/page?query=1&other=%20x#fragment")
    add("Visit http://www.example.org:8080/a_b-c.d~e or ftp://files.example.net/")
    add("mail me at first.last+tag@example.co.uk or <admin@localhost>")
    add("/usr/local/bin/python3 C:\\Windows\\System32\\drivers\\etc\\hosts ~/.config/")
    add("@user #hashtag $TICKER &amp; 100% <tag/>")

    # --- punctuation soups ----------------------------------------------------------
    add("!!!???...,,,;;;:::")
    add("...---...  ~~~ === +++ *** ### @@@ $$$ %%% ^^^ &&& |||")
    add("(((nested [brackets {{braces}}] <angles>)))")
    add("«»‹›„“”‘’‚ — – ‐ ‑ ‒ … · • ‣ ′ ″ ‰ ‱ § ¶ † ‡")
    add("¡¿‽⁇⁈⁉ ‼ ❝❞ 〈〉《》「」『』【】〔〕")
    add("→←↑↓↔⇒⇐⇔ ∀∃∄∅∈∉∑∏√∞≈≠≤≥⊂⊃∪∩ ⌘⌥⇧⌃ ✓✗ ★☆ ♠♣♥♦")
    add("-----\n=====\n_____\n*****")
    add("'''\"\"\"```~~~")

    # --- control / invisible characters ------------------------------------------------
    add("".join(chr(c) for c in range(0x00, 0x20)) + "\x7f")
    add("nul\x00in\x00the\x00middle")
    add("bell\x07 backspace\x08 escape\x1b[31mred\x1b[0m del\x7f")
    add("C1 controls: \x80\x85\x9f and NEL\u0085here")
    add("line\u2028separator\u2029paragraph")
    add("no\u00a0break\u00a0space and narrow\u202fnbsp")
    add("ideographic\u3000space\u3000\u3000here")
    add("en\u2002em\u2003thin\u2009hair\u200aspaces")
    add("zero\u200bwidth\u200cnon\u200djoiner\u2060word joiner")
    add("\ufeffBOM at start, and \ufeff in the middle\ufeff")
    add("soft\u00adhyphen and \u034fCGJ and \u180emongolian")
    add("bidi \u202eoverride\u202c \u200fRLM\u200e LRM \u2066isolate\u2069")
    add("variation selectors: \u2764\ufe0f \u2764\ufe0e \u845b\U000e0100")

    # --- unassigned / private use / supplementary --------------------------------------
    add("private use: \ue000\ue001\uf8ff \U000f0000 \U0010fffd")
    add("unassigned: \u0378\u0379 \u05ff \U0002fffe \U000e0080")
    add("noncharacters: \ufdd0 \ufffe \uffff \U0001fffe \U0010ffff")
    add("replacement char \ufffd and object \ufffc")
    add("supplementary: 𠀀 𠜎 𡃁 𩸽 𓀀𓁐 𝐀𝐁𝐂 🀄 🂡 𝄞")
    add("ancient: 𐎀𐎁𐎂 (Ugaritic) 𒀀𒀁 (Cuneiform) 𐤀𐤁 (Phoenician)")

    # --- emoji ------------------------------------------------------------------------
    add("🙂")
    add("👨‍👩‍👧‍👦")
    add("👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦")
    add("🇺🇸🇬🇧🇫🇷🇩🇪🇯🇵🇰🇷🇨🇳🇮🇳🇧🇷🇿🇦")
    add("🏴󠁧󠁢󠁳󠁣󠁴󠁿 🏴󠁧󠁢󠁷󠁬󠁳󠁿 (tag sequences)")
    add("👍🏻👍🏼👍🏽👍🏾👍🏿")
    add("0️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣9️⃣🔟")
    add("I ❤️ emoji 😂😂😂 so much!!! 🔥🔥")
    add("🧑‍🤝‍🧑 🫶 🫠 🪿 (newer emoji)")

    # --- special / added tokens glued to text (per-tokenizer strings) -------------------
    add("{S1}")
    add("{S2}")
    add("{S1}{S1}")
    add("{S1}Hello world{S2}")
    add("hello{S2}world")
    add("hello {S2} world")
    add("hello  {S2}  world")
    add("{S3}user\nWhat is 2+2?{S2}\n{S3}assistant\n")
    add("\n{S1}\n")
    add(" {S1}")
    add("{S1} ")
    add("{S2}{S3}{S1}")
    add("text{S1}text{S2}text{S3}text")
    add("{S1}{S1}{S1}{S2}{S2}{S2}")
    add("partial {S1:-2} and {S2:3} and {S3:-1}")  # truncated special strings
    add("{S1:1} {S2:2} {S3:4}")
    add("{S1:-1}{S2}")
    add("{A1}")
    add("x{A1}y {A1} z  {A1}  w")
    add("{A2}")
    add("before{A2}after {A2} and\t{A2}\n")
    add("{A1}{A2}{S2}")
    add("{A1:-1}{A2:2}")
    add("Hello{A1}World")
    add("word {A2}word")

    # --- other families' special tokens as plain text -----------------------------------
    add("<|endoftext|> <|im_start|> <|im_end|>")
    add("<|begin_of_text|><|begin_of_text|><|eot_id|>")
    add("<s></s><unk> <s> hi </s>")
    add("[INST] hi [/INST] <pad> [CLS] [SEP] [MASK]")
    add("<｜begin▁of▁sentence｜>hi<｜end▁of▁sentence｜>")
    add("<|im_ <|im_end <s <|endof <|start_header_id|> <|")
    add("<0x41><0xE2><0x96><0x81>")  # byte-token spellings as text
    add("▁ ▁▁ ▁hello▁world ▁▁▁")  # metaspace character as text
    add("Ġhello Ċ ĉ âĢ¦")  # byte-level alphabet characters as text

    # --- longer mixed documents -------------------------------------------------------
    add("Title: A Test\n\nParagraph one has several sentences. It talks about tokenizers, "
        "which split text into pieces! Does it handle questions? Yes.\n\n"
        "- bullet one\n- bullet two\n  - nested bullet\n\n1. first\n2. second\n")
    add("| col1 | col2 |\n|------|------|\n| 1    | two  |\n| ３   | 四   |\n")
    add("# Heading\n\n```python\nprint('hi')\n```\n\n> quote\n\n**bold** _italic_ `code` [link](http://x.y)")
    add("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
        "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud "
        "exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.")
    add("日本語と English が混ざった文章です。Swift 6.0 で書かれています。")
    add("中文English混合123测试！？")
    add("Ελληνικά και English 123 και русский текст.")
    add("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    add("abababababababababababababababababababababababababababab")
    add("ééééééééééééééééééééééééééééééé")
    add("の" * 60)
    add("😀" * 40)
    add("ab" * 5 + " " * 5 + "cd" * 5 + "\n" * 5 + "ef" * 5 + "\t" * 5)
    return t


def _substitute(template: str, sp: dict[str, str]) -> str:
    """Expand {NAME} / {NAME:k} (first k chars) / {NAME:-k} (all but the last k chars);
    '{{' and '}}' are literal braces."""
    out = []
    i = 0
    n = len(template)
    while i < n:
        c = template[i]
        if c == "{":
            if template.startswith("{{", i):
                out.append("{")
                i += 2
                continue
            j = template.index("}", i)
            spec = template[i + 1 : j]
            name, _, cut = spec.partition(":")
            val = sp[name]
            if cut:
                k = int(cut)
                val = val[:k]
            out.append(val)
            i = j + 1
        elif c == "}":
            assert template.startswith("}}", i), template
            out.append("}")
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


# Alphabet for the random strings: a mix of everything above, weighted towards ASCII.
_RANDOM_ALPHABET = (
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") * 3
    + list("0123456789") * 2
    + list("      ") * 4
    + list("\n\n\t\r")
    + list(".,;:!?'\"()[]{}<>|/\\-_=+*&^%$#@~`")
    + list("éèêëàâäçñöüßøåæœ")
    + list("αβγδεζηθλμπσςωΑΒΓΔ")
    + list("абвгдежзийклмнопрстуфхцчшщъыьэюяЁЖ")
    + list("你好世界中文测试的是不了人我在有他这")
    + list("あいうえおかきくけこアイウエオンー")
    + list("가나다라마바사아자차카타파하한국어")
    + list("مرحباשלוםनमस्तেবাংলাสวัสดีქართულიՀայերենதமிழ்")
    + ["\u0301", "\u0308", "\u200d", "\u200b", "\ufeff", "\u00a0", "\u3000", "\u2028", "\ufe0f"]
    + ["😀", "👍", "🏽", "🇯", "🇵", "❤", "🔥", "𝄞", "𠀀", "\ue000", "\U0010fffd", "\x00", "\x7f"]
    + ["<|", "|>", "<s>", "</s>", "▁", "Ġ", "'s", "'LL", "<0x", "\r\n"]
)


def random_texts(count: int = 60, seed: int = 20240611) -> list[str]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        length = rng.choice([1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 120])
        out.append("".join(rng.choice(_RANDOM_ALPHABET) for _ in range(length)))
    return out


def test_texts(sp: dict[str, str]) -> list[str]:
    texts = [_substitute(t, sp) for t in _case_templates()] + random_texts()
    for t in texts:
        t.encode("utf-8")  # raises on lone surrogates
        assert len(t.encode("utf-8")) < 2048, t[:80]
    return texts


# --------------------------------------------------------------------------------------
# Training corpus
# --------------------------------------------------------------------------------------
def _stdlib_dir() -> str:
    import sysconfig

    return sysconfig.get_paths()["stdlib"]


def python_sources(max_bytes: int = 3_000_000) -> list[str]:
    """Deterministic slice of the Python stdlib sources (sorted by path)."""
    roots = sorted(set([_stdlib_dir()] + glob.glob("/usr/lib/python3*/")))
    files: list[str] = []
    for root in roots:
        if os.path.isdir(root):
            files = sorted(glob.glob(os.path.join(root, "*.py")))
            if files:
                break
    docs = []
    total = 0
    for f in files:
        try:
            with open(f, encoding="utf-8") as fh:
                s = fh.read()
        except (UnicodeDecodeError, OSError):
            continue
        docs.append(s)
        total += len(s.encode("utf-8"))
        if total >= max_bytes:
            break
    return docs


def multilingual_corpus(lines: int = 24000, seed: int = 7) -> list[str]:
    """Generated lines of text in every script (plus emoji, digits, punctuation) built by
    re-sampling words and whole sentences from SCRIPT_SAMPLES with a Zipf-like bias, so the
    trainer sees frequent words in each script and learns merges for them."""
    rng = random.Random(seed)
    scripts = list(SCRIPT_SAMPLES)
    words = {s: [w for sent in SCRIPT_SAMPLES[s] for w in sent.split()] for s in scripts}
    # CJK / Thai sentences have few spaces: also sample 1-4 character windows.
    for s in ("chinese", "japanese", "thai"):
        chars = "".join(SCRIPT_SAMPLES[s]).replace(" ", "")
        words[s] += [chars[i : i + k] for k in (1, 2, 3) for i in range(0, len(chars) - k)]
    out = []
    for _ in range(lines):
        s = rng.choice(scripts)
        r = rng.random()
        if r < 0.25:
            out.append(rng.choice(SCRIPT_SAMPLES[s]))
            continue
        ws = words[s]
        n = rng.randint(3, 14)
        picked = [ws[min(int(rng.paretovariate(1.2)) - 1, len(ws) - 1) if rng.random() < 0.5 else rng.randrange(len(ws))] for _ in range(n)]
        sep = "" if s in ("chinese", "japanese") and rng.random() < 0.6 else " "
        line = sep.join(picked)
        if rng.random() < 0.3:
            line += rng.choice([".", "!", "?", "。", "،", "।", ",", " 👍", " 😀", " 123", " 2024", "\t#", "…"])
        if rng.random() < 0.1:
            line = line.upper()
        out.append(line)
    return out


def training_corpus() -> list[str]:
    """Documents for the trainers, in a fixed order: stdlib sources interleaved with
    chunks of the generated multilingual text."""
    py = python_sources()
    ml = multilingual_corpus()
    chunk = 40
    ml_docs = ["\n".join(ml[i : i + chunk]) + "\n" for i in range(0, len(ml), chunk)]
    docs = []
    for i in range(max(len(py), len(ml_docs))):
        if i < len(py):
            docs.append(py[i])
        if i < len(ml_docs):
            docs.append(ml_docs[i])
    return docs


if __name__ == "__main__":  # quick look
    sp = {"S1": "<s>", "S2": "</s>", "S3": "<unk>", "A1": "<a>", "A2": "<b>"}
    ts = test_texts(sp)
    print(len(ts), "cases,", sum(len(t.encode()) for t in ts), "bytes")
    c = training_corpus()
    print(len(c), "corpus docs,", sum(len(d.encode()) for d in c), "bytes")
    if len(sys.argv) > 1:
        for t in ts:
            print(repr(t))
