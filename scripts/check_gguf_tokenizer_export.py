#!/usr/bin/env python3
"""Compare a tokenizer.json exported from a GGUF vocabulary by longctx with the tokenizer
transformers builds from the same GGUF (integrations/gguf: get_gguf_tokenizer +
convert_gguf_tokenizer), both run by HF `tokenizers`. Works on vocabulary-only GGUF files too.
Run by Tests/ModelTests/GGUFTokenizerExportTests.swift with transformers 5 (.venv-torch).

    python scripts/check_gguf_tokenizer_export.py VOCAB.gguf DIR TEXTS.json [GOLDEN.json]

Prints one JSON object: whether the BPE vocabularies and merge lists are identical; per text, the ids of both (add_special_tokens=False) and their decodings;
AutoTokenizer.from_pretrained(DIR)'s ids with add_special_tokens=True, and the BOS/EOS the GGUF's
add_bos_token/add_eos_token ask for; the special tokens transformers reports for DIR. With GOLDEN.json (Tests/Fixtures/tokenizers/golden,
ids llama.cpp produced without parsing special tokens), the ids our tokenizer.json gives for each
golden text that holds no added-token string, beside llama.cpp's.
"""
import json
import sys

from tokenizers import Tokenizer
from transformers import AutoTokenizer
from transformers.integrations.gguf.gguf_tokenizer_mapping import convert_gguf_tokenizer, get_gguf_tokenizer


def main(gguf_path, directory, texts_path, golden_path=None):
    texts = json.load(open(texts_path))
    architecture, vocabulary, config = get_gguf_tokenizer(gguf_path)
    reference, _ = convert_gguf_tokenizer(architecture, vocabulary)
    ours = Tokenizer.from_file(directory + "/tokenizer.json")
    auto = AutoTokenizer.from_pretrained(directory)
    tokens = vocabulary["tokens"]
    prefix = [tokens.index(config["bos_token"])] if config.get("add_bos_token") and config.get("bos_token") else []
    suffix = [tokens.index(config["eos_token"])] if config.get("add_eos_token") and config.get("eos_token") else []
    cases = []
    for text in texts:
        theirs = reference.encode(text, add_special_tokens=False).ids
        mine = ours.encode(text, add_special_tokens=False).ids
        cases.append({
            "reference_ids": theirs,
            "ids": mine,
            "reference_decoded": reference.decode(theirs, skip_special_tokens=False),
            "decoded": ours.decode(mine, skip_special_tokens=False),
            "auto_ids_with_special": auto.encode(text, add_special_tokens=True),
            "expected_with_special": prefix + theirs + suffix,
        })
    golden = []
    if golden_path:
        added = [t.content for t in ours.get_added_tokens_decoder().values()]
        for case in json.load(open(golden_path))["cases"]:
            if not any(a in case["text"] for a in added):
                golden.append({"text": case["text"], "llama_cpp_ids": case["ids"],
                               "ids": ours.encode(case["text"], add_special_tokens=False).ids})
    reference_model = json.loads(reference.to_str())["model"]
    our_model = json.loads(ours.to_str())["model"]
    print(json.dumps({
        "tokenizer_type": vocabulary.get("tokenizer_type"),
        "vocab_equal": reference_model["vocab"] == our_model["vocab"],
        "merges_equal": [list(m) for m in reference_model["merges"]] == [list(m) for m in our_model["merges"]],
        "merge_count": len(our_model["merges"]),
        "reference_vocab_size": reference.get_vocab_size(with_added_tokens=True),
        "vocab_size": ours.get_vocab_size(with_added_tokens=True),
        "special_tokens": {k: getattr(auto, k) for k in ("bos_token", "eos_token", "unk_token", "pad_token")},
        "reference_special_tokens": {k: config.get(k) for k in ("bos_token", "eos_token", "unk_token", "pad_token")},
        "cases": cases,
        "golden": golden,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main(*sys.argv[1:5])
