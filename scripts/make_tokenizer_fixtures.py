#!/usr/bin/env python3
"""Build the tokenizer test fixtures under Tests/Fixtures/tokenizers/.

Run by hand with the reference venv; its outputs are committed:

    python3 -m venv .venv-ref
    .venv-ref/bin/pip install tokenizers==0.23.3 tiktoken regex gguf numpy sentencepiece
    CMAKE_ARGS="-DGGML_NATIVE=off -DLLAMA_BUILD_EXAMPLES=off -DLLAMA_BUILD_TESTS=off" \
        .venv-ref/bin/pip install llama-cpp-python          # builds llama.cpp (~10 min, 2 cores)
    scripts/setup-assets.sh                                   # real tokenizers (not committed)
    .venv-ref/bin/python scripts/make_tokenizer_fixtures.py --train --goldens

--train     (re)train the small tokenizers that are ours (tokenizers/<name>/...,
            llama-spm-gguf/vocab.gguf, llama3-style/llama3-style.tiktoken). Deterministic.
--goldens   (re)derive every golden file from the committed tokenizer files + assets.
--only N    restrict to some names (repeatable).

Every golden is derived ONLY from files on disk (committed fixtures or assets), so
scripts/check_tokenizer_reference.py can re-derive and diff them without retraining.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import os
import random
import struct
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tokenizer_fixture_texts as T  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "Fixtures"
TOKDIR = FIXTURES / "tokenizers"
GOLDDIR = TOKDIR / "golden"
ASSETS = Path(os.environ.get("LONGCTX_ASSETS", ROOT / ".assets"))

# --------------------------------------------------------------------------------------
# Patterns (as the real families write them)
# --------------------------------------------------------------------------------------
LLAMA3_PATTERN = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
    r"|\s*[\r\n]+|\s+(?!\S)|\s+"
)
QWEN2_PATTERN = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
    r"|\s*[\r\n]+|\s+(?!\S)|\s+"
)
# whisper/tokenizer.py (openai-whisper 20250625) get_encoding(): the classic GPT-2 pattern.
WHISPER_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
# whisper/tokenizer.py LANGUAGES keys, in order (openai-whisper 20250625); get_encoding()
# uses the first num_languages=99 of them.
WHISPER_LANGUAGES = (
    "en zh de es ru ko fr ja pt tr pl ca nl ar sv it id hi fi vi he uk el ms cs ro da hu ta no "
    "th ur hr bg lt la mi ml cy sk te fa lv bn sr az sl kn et mk br eu is hy ne mn bs kk sq sw "
    "gl mr pa si km sn yo so af oc ka be tg sd gu am yi lo uz fo ht ps tk nn mt sa lb my bo tl "
    "mg as tt haw ln ha ba jw su yue"
).split()

SPIECE = "\u2581"

# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------


def rel(p: Path) -> str:
    return p.relative_to(FIXTURES).as_posix()


def sha256_ids(ids) -> str:
    return hashlib.sha256(struct.pack(f"<{len(ids)}I", *ids)).hexdigest()


def sha256_text(s: str) -> str:
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


def added_token(id_, content, special=True, lstrip=False, rstrip=False, single_word=False, normalized=False):
    return {
        "id": id_,
        "content": content,
        "single_word": single_word,
        "lstrip": lstrip,
        "rstrip": rstrip,
        "normalized": normalized,
        "special": special,
    }


def _j(v) -> str:
    return json.dumps(v, ensure_ascii=False)


def _pretty(v, indent: int) -> str:
    s = json.dumps(v, ensure_ascii=False, indent=2)
    return s.replace("\n", "\n" + " " * indent)


def dump_tokenizer_json(doc: dict, path: Path, legacy_merges: bool) -> None:
    """Write tokenizer.json in the layout `tokenizers` itself writes (pretty, 2-space
    indent, keys in its order), except that vocab/merges/added_tokens entries are one per
    line to keep the files small. legacy_merges: merges as "a b" strings (what older
    files such as Llama-3/Qwen2/Llama-2 contain) instead of ["a", "b"] pairs."""
    model = doc["model"]
    out = ["{"]
    out.append(f'  "version": {_j(doc.get("version", "1.0"))},')
    out.append(f'  "truncation": {_j(doc.get("truncation"))},')
    out.append(f'  "padding": {_j(doc.get("padding"))},')
    if doc["added_tokens"]:
        out.append('  "added_tokens": [')
        out.append(",\n".join("    " + _j(t) for t in doc["added_tokens"]))
        out.append("  ],")
    else:
        out.append('  "added_tokens": [],')
    for key in ("normalizer", "pre_tokenizer", "post_processor", "decoder"):
        out.append(f'  "{key}": {_pretty(doc.get(key), 2)},')
    out.append('  "model": {')
    for k, v in model.items():
        if k in ("vocab", "merges"):
            continue
        out.append(f"    {_j(k)}: {_j(v)},")
    out.append('    "vocab": {')
    out.append(",\n".join(f"      {_j(k)}: {v}" for k, v in model["vocab"].items()))
    out.append("    },")
    out.append('    "merges": [')
    if legacy_merges:
        for a, b in model["merges"]:
            assert " " not in a and " " not in b, (a, b)
        out.append(",\n".join(f"      {_j(a + ' ' + b)}" for a, b in model["merges"]))
    else:
        out.append(",\n".join(f"      {_j([a, b])}" for a, b in model["merges"]))
    out.append("    ]")
    out.append("  }")
    out.append("}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    # It must load.
    from tokenizers import Tokenizer

    Tokenizer.from_file(str(path))


def write_json(path: Path, obj) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def template_processing(bos: str, bos_id: int) -> dict:
    return {
        "type": "TemplateProcessing",
        "single": [{"SpecialToken": {"id": bos, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
        "pair": [
            {"SpecialToken": {"id": bos, "type_id": 0}},
            {"Sequence": {"id": "A", "type_id": 0}},
            {"SpecialToken": {"id": bos, "type_id": 1}},
            {"Sequence": {"id": "B", "type_id": 1}},
        ],
        "special_tokens": {bos: {"id": bos, "ids": [bos_id], "tokens": [bos]}},
    }


BYTELEVEL_PRE = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
BYTELEVEL_POST = {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True}
BYTELEVEL_DEC = {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True}
SPM_DECODER = {
    "type": "Sequence",
    "decoders": [
        {"type": "Replace", "pattern": {"String": SPIECE}, "content": " "},
        {"type": "ByteFallback"},
        {"type": "Fuse"},
        {"type": "Strip", "content": " ", "start": 1, "stop": 0},
    ],
}

# --------------------------------------------------------------------------------------
# Training: byte-level BPE families (trained with `tokenizers`)
# --------------------------------------------------------------------------------------

_CORPUS_CACHE: list[str] | None = None


def corpus() -> list[str]:
    global _CORPUS_CACHE
    if _CORPUS_CACHE is None:
        _CORPUS_CACHE = T.training_corpus()
    return _CORPUS_CACHE


def train_bytelevel(vocab_size: int, normalizer, pre_tokenizer, special_tokens=()) -> tuple[dict, list]:
    """Train a byte-level BPE with the family's normalizer + pre-tokenizer (so merges never
    cross pre-token boundaries the real tokenizer uses). Returns (vocab, merges)."""
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    if normalizer is not None:
        tok.normalizer = normalizer
    tok.pre_tokenizer = pre_tokenizer
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=2,
        show_progress=False,
        special_tokens=list(special_tokens),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    tok.train_from_iterator(corpus(), trainer=trainer)
    d = json.loads(tok.to_str())
    vocab = d["model"]["vocab"]
    merges = [tuple(m) if isinstance(m, list) else tuple(m.split(" ")) for m in d["model"]["merges"]]
    return vocab, merges


def bpe_model(vocab, merges, *, ignore_merges=False, prefix=None, suffix=None, unk=None, fuse_unk=False, byte_fallback=False):
    return {
        "type": "BPE",
        "dropout": None,
        "unk_token": unk,
        "continuing_subword_prefix": prefix,
        "end_of_word_suffix": suffix,
        "fuse_unk": fuse_unk,
        "byte_fallback": byte_fallback,
        "ignore_merges": ignore_merges,
        "vocab": vocab,
        "merges": merges,
    }


def split_pre(pattern: str) -> dict:
    return {"type": "Split", "pattern": {"Regex": pattern}, "behavior": "Isolated", "invert": False}


def make_gpt2_style():
    from tokenizers import pre_tokenizers

    vocab, merges = train_bytelevel(3000, None, pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True))
    eot = len(vocab)
    doc = {
        "added_tokens": [added_token(eot, "<|endoftext|>")],
        "normalizer": None,
        "pre_tokenizer": BYTELEVEL_PRE,
        "post_processor": BYTELEVEL_POST,
        "decoder": BYTELEVEL_DEC,
        # openai-community/gpt2's tokenizer.json has "" prefix/suffix (not null).
        "model": bpe_model(vocab, merges, prefix="", suffix=""),
    }
    d = TOKDIR / "gpt2-style"
    dump_tokenizer_json(doc, d / "tokenizer.json", legacy_merges=True)
    write_json(
        d / "tokenizer_config.json",
        {
            "add_prefix_space": False,
            "bos_token": "<|endoftext|>",
            "eos_token": "<|endoftext|>",
            "unk_token": "<|endoftext|>",
            "model_max_length": 1024,
            "tokenizer_class": "GPT2Tokenizer",
        },
    )


def llama3_specials() -> list[str]:
    # Meta-Llama-3-8B(-Instruct) layout: 128000.. = these, in this order.
    names = ["<|begin_of_text|>", "<|end_of_text|>"]
    names += [f"<|reserved_special_token_{i}|>" for i in range(0, 4)]
    names += ["<|start_header_id|>", "<|end_header_id|>", "<|reserved_special_token_4|>", "<|eot_id|>"]
    names += [f"<|reserved_special_token_{i}|>" for i in range(5, 251)]
    assert len(names) == 256
    return names


# Byte-level spellings (Ġ = space) of words in the test texts; added to the llama3-style vocab
# without any merge producing them.
LLAMA3_UNREACHABLE = ["ĠTokenizer", "Ġtokenizers", "Ġsentences", "Ġconsectetur", "Ġemoji"]

# Non-special added tokens of llama3-style (exercise lstrip/rstrip/single_word/normalized).
LLAMA3_EXTRA = [
    dict(content="<tool>", special=False, lstrip=True),
    dict(content="</tool>", special=False, rstrip=True),
    dict(content="[[x]]", special=False, single_word=True),
    dict(content="hello world", special=False, normalized=True),
]


def make_llama3_style():
    from tokenizers import Regex, pre_tokenizers

    pre = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(pattern=Regex(LLAMA3_PATTERN), behavior="isolated", invert=False),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    )
    vocab, merges = train_bytelevel(4000, None, pre)
    # Whole-word vocab entries that no merge produces: only reachable through
    # ignore_merges (whole pre-token lookup), like many real Llama-3 tokens.
    for w in LLAMA3_UNREACHABLE:
        assert w not in vocab, w
        vocab[w] = len(vocab)
    base = len(vocab)
    specials = llama3_specials()
    added = [added_token(base + i, s) for i, s in enumerate(specials)]
    for j, kw in enumerate(LLAMA3_EXTRA):
        added.append(added_token(base + len(specials) + j, **kw))
    bos_id = base
    doc = {
        "added_tokens": added,
        "normalizer": None,
        "pre_tokenizer": {
            "type": "Sequence",
            "pretokenizers": [
                split_pre(LLAMA3_PATTERN),
                {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False},
            ],
        },
        "post_processor": {
            "type": "Sequence",
            "processors": [
                {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
                template_processing("<|begin_of_text|>", bos_id),
            ],
        },
        "decoder": BYTELEVEL_DEC,
        "model": bpe_model(vocab, merges, ignore_merges=True),
    }
    d = TOKDIR / "llama3-style"
    dump_tokenizer_json(doc, d / "tokenizer.json", legacy_merges=True)
    write_json(
        d / "tokenizer_config.json",
        {
            "added_tokens_decoder": {
                str(t["id"]): {k: t[k] for k in ("content", "lstrip", "normalized", "rstrip", "single_word", "special")}
                for t in added
            },
            "bos_token": "<|begin_of_text|>",
            "clean_up_tokenization_spaces": True,
            "eos_token": "<|end_of_text|>",
            "model_input_names": ["input_ids", "attention_mask"],
            "model_max_length": 1000000000000000019884624838656,
            "tokenizer_class": "PreTrainedTokenizerFast",
        },
    )
    # The same vocabulary as a tiktoken rank file (rank = id) for the cl100k/o200k-style goldens.
    write_tiktoken_ranks(vocab, d / "llama3-style.tiktoken")


def bytelevel_decode_map() -> dict[str, int]:
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {chr(c): b for b, c in zip(bs, cs)}


def write_tiktoken_ranks(vocab: dict[str, int], path: Path) -> None:
    m = bytelevel_decode_map()
    lines = []
    for tokstr, rank in sorted(vocab.items(), key=lambda kv: kv[1]):
        b = bytes(m[c] for c in tokstr)
        lines.append(f"{base64.b64encode(b).decode()} {rank}")
    ranks = sorted(vocab.values())
    assert ranks == list(range(len(ranks))), "ranks must be 0..n-1"
    path.write_text("\n".join(lines) + "\n", encoding="ascii")


def make_qwen2_style():
    from tokenizers import Regex, normalizers, pre_tokenizers

    pre = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(pattern=Regex(QWEN2_PATTERN), behavior="isolated", invert=False),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    )
    vocab, merges = train_bytelevel(3000, normalizers.NFC(), pre)
    base = len(vocab)
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    added = [added_token(base + i, s) for i, s in enumerate(specials)]
    bl = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}
    doc = {
        "added_tokens": added,
        "normalizer": {"type": "NFC"},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [split_pre(QWEN2_PATTERN), bl]},
        "post_processor": bl,
        "decoder": bl,
        "model": bpe_model(vocab, merges, prefix="", suffix=""),
    }
    d = TOKDIR / "qwen2-style"
    dump_tokenizer_json(doc, d / "tokenizer.json", legacy_merges=True)
    write_json(
        d / "tokenizer_config.json",
        {
            "add_prefix_space": False,
            "added_tokens_decoder": {
                str(t["id"]): {k: t[k] for k in ("content", "lstrip", "normalized", "rstrip", "single_word", "special")}
                for t in added
            },
            "additional_special_tokens": ["<|im_start|>", "<|im_end|>"],
            "bos_token": None,
            "clean_up_tokenization_spaces": False,
            "eos_token": "<|im_end|>",
            "errors": "replace",
            "model_max_length": 32768,
            "pad_token": "<|endoftext|>",
            "split_special_tokens": False,
            "tokenizer_class": "Qwen2Tokenizer",
            "unk_token": None,
        },
    )


SMOLLM2_SPECIALS = [
    "<|endoftext|>", "<|im_start|>", "<|im_end|>", "<repo_name>", "<reponame>", "<file_sep>",
    "<filename>", "<gh_stars>", "<issue_start>", "<issue_comment>", "<issue_closed>",
    "<jupyter_start>", "<jupyter_text>", "<jupyter_code>", "<jupyter_output>", "<jupyter_script>",
    "<empty_output>",
]


def make_smollm2_style():
    from tokenizers import pre_tokenizers

    pre = pre_tokenizers.Sequence(
        [pre_tokenizers.Digits(individual_digits=True), pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)]
    )
    # Specials go first (ids 0..16) like the real SmolLM2 vocab.
    vocab, merges = train_bytelevel(2500, None, pre, special_tokens=SMOLLM2_SPECIALS)
    added = [added_token(vocab[s], s) for s in SMOLLM2_SPECIALS]
    doc = {
        "added_tokens": added,
        "normalizer": None,
        "pre_tokenizer": {
            "type": "Sequence",
            "pretokenizers": [{"type": "Digits", "individual_digits": True}, BYTELEVEL_PRE],
        },
        "post_processor": BYTELEVEL_POST,
        "decoder": BYTELEVEL_DEC,
        "model": bpe_model(vocab, merges),
    }
    d = TOKDIR / "smollm2-style"
    dump_tokenizer_json(doc, d / "tokenizer.json", legacy_merges=False)
    write_json(
        d / "tokenizer_config.json",
        {
            "add_prefix_space": False,
            "additional_special_tokens": ["<|im_start|>", "<|im_end|>"],
            "bos_token": "<|im_start|>",
            "clean_up_tokenization_spaces": False,
            "eos_token": "<|im_end|>",
            "model_max_length": 8192,
            "pad_token": "<|im_end|>",
            "tokenizer_class": "GPT2Tokenizer",
            "unk_token": "<|endoftext|>",
            "vocab_size": len(vocab),
        },
    )


def make_lowercase_nfkc():
    from tokenizers import normalizers, pre_tokenizers

    norm = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    vocab, merges = train_bytelevel(
        2000, norm, pre_tokenizers.ByteLevel(add_prefix_space=True, use_regex=True), special_tokens=["<|endoftext|>"]
    )
    base = len(vocab)
    added = [
        added_token(0, "<|endoftext|>"),
        # Phi-3 style: special with rstrip.
        added_token(base, "<|end|>", rstrip=True),
        # Non-special, normalized: matched against the NFKC+lowercased text.
        added_token(base + 1, "MiXeD", special=False, normalized=True),
        # Non-special, not normalized, fullwidth: matched against the raw text.
        added_token(base + 2, "ＡＢＣ", special=False, normalized=False),
    ]
    pre = {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True}
    doc = {
        "added_tokens": added,
        "normalizer": {"type": "Sequence", "normalizers": [{"type": "NFKC"}, {"type": "Lowercase"}]},
        "pre_tokenizer": pre,
        "post_processor": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": bpe_model(vocab, merges),
    }
    d = TOKDIR / "lowercase-nfkc"
    dump_tokenizer_json(doc, d / "tokenizer.json", legacy_merges=False)


# --------------------------------------------------------------------------------------
# Training: SentencePiece BPE families (trained with `sentencepiece`, converted the way
# transformers' LlamaConverter does it)
# --------------------------------------------------------------------------------------


def train_spm(vocab_size: int, seed: int) -> bytes:
    import sentencepiece as spm

    spm.set_random_generator_seed(seed)
    lines = []
    for doc in corpus():
        for line in doc.split("\n"):
            if line.strip() and len(line.encode()) < 4000:
                lines.append(line)
    buf = io.BytesIO()
    # Llama-2's trainer_spec (as stored in its tokenizer.model), scaled down.
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=buf,
        model_type="bpe",
        vocab_size=vocab_size,
        character_coverage=0.9995,
        byte_fallback=True,
        split_digits=True,
        split_by_unicode_script=True,
        split_by_number=True,
        split_by_whitespace=True,
        allow_whitespace_only_pieces=True,
        remove_extra_whitespaces=False,
        normalization_rule_name="identity",
        add_dummy_prefix=True,
        max_sentencepiece_length=16,
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        num_threads=1,
        input_sentence_size=0,
        shuffle_input_sentence=False,
        minloglevel=2,
    )
    return buf.getvalue()


def generate_merges(vocab: dict[str, int], vocab_scores: dict[str, float] | None):
    """transformers.convert_slow_tokenizer.generate_merges (4.5x), verbatim logic."""
    reverse = vocab_scores is not None
    vocab_scores = dict(vocab_scores) if reverse else vocab
    merges = []
    for merge, piece_score in vocab_scores.items():
        local = []
        for index in range(1, len(merge)):
            piece_l, piece_r = merge[:index], merge[index:]
            if piece_l in vocab and piece_r in vocab:
                local.append((piece_l, piece_r, piece_score))
        local = sorted(local, key=lambda x: (vocab[x[0]], vocab[x[1]]))
        merges.extend(local)
    merges = sorted(merges, key=lambda val: (val[2], len(val[0]), len(val[1])), reverse=reverse)
    return [(val[0], val[1]) for val in merges]


def spm_to_hf(model_bytes: bytes) -> tuple[dict, list, list]:
    """LlamaConverter: vocab (id order), merges from scores, added tokens for unk/bos/eos."""
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=model_bytes)
    n = sp.get_piece_size()
    pieces = [sp.id_to_piece(i) for i in range(n)]
    # LlamaConverter.vocab(): the first three get score 0.0, the rest keep theirs.
    vocab_scores = [(pieces[0], 0.0), (pieces[1], 0.0), (pieces[2], 0.0)]
    vocab_scores += [(pieces[i], sp.get_score(i)) for i in range(3, n)]
    vocab = {p: i for i, p in enumerate(pieces)}
    merges = generate_merges(vocab, dict(vocab_scores))
    bpe_vocab = {w: i for i, (w, _s) in enumerate(vocab_scores)}
    added = [added_token(0, pieces[0]), added_token(1, pieces[1]), added_token(2, pieces[2])]
    return bpe_vocab, merges, added


def make_llama2_spm():
    model = train_spm(3000, seed=1)
    d = TOKDIR / "llama2-spm"
    d.mkdir(parents=True, exist_ok=True)
    (d / "tokenizer.model").write_bytes(model)
    vocab, merges, added = spm_to_hf(model)
    doc = {
        "added_tokens": added,
        "normalizer": {
            "type": "Sequence",
            "normalizers": [
                {"type": "Prepend", "prepend": SPIECE},
                {"type": "Replace", "pattern": {"String": " "}, "content": SPIECE},
            ],
        },
        "pre_tokenizer": None,
        "post_processor": template_processing("<s>", 1),
        "decoder": SPM_DECODER,
        "model": bpe_model(vocab, merges, unk="<unk>", fuse_unk=True, byte_fallback=True),
    }
    dump_tokenizer_json(doc, d / "tokenizer.json", legacy_merges=True)
    write_json(
        d / "tokenizer_config.json",
        {
            "add_bos_token": True,
            "add_eos_token": False,
            "bos_token": {"__type": "AddedToken", "content": "<s>", "lstrip": False, "normalized": False, "rstrip": False, "single_word": False},
            "clean_up_tokenization_spaces": False,
            "eos_token": {"__type": "AddedToken", "content": "</s>", "lstrip": False, "normalized": False, "rstrip": False, "single_word": False},
            "legacy": True,
            "model_max_length": 4096,
            "pad_token": None,
            "sp_model_kwargs": {},
            "tokenizer_class": "LlamaTokenizer",
            "unk_token": {"__type": "AddedToken", "content": "<unk>", "lstrip": False, "normalized": False, "rstrip": False, "single_word": False},
        },
    )
    make_llama_spm_gguf(model)


MISTRAL_CONTROL = ["[INST]", "[/INST]", "[TOOL_CALLS]"]


def make_mistral_metaspace():
    model = train_spm(2500, seed=2)
    vocab, merges, added = spm_to_hf(model)
    # Mistral-7B-v0.3 has [INST]/[/INST]/... as control tokens; add three as specials
    # after the vocab (ids n, n+1, n+2) to exercise Metaspace "first" around added tokens.
    n = len(vocab)
    added += [added_token(n + i, s) for i, s in enumerate(MISTRAL_CONTROL)]
    doc = {
        "added_tokens": added,
        "normalizer": None,
        "pre_tokenizer": {"type": "Metaspace", "replacement": SPIECE, "prepend_scheme": "first", "split": False},
        "post_processor": template_processing("<s>", 1),
        "decoder": SPM_DECODER,
        "model": bpe_model(vocab, merges, unk="<unk>", fuse_unk=True, byte_fallback=True),
    }
    d = TOKDIR / "mistral-metaspace"
    dump_tokenizer_json(doc, d / "tokenizer.json", legacy_merges=False)
    write_json(
        d / "tokenizer_config.json",
        {
            "add_bos_token": True,
            "add_eos_token": False,
            "add_prefix_space": True,
            "bos_token": "<s>",
            "clean_up_tokenization_spaces": False,
            "eos_token": "</s>",
            "legacy": False,
            "model_max_length": 1000000000000000019884624838656,
            "pad_token": None,
            "sp_model_kwargs": {},
            "spaces_between_special_tokens": False,
            "tokenizer_class": "LlamaTokenizer",
            "unk_token": "<unk>",
            "use_default_system_prompt": False,
        },
    )


def make_llama_spm_gguf(model_bytes: bytes):
    """Vocab-only GGUF as convert_hf_to_gguf.py's _set_vocab_sentencepiece writes it."""
    import gguf
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=model_bytes)
    n = sp.get_piece_size()
    tokens, scores, types = [], [], []
    T_ = gguf.TokenType
    for i in range(n):
        tokens.append(sp.id_to_piece(i).encode("utf-8"))
        scores.append(sp.get_score(i))
        if sp.is_unknown(i):
            t = T_.UNKNOWN
        elif sp.is_control(i):
            t = T_.CONTROL
        elif sp.is_unused(i):
            t = T_.UNUSED
        elif sp.is_byte(i):
            t = T_.BYTE
        else:
            t = T_.NORMAL
        types.append(int(t))
    out = TOKDIR / "llama-spm-gguf" / "vocab.gguf"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    w = gguf.GGUFWriter(str(tmp), "llama")
    w.add_name("longctx llama-spm test vocab")
    w.add_type("model")
    # Minimal llama hparams so llama.cpp accepts the file (vocab_only loads hparams too).
    w.add_context_length(4096)
    w.add_embedding_length(64)
    w.add_block_count(1)
    w.add_feed_forward_length(128)
    w.add_head_count(1)
    w.add_head_count_kv(1)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_rope_dimension_count(64)
    w.add_vocab_size(n)
    w.add_tokenizer_model("llama")
    w.add_tokenizer_pre("default")
    w.add_token_list(tokens)
    w.add_token_scores(scores)
    w.add_token_types(types)
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_unk_token_id(0)
    w.add_add_bos_token(True)
    w.add_add_eos_token(False)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    tmp.replace(out)


