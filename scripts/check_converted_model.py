#!/usr/bin/env python3
"""Load a model directory written by `longctx convert` with transformers, as a user would, and
report what our tests check. Run by Tests/ModelTests/ConvertSmolLM2Tests.swift with transformers 5
(.venv-torch, which also has gguf-py) and transformers 4.57 (.venv-mds).

    python scripts/check_converted_model.py DIR --texts TEXTS.json --logits-out OUT.safetensors
        [--gguf MODEL.gguf] [--prompt "The capital of France is"] [--logits-prompt TEXT]

Prints one JSON object:
- version; loading_info (missing/unexpected/mismatched keys from output_loading_info=True) and
  load_warnings (every transformers log record of level WARNING or above while loading);
- generated: greedy continuation of --prompt (3 new tokens), decoded;
- logits_ids: the ids of --logits-prompt; the float32 logits of that prompt go to OUT.safetensors
  as "dir" (and "gguf" when --gguf is given: transformers loading the GGUF itself);
- tokenizer: for each text of TEXTS.json, ids (add_special_tokens=False and True) and the decoded
  text from AutoTokenizer.from_pretrained(DIR), and with --gguf the same from
  AutoTokenizer.from_pretrained(gguf_file=...): the reference.
"""
import argparse
import json
import logging
import os

import torch
import transformers
from safetensors.torch import save_file
from transformers import AutoModelForCausalLM, AutoTokenizer


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record.getMessage())


def load_model(path, **kwargs):
    handler = Collect()
    logger = logging.getLogger("transformers")
    logger.addHandler(handler)
    try:
        model, info = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32, output_loading_info=True, **kwargs)
    finally:
        logger.removeHandler(handler)
    info = {k: sorted(map(str, v)) for k, v in info.items()}
    return model.eval(), info, handler.records


def tokenizer_report(tok, texts):
    out = []
    for text in texts:
        ids = tok.encode(text, add_special_tokens=False)
        out.append({
            "ids": ids,
            "ids_with_special": tok.encode(text, add_special_tokens=True),
            "decoded": tok.decode(ids),
        })
    return out


def greedy(model, tok, prompt):
    ids = tok(prompt, return_tensors="pt", add_special_tokens=False)
    with torch.no_grad():
        out = model.generate(**ids, max_new_tokens=3, do_sample=False, pad_token_id=tok.pad_token_id)
    return tok.decode(out[0, ids["input_ids"].shape[1]:])


def logits(model, ids):
    with torch.no_grad():
        return model(torch.tensor([ids])).logits[0].to(torch.float32).contiguous()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--texts", required=True)
    p.add_argument("--logits-out", required=True)
    p.add_argument("--gguf")
    p.add_argument("--prompt", default="The capital of France is")
    p.add_argument("--logits-prompt", default="The capital of France is Paris. It is known for")
    a = p.parse_args()
    torch.manual_seed(0)
    texts = json.load(open(a.texts))

    handler = Collect()
    logging.getLogger("transformers").addHandler(handler)
    tok = AutoTokenizer.from_pretrained(a.dir)
    logging.getLogger("transformers").removeHandler(handler)
    model, info, warnings = load_model(a.dir)
    ids = tok.encode(a.logits_prompt, add_special_tokens=False)
    tensors = {"dir": logits(model, ids)}
    report = {
        "version": transformers.__version__,
        "tokenizer_class": type(tok).__name__,
        "tokenizer_warnings": handler.records,
        "loading_info": info,
        "load_warnings": warnings,
        "model_dtype": str(model.dtype),
        "generated": greedy(model, tok, a.prompt),
        "logits_ids": ids,
        "tokenizer": tokenizer_report(tok, texts),
        "special_tokens": {k: getattr(tok, k) for k in ("bos_token", "eos_token", "unk_token", "pad_token")},
        "has_chat_template": bool(getattr(tok, "chat_template", None)),
    }
    del model
    if a.gguf:
        folder, name = os.path.split(os.path.abspath(a.gguf))
        ref_tok = AutoTokenizer.from_pretrained(folder, gguf_file=name)
        ref_model, _, _ = load_model(folder, gguf_file=name)
        tensors["gguf"] = logits(ref_model, ids)
        report["gguf"] = {
            "generated": greedy(ref_model, ref_tok, a.prompt),
            "logits_ids": ref_tok.encode(a.logits_prompt, add_special_tokens=False),
            "tokenizer": tokenizer_report(ref_tok, texts),
            "max_abs_logit_difference": float((tensors["gguf"] - tensors["dir"]).abs().max()),
        }
    save_file(tensors, a.logits_out)
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
