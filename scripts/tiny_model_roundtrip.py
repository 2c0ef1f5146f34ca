#!/usr/bin/env python3
"""A tiny random Llama-family model directory written by transformers' own save_pretrained, and
the check that a directory `longctx convert` made from it holds the same model. Run by
Tests/ModelTests/ModelDirectoryRoundTripTests.swift (transformers 5 in .venv-torch).

    python scripts/tiny_model_roundtrip.py make OUT --family llama|qwen2 --dtype float32|bfloat16
        [--tied] [--max-shard-size 20KB] [--tokenizer-from DIR]
    python scripts/tiny_model_roundtrip.py check SRC OUT --dtype float32|bfloat16|float16

`make` saves a 2-layer model (with a non-default RoPE and an extra config key, so that preserving
the config is visible) plus generation_config.json, copying tokenizer files from --tokenizer-from.
`check` prints one JSON object: transformers' loading info and warnings for OUT, the model dtype it
loads as (dtype="auto"), per tensor whether OUT's value equals SRC's rounded to --dtype (torch's
`.to`, bit for bit), the config keys that differ (dtype/torch_dtype aside), the rotary inverse frequencies each model
runs, and the largest logit difference between SRC and OUT on a fixed input.
"""
import argparse
import json
import logging
import os
import shutil

import torch
import transformers
from transformers import AutoModelForCausalLM, LlamaConfig, Qwen2Config

DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


def make(a):
    torch.manual_seed(1234 + (a.family == "qwen2") + 2 * a.tied)
    common = dict(vocab_size=96, hidden_size=64, intermediate_size=112, num_hidden_layers=2, num_attention_heads=4,
                  num_key_value_heads=2, max_position_embeddings=4096, tie_word_embeddings=a.tied,
                  bos_token_id=1, eos_token_id=2, rms_norm_eps=1e-5,
                  rope_scaling={"rope_type": "linear", "factor": 2.0}, rope_theta=50000.0,
                  longctx_note="kept as written")
    config = LlamaConfig(**common) if a.family == "llama" else Qwen2Config(**common)
    model = AutoModelForCausalLM.from_config(config)
    with torch.no_grad():
        for p in model.parameters():  # norms away from 1 and biases away from 0, so every tensor matters
            p.normal_(0, 0.5)
    model = model.to(DTYPES[a.dtype])
    model.save_pretrained(a.out, max_shard_size=a.max_shard_size)
    if a.tokenizer_from:
        for name in os.listdir(a.tokenizer_from):
            shutil.copy(os.path.join(a.tokenizer_from, name), os.path.join(a.out, name))
    print(json.dumps({"version": transformers.__version__, "files": sorted(os.listdir(a.out))}))


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record.getMessage())


def check(a):
    target = DTYPES[a.dtype]
    source = AutoModelForCausalLM.from_pretrained(a.src, dtype=torch.float32).eval()
    handler = Collect()
    logging.getLogger("transformers").addHandler(handler)
    try:
        out, info = AutoModelForCausalLM.from_pretrained(a.out, dtype="auto", output_loading_info=True)
    finally:
        logging.getLogger("transformers").removeHandler(handler)
    out = out.eval()
    theirs = out.state_dict()
    tensors = {}
    for name, value in source.state_dict().items():
        expected = value.to(target)
        actual = theirs[name]
        tensors[name] = bool(actual.dtype == target and actual.shape == expected.shape
                             and torch.equal(actual.view(torch.int16 if target != torch.float32 else torch.int32),
                                             expected.view(torch.int16 if target != torch.float32 else torch.int32)))
    src_config = json.load(open(os.path.join(a.src, "config.json")))
    out_config = json.load(open(os.path.join(a.out, "config.json")))
    ignore = {"dtype", "torch_dtype"}
    differ = sorted(k for k in set(src_config) | set(out_config)
                    if k not in ignore and src_config.get(k, "<absent>") != out_config.get(k, "<absent>"))
    model_dtype = str(out.dtype).replace("torch.", "")
    ids = torch.tensor([[3, 17, 42, 5, 88, 61, 9, 23]])
    with torch.no_grad():
        difference = (source(ids).logits - out.to(torch.float32)(ids).logits).abs().max().item()
    print(json.dumps({
        "version": transformers.__version__,
        "loading_info": {k: sorted(map(str, v)) for k, v in info.items()},
        "load_warnings": handler.records,
        "model_dtype": model_dtype,
        # the RoPE each model runs, as this transformers version reads its config
        "source_inv_freq": source.model.rotary_emb.inv_freq.tolist(),
        "out_inv_freq": out.model.rotary_emb.inv_freq.tolist(),
        "tensors": tensors,
        "config_keys_differing": differ,
        "out_config_dtype": [out_config.get("dtype"), out_config.get("torch_dtype")],
        "max_abs_logit_difference": difference,
    }))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="command", required=True)
    m = sub.add_parser("make")
    m.add_argument("out")
    m.add_argument("--family", choices=["llama", "qwen2"], default="llama")
    m.add_argument("--dtype", choices=list(DTYPES), default="float32")
    m.add_argument("--tied", action="store_true")
    m.add_argument("--max-shard-size", default="5GB")
    m.add_argument("--tokenizer-from")
    c = sub.add_parser("check")
    c.add_argument("src")
    c.add_argument("out")
    c.add_argument("--dtype", choices=list(DTYPES), required=True)
    a = p.parse_args()
    make(a) if a.command == "make" else check(a)


if __name__ == "__main__":
    main()