TRAINERS = {
    "gpt2-style": make_gpt2_style,
    "llama3-style": make_llama3_style,
    "qwen2-style": make_qwen2_style,
    "smollm2-style": make_smollm2_style,
    "llama2-spm": make_llama2_spm,  # also llama-spm-gguf/vocab.gguf
    "mistral-metaspace": make_mistral_metaspace,
    "lowercase-nfkc": make_lowercase_nfkc,
}

# --------------------------------------------------------------------------------------
# Golden definitions
# --------------------------------------------------------------------------------------

CONVENTIONS = {
    "tokenizer.json": (
        "ids = encode(text, add_special_tokens=False).ids; ids_with_special = encode(text, "
        "add_special_tokens=True).ids (added/special tokens in the text are matched in both); "
        "decoded = decode(ids, skip_special_tokens=False); decoded_skip_special = decode(ids, "
        "skip_special_tokens=True). decode_cases: explicit id lists decoded the same two ways. "
        "Plain `tokenizers` (no transformers clean_up_tokenization_spaces)."
    ),
    "tiktoken": (
        "ids = encode_ordinary(text); ids_allowed_special = encode(text, allowed_special='all', "
        "disallowed_special=()); decoded = decode(ids) (errors='replace'); decoded_skip_special = "
        "decode(ids without special ids) (== decoded, ids has no specials). decode_cases: "
        "explicit id lists; decoded_hex = decode_bytes(ids).hex(), decoded = decode(ids) with "
        "errors='replace'. Encoding(name, pat_str=pattern, mergeable_ranks=load_tiktoken_bpe(path), "
        "special_tokens=special_tokens), ranks parsed as load_tiktoken_bpe does (base64 token, rank) but read uncached."
    ),
    "gguf": (
        "llama.cpp C API through llama-cpp-python (vocab_only model): ids = llama_tokenize(text, "
        "add_special=false, parse_special=false); ids_with_special = llama_tokenize(text, "
        "add_special=true, parse_special=true); decoded = llama_detokenize(ids, remove_special=false, "
        "unparse_special=true); decoded_skip_special = llama_detokenize(ids, remove_special=true, "
        "unparse_special=false); bytes shown as UTF-8 decoded with errors='replace'. decode_cases "
        "add decoded_hex / decoded_skip_special_hex with the raw bytes."
    ),
}


def tiktoken_pattern(name: str) -> tuple[str, dict]:
    """pat_str and special tokens of a named tiktoken encoding, without downloading ranks."""
    import tiktoken_ext.openai_public as op

    orig = op.load_tiktoken_bpe
    op.load_tiktoken_bpe = lambda *a, **k: {}
    try:
        ctor = {"gpt2": op.r50k_base, "r50k_base": op.r50k_base, "cl100k_base": op.cl100k_base, "o200k_base": op.o200k_base}[name]
        d = ctor()
    finally:
        op.load_tiktoken_bpe = orig
    return d["pat_str"], dict(d["special_tokens"])


def whisper_specials(n_vocab: int, num_languages: int = 99) -> dict[str, int]:
    specials = ["<|endoftext|>", "<|startoftranscript|>"]
    specials += [f"<|{lang}|>" for lang in WHISPER_LANGUAGES[:num_languages]]
    specials += ["<|translate|>", "<|transcribe|>", "<|startoflm|>", "<|startofprev|>", "<|nospeech|>", "<|notimestamps|>"]
    specials += [f"<|{i * 0.02:.2f}|>" for i in range(1501)]
    return {s: n_vocab + i for i, s in enumerate(specials)}


def sp_map(s1, s2, s3, a1=None, a2=None) -> dict[str, str]:
    return {"S1": s1, "S2": s2, "S3": s3, "A1": a1 or s1, "A2": a2 or s2}


def _tok(name: str) -> Path:
    return TOKDIR / name / "tokenizer.json"


# name -> definition. kind "tokenizer.json" | "tiktoken" | "gguf".
GOLDENS: dict[str, dict] = {
    "gpt2-style": dict(kind="tokenizer.json", path=_tok("gpt2-style"), sp=sp_map("<|endoftext|>", "<|endoftext|>", "<|endoftext|>")),
    "llama3-style": dict(
        kind="tokenizer.json",
        path=_tok("llama3-style"),
        sp=sp_map("<|begin_of_text|>", "<|eot_id|>", "<|start_header_id|>", "<tool>", "[[x]]"),
        extra_texts=[
            # Added-token rule probes (non-special tokens with lstrip/rstrip/single_word/normalized).
            "call <tool>  args  </tool>  done",
            "a   <tool>b</tool>   c",
            "x [[x]] y",
            "x[[x]]y [[x]]y x[[x]] ([[x]]) [[x]][[x]]",
            "say hello world, Hello World, hello  world, hello worlds",
            "<|begin_of_text|> <|eot_id|>  <|start_header_id|>\n<|reserved_special_token_250|>",
            "<|reserved_special_token_251|> (not a token)",
        ],
    ),
    "qwen2-style": dict(
        kind="tokenizer.json", path=_tok("qwen2-style"), sp=sp_map("<|endoftext|>", "<|im_end|>", "<|im_start|>")
    ),
    "smollm2-style": dict(
        kind="tokenizer.json", path=_tok("smollm2-style"), sp=sp_map("<|im_start|>", "<|im_end|>", "<|endoftext|>", "<file_sep>", "<empty_output>")
    ),
    "llama2-spm": dict(
        kind="tokenizer.json",
        path=_tok("llama2-spm"),
        sp=sp_map("<s>", "</s>", "<unk>"),
        extra_texts=[
            "▁already▁has▁metaspace",
            "<0x41> is text, A is a char",
            "\u0000\u0001 rare bytes \U0001f9ff \u2e80",
        ],
    ),
    "mistral-metaspace": dict(
        kind="tokenizer.json",
        path=_tok("mistral-metaspace"),
        sp=sp_map("<s>", "</s>", "[INST]", "[/INST]", "[TOOL_CALLS]"),
        extra_texts=[
            "[INST] What is the capital of France? [/INST]",
            "[INST]hello[/INST]world",
            "<s>[INST] a[/INST] b</s>[INST]  c [/INST]",
            " leading space then [INST] x",
            "▁already▁has▁metaspace",
        ],
    ),
    "lowercase-nfkc": dict(
        kind="tokenizer.json",
        path=_tok("lowercase-nfkc"),
        sp=sp_map("<|endoftext|>", "<|end|>", "<|endoftext|>", "MiXeD", "ＡＢＣ"),
        extra_texts=[
            "<|end|>   after rstrip",
            "before <|end|>\n\nafter",
            "mixed MIXED MiXeD Mixed ｍｉｘｅｄ",
            "ABC abc ＡＢＣ ａｂｃ",
            "ﬁﬂ ① ㍻ Ⅻ ½ ＨＥＬＬＯ",
        ],
    ),
    "deepseek": dict(
        kind="tokenizer.json",
        path="asset:deepseek/tokenizer.json",
        sp=sp_map("<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>", "<｜User｜>", "<｜Assistant｜>", "<think>"),
        extra_texts=["1234567 12345 一二三四五 ひらがなカタカナ漢字", "<｜User｜>hi<｜Assistant｜><think>\nok\n</think>"],
    ),
    "tiktoken-gpt2": dict(
        kind="tiktoken",
        path="asset:whisper/gpt2.tiktoken",
        encoding="gpt2",
        sp=sp_map("<|endoftext|>", "<|endoftext|>", "<|endoftext|>"),
    ),
    "tiktoken-multilingual": dict(
        kind="tiktoken",
        path="asset:whisper/multilingual.tiktoken",
        encoding="gpt2",
        whisper=True,
        sp=sp_map("<|startoftranscript|>", "<|endoftext|>", "<|en|>", "<|transcribe|>", "<|0.00|>"),
        extra_texts=["<|startoftranscript|><|ja|><|transcribe|><|0.00|>こんにちは<|1.20|><|endoftext|>"],
    ),
    "tiktoken-cl100k-style": dict(
        kind="tiktoken",
        path=TOKDIR / "llama3-style" / "llama3-style.tiktoken",
        encoding="cl100k_base",
        sp=sp_map("<|endoftext|>", "<|fim_prefix|>", "<|endofprompt|>", "<|fim_middle|>", "<|fim_suffix|>"),
    ),
    "tiktoken-o200k-style": dict(
        kind="tiktoken",
        path=TOKDIR / "llama3-style" / "llama3-style.tiktoken",
        encoding="o200k_base",
        sp=sp_map("<|endoftext|>", "<|endofprompt|>", "<|endoftext|>"),
        extra_texts=["HTTPServer XMLHttpRequest iPhone McDonald's CAN'T o'NEIL Σίσυφος", "path/to/file\n/usr/bin//x"],
    ),
    "smollm2-gguf": dict(
        kind="gguf",
        path="asset:smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
        sp=sp_map("<|im_start|>", "<|im_end|>", "<|endoftext|>", "<file_sep>", "<empty_output>"),
    ),
    "llama-spm-gguf": dict(
        kind="gguf",
        path=TOKDIR / "llama-spm-gguf" / "vocab.gguf",
        sp=sp_map("<s>", "</s>", "<unk>"),
        extra_texts=["▁already▁has▁metaspace", "\u0000\u0001 rare bytes \U0001f9ff \u2e80"],
    ),
}


def resolve(path) -> tuple[Path, str]:
    """-> (absolute path, golden 'path' string)."""
    if isinstance(path, str) and path.startswith("asset:"):
        return ASSETS / path[len("asset:") :], path
    return Path(path), rel(Path(path))


def golden_texts(defn: dict) -> list[str]:
    return T.test_texts(defn["sp"]) + list(defn.get("extra_texts", []))


LONG_RECIPES = [
    {"char": "a", "count": 1_000_000},
    {"char": " ", "count": 1_000_000},
]


def long_texts(texts: list[str]):
    joined = "\n".join(texts)
    n = len(joined.encode("utf-8"))
    repeat = -(-1_000_000 // max(n, 1))
    out = [({"join": "\n", "repeat": repeat}, joined * repeat)]
    for r in LONG_RECIPES:
        out.append((dict(r), r["char"] * r["count"]))
    return out


# ------------------------------ backends ------------------------------------------------


class HFBackend:
    def __init__(self, path: Path):
        import tokenizers
        from tokenizers import Tokenizer

        self.tok = Tokenizer.from_file(str(path))
        self.reference = f"tokenizers {tokenizers.__version__}"
        self.vocab_size = self.tok.get_vocab_size(with_added_tokens=True)

    def case(self, text):
        ids = self.tok.encode(text, add_special_tokens=False).ids
        ids_s = self.tok.encode(text, add_special_tokens=True).ids
        return {
            "text": text,
            "ids": ids,
            "ids_with_special": ids_s,
            "decoded": self.tok.decode(ids, skip_special_tokens=False),
            "decoded_skip_special": self.tok.decode(ids, skip_special_tokens=True),
        }

    def encode(self, text):
        return self.tok.encode(text, add_special_tokens=False).ids

    def decode(self, ids):
        return self.tok.decode(ids, skip_special_tokens=False)

    def decode_case(self, ids, note):
        return {
            "note": note,
            "ids": ids,
            "decoded": self.tok.decode(ids, skip_special_tokens=False),
            "decoded_skip_special": self.tok.decode(ids, skip_special_tokens=True),
        }

    def special_ids(self):
        return sorted(i for i, t in self.tok.get_added_tokens_decoder().items() if t.special)

    def byte_tokens(self):
        v = self.tok.get_vocab(with_added_tokens=False)
        want = (0xE3, 0x81, 0x82, 0xF0, 0x9F, 0x98, 0x80, 0xC3, 0xA9, 0xFF, 0x80)
        out = [v[f"<0x{b:02X}>"] for b in want if f"<0x{b:02X}>" in v]
        if not out:  # byte-level vocab: the byte's own character
            m = {b: c for c, b in bytelevel_decode_map().items()}
            out = [v[m[b]] for b in want if m[b] in v]
        return out


def load_ranks(path: Path) -> dict[bytes, int]:
    """tiktoken.load.load_tiktoken_bpe without its cache: load_tiktoken_bpe caches even LOCAL
    files by path (in $TMPDIR/data-gym-cache), so a regenerated rank file would be read stale."""
    contents = Path(path).read_bytes()
    return {base64.b64decode(token): int(rank) for token, rank in (line.split() for line in contents.splitlines() if line)}


class TiktokenBackend:
    def __init__(self, path: Path, defn: dict):
        import tiktoken
        import tiktoken.load

        ranks = load_ranks(path)
        name = defn["encoding"]
        if defn.get("whisper"):
            pattern = WHISPER_PATTERN
            specials = whisper_specials(len(ranks))
        else:
            pattern, real_specials = tiktoken_pattern(name)
            if max(ranks.values()) + 1 >= min(real_specials.values()):
                specials = real_specials  # the real vocabulary: real ids
            else:  # a small vocabulary with this encoding's pattern: ids right after it
                n = max(ranks.values()) + 1
                specials = {s: n + i for i, s in enumerate(real_specials)}
        self.pattern, self.specials = pattern, specials
        self.enc = tiktoken.Encoding(name=name, pat_str=pattern, mergeable_ranks=ranks, special_tokens=specials)
        # tiktoken's fancy-regex overflows its backtracking stack on some patterns over huge
        # whitespace runs (whisper's `\s+(?!\S)|\s+`, o200k's `\s*[\r\n]+`). For those inputs
        # the same pattern is run by the Python `regex` module and each piece is BPE'd by
        # tiktoken itself (Encoding._encode_single_piece); this path is checked equal to
        # encode_ordinary on every short case.
        import regex

        self._re = regex.compile(pattern)
        self.equivalent_note = (
            "tiktoken's own regex engine fails on this input; ids = tiktoken _encode_single_piece over "
            "the pieces of the same pattern as split by the Python regex module (equal to encode_ordinary on every case)"
        )
        self.reference = f"tiktoken {tiktoken.__version__}"
        self.vocab_size = self.enc.n_vocab
        self.special_set = set(specials.values())

    def case(self, text):
        ids = self.enc.encode_ordinary(text)
        return {
            "text": text,
            "ids": ids,
            "ids_allowed_special": self.enc.encode(text, allowed_special="all", disallowed_special=()),
            "decoded": self.enc.decode(ids),
            "decoded_skip_special": self.enc.decode([i for i in ids if i not in self.special_set]),
        }

    def encode(self, text):
        return self.enc.encode_ordinary(text)

    def encode_equivalent(self, text):
        out = []
        for m in self._re.finditer(text):
            out += self.enc._encode_single_piece(m.group(0))
        return out

    def check_equivalent(self, texts):
        for t in texts:
            assert self.encode_equivalent(t) == self.enc.encode_ordinary(t), t

    def decode(self, ids):
        return self.enc.decode(ids)

    def decode_case(self, ids, note):
        b = self.enc.decode_bytes(ids)
        return {
            "note": note,
            "ids": ids,
            "decoded": self.enc.decode(ids),
            "decoded_skip_special": self.enc.decode([i for i in ids if i not in self.special_set]),
            "decoded_hex": b.hex(),
        }

    def special_ids(self):
        return sorted(self.special_set)

    def byte_tokens(self):
        return [self.enc.encode_single_token(bytes([b])) for b in (0xE3, 0x81, 0x82, 0xF0, 0x9F, 0x98, 0x80, 0xC3, 0xA9, 0xFF, 0x80)]


class GGUFBackend:
    def __init__(self, path: Path):
        import ctypes

        import llama_cpp

        self.ct = ctypes
        self.L = llama_cpp
        llama_cpp.llama_backend_init()
        # silence llama.cpp's loader logging
        self._log_cb = llama_cpp.llama_log_callback(lambda level, text, user: None)
        llama_cpp.llama_log_set(self._log_cb, ctypes.c_void_p(0))
        params = llama_cpp.llama_model_default_params()
        params.vocab_only = True
        self.model = llama_cpp.llama_model_load_from_file(str(path).encode(), params)
        if not self.model:
            raise RuntimeError(f"llama.cpp could not load {path}")
        self.vocab = llama_cpp.llama_model_get_vocab(self.model)
        self.vocab_size = llama_cpp.llama_vocab_n_tokens(self.vocab)
        self.reference = f"llama.cpp {llama_cpp_commit()} (llama-cpp-python {llama_cpp.__version__})"

    def tokenize(self, text: str, add_special: bool, parse_special: bool):
        b = text.encode("utf-8")
        n_max = len(b) + 8
        while True:
            buf = (self.L.llama_token * n_max)()
            n = self.L.llama_tokenize(self.vocab, b, len(b), buf, n_max, add_special, parse_special)
            if n >= 0:
                return list(buf[:n])
            n_max = -n

    def detokenize(self, ids, remove_special: bool, unparse_special: bool) -> bytes:
        arr = (self.L.llama_token * max(len(ids), 1))(*ids)
        size = max(256, len(ids) * 32)
        while True:
            buf = self.ct.create_string_buffer(size)
            n = self.L.llama_detokenize(self.vocab, arr, len(ids), buf, size, remove_special, unparse_special)
            if n >= 0:
                return buf.raw[:n]
            size = -n

    def case(self, text):
        ids = self.tokenize(text, False, False)
        return {
            "text": text,
            "ids": ids,
            "ids_with_special": self.tokenize(text, True, True),
            "decoded": self.detokenize(ids, False, True).decode("utf-8", "replace"),
            "decoded_skip_special": self.detokenize(ids, True, False).decode("utf-8", "replace"),
        }

    def encode(self, text):
        return self.tokenize(text, False, False)

    def decode(self, ids):
        return self.detokenize(ids, False, True).decode("utf-8", "replace")

    def decode_case(self, ids, note):
        a = self.detokenize(ids, False, True)
        b = self.detokenize(ids, True, False)
        return {
            "note": note,
            "ids": ids,
            "decoded": a.decode("utf-8", "replace"),
            "decoded_skip_special": b.decode("utf-8", "replace"),
            "decoded_hex": a.hex(),
            "decoded_skip_special_hex": b.hex(),
        }

    def special_ids(self):
        return [i for i in range(self.vocab_size) if self.L.llama_vocab_is_control(self.vocab, i)]

    def byte_tokens(self):
        text_to_id: dict[bytes, int] = {}
        for i in range(self.vocab_size):
            text_to_id.setdefault(self.L.llama_vocab_get_text(self.vocab, i), i)
        want = (0xE3, 0x81, 0x82, 0xF0, 0x9F, 0x98, 0x80, 0xC3, 0xA9, 0xFF, 0x80)
        out = [text_to_id[f"<0x{b:02X}>".encode()] for b in want if f"<0x{b:02X}>".encode() in text_to_id]
        if not out:  # byte-level vocab: the byte's own character
            m = {b: c for c, b in bytelevel_decode_map().items()}
            out = [text_to_id[m[b].encode()] for b in want if m[b].encode() in text_to_id]
        return out


def llama_cpp_commit() -> str:
    """llama.cpp commit vendored in the installed llama-cpp-python (from its cmake config)."""
    import llama_cpp

    base = Path(llama_cpp.__file__).parent
    for p in list(base.glob("lib/cmake/llama/llama-config.cmake")) + list(base.parent.glob("lib/cmake/llama/llama-config.cmake")):
        for line in p.read_text().splitlines():
            if "LLAMA_BUILD_COMMIT" in line:
                return line.split()[-1].rstrip(")")
    return "unknown-commit"


def make_backend(defn: dict, abspath: Path):
    k = defn["kind"]
    if k == "tokenizer.json":
        return HFBackend(abspath)
    if k == "tiktoken":
        return TiktokenBackend(abspath, defn)
    if k == "gguf":
        return GGUFBackend(abspath)
    raise ValueError(k)


def decode_cases(be, cases: list[dict], seed: int) -> list[dict]:
    """Explicit id lists: invalid UTF-8 (split multi-byte chars, lone bytes), specials,
    random id soups."""
    rng = random.Random(seed)
    out = []
    by_text = {c["text"]: c for c in cases}
    # 1. prefixes of multi-byte texts (cut inside characters)
    for t in ("😀" * 40, "の" * 60, "👨‍👩‍👧‍👦", "我能吞下玻璃而不伤身体。", "café naïve résumé"):
        c = by_text.get(t)
        if not c:
            continue
        ids = c["ids"]
        for k in sorted({1, 2, 3, len(ids) - 1}):
            if 0 < k < len(ids):
                out.append(be.decode_case(ids[:k], f"prefix {k} of ids({t[:12]!r})"))
        if len(ids) > 2:
            out.append(be.decode_case(ids[1:], f"ids({t[:12]!r}) without the first token"))
            out.append(be.decode_case(ids[::-1], f"ids({t[:12]!r}) reversed"))
    # 2. single byte tokens and byte soups
    bt = be.byte_tokens()
    for i in bt[:6]:
        out.append(be.decode_case([i], "a single byte token"))
    if len(bt) >= 3:
        out.append(be.decode_case(bt[:3], "byte tokens E3 81 82 (valid 'あ')" if len(bt) > 3 else "byte tokens"))
        out.append(be.decode_case(bt[:2], "byte tokens E3 81 (truncated)"))
        out.append(be.decode_case(bt, "all byte tokens in order (mixed valid/invalid)"))
        out.append(be.decode_case(bt[::-1], "all byte tokens reversed"))
    # 3. with_special encodings and specials mixed in
    specials = be.special_ids()
    for c in cases:
        w = c.get("ids_with_special") or c.get("ids_allowed_special")
        if w is not None and w != c["ids"] and len(out) < 60 and len(w) < 40:
            out.append(be.decode_case(w, f"ids_with_special of {c['text'][:20]!r}"))
            if sum(1 for d in out if d["note"].startswith("ids_with_special")) >= 6:
                break
    if specials:
        sp = [specials[i % len(specials)] for i in range(0, 5)]
        some = cases[6]["ids"]  # "Hello world"
        out.append(be.decode_case(sp[:1] + some + sp[1:2], "special + 'Hello world' + special"))
        out.append(be.decode_case(some + sp[:3] + some, "text, three specials, text"))
    # 4. random id soups (seeded), uniform over the whole vocab incl. added tokens
    for k in range(12):
        n = rng.choice([1, 2, 3, 5, 8, 13])
        out.append(be.decode_case([rng.randrange(be.vocab_size) for _ in range(n)], f"random ids #{k}"))
    out.append(be.decode_case([], "empty"))
    return out


class _quiet_stderr:
    """Silence fd 2 (a Rust panic inside tiktoken prints its message there)."""

    def __enter__(self):
        sys.stderr.flush()
        self.saved = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)

    def __exit__(self, *exc):
        os.dup2(self.saved, 2)
        os.close(self.saved)
        return False


def build_golden(name: str) -> dict:
    defn = GOLDENS[name]
    abspath, pathstr = resolve(defn["path"])
    if not abspath.exists():
        raise FileNotFoundError(f"{name}: {abspath} missing (run scripts/setup-assets.sh / --train)")
    be = make_backend(defn, abspath)
    texts = golden_texts(defn)
    g: dict = {"name": name, "kind": defn["kind"], "path": pathstr}
    if defn["kind"] == "tiktoken":
        g["encoding"] = defn["encoding"]
        g["pattern"] = be.pattern
        g["special_tokens"] = be.specials
        if defn.get("whisper"):
            g["specials_source"] = "openai-whisper 20250625 whisper/tokenizer.py get_encoding('multilingual', num_languages=99): ids from n_vocab=len(ranks) on; pattern is whisper's (classic GPT-2)"
    g["reference"] = be.reference
    # Whether special/added tokens written in the text are matched when computing "ids" (and
    # the long cases): tokenizers always matches them; tiktoken encode_ordinary and llama.cpp
    # with parse_special=false do not.
    g["ids_parse_special"] = defn["kind"] == "tokenizer.json"
    g["conventions"] = CONVENTIONS[defn["kind"]]
    g["vocab_size"] = be.vocab_size
    cases = [be.case(t) for t in texts]
    if hasattr(be, "check_equivalent"):
        be.check_equivalent(texts + [recipe_text for _, recipe_text in long_texts(texts)[:1]])
    g["cases"] = cases
    g["decode_cases"] = decode_cases(be, cases, seed=sum(name.encode()))
    longs = []
    for recipe, text in long_texts(texts):
        entry = {"recipe": recipe}
        try:
            with _quiet_stderr():
                ids = be.encode(text)
        except BaseException as e:  # noqa: BLE001 (pyo3 PanicException derives from BaseException)
            alt = getattr(be, "encode_equivalent", None)
            if alt is None:
                raise
            ids = alt(text)
            entry["reference_note"] = be.equivalent_note + f" (the reference pattern itself fails here: {type(e).__name__}: {str(e)[:120]})"
        dec = be.decode(ids)
        entry.update({"count": len(ids), "ids_sha256": sha256_ids(ids), "decoded_sha256": sha256_text(dec), "decoded_equals_text": dec == text})
        longs.append(entry)
    g["long_cases"] = longs
    return g


def golden_to_text(g: dict) -> str:
    """Compact-ish JSON: header keys pretty, one case per line."""
    lines = ["{"]
    keys = [k for k in g if k not in ("cases", "decode_cases", "long_cases")]
    for k in keys:
        lines.append(f"  {_j(k)}: {_j(g[k])},")
    for k in ("cases", "decode_cases", "long_cases"):
        lines.append(f"  {_j(k)}: [")
        lines.append(",\n".join("    " + _j(c) for c in g[k]))
        lines.append("  ]" + ("," if k != "long_cases" else ""))
    lines.append("}")
    return "\n".join(lines) + "\n"


def golden_path(name: str) -> Path:
    return GOLDDIR / f"{name}.json"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", action="store_true", help="retrain our small tokenizers")
    ap.add_argument("--goldens", action="store_true", help="re-derive the golden files")
    ap.add_argument("--only", action="append", default=[], help="restrict to these names")
    args = ap.parse_args(argv)
    if not args.train and not args.goldens:
        ap.error("nothing to do: pass --train and/or --goldens")
    if args.train:
        for name, fn in TRAINERS.items():
            if args.only and name not in args.only:
                continue
            print(f"train {name}", flush=True)
            fn()
    if args.goldens:
        GOLDDIR.mkdir(parents=True, exist_ok=True)
        for name in GOLDENS:
            if args.only and name not in args.only:
                continue
            print(f"golden {name}", flush=True)
            g = build_golden(name)
            golden_path(name).write_text(golden_to_text(g), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
