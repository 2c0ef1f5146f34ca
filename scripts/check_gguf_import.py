#!/usr/bin/env python3
"""Load a Llama-family GGUF with transformers (which dequantizes with gguf-py and undoes
llama.cpp's q/k row permutation) and dump what our importer must reproduce. Run by
Tests/FormatsTests/GGUFSmolLM2ImportTests.swift.

    .venv-torch/bin/python scripts/check_gguf_import.py MODEL.gguf [OUT.json]

For a handful of tensors: HF name, shape, dtype, the first 8 values, 16 values at spread-out
positions, sum and sum of squares (float64), and the SHA-256 of the float32 bytes for tensors up
to 4 MB (bit-exact check). Also the config transformers built from the GGUF metadata.
"""
import hashlib
import json
import os
import sys

import numpy as np
import torch
from transformers import AutoModelForCausalLM

LAYERS_TO_CHECK = ("model.embed_tokens.weight", "model.norm.weight", "lm_head.weight")
PER_LAYER = ("input_layernorm.weight", "self_attn.q_proj.weight", "self_attn.k_proj.weight",
             "self_attn.v_proj.weight", "self_attn.o_proj.weight", "post_attention_layernorm.weight",
             "mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.down_proj.weight")


def describe(t):
    a = t.detach().to(torch.float32).contiguous().numpy().reshape(-1)
    n = a.size
    spread = [(i * n) // 16 + 7 for i in range(16) if (i * n) // 16 + 7 < n]
    entry = {
        "shape": list(t.shape),
        "dtype": str(t.dtype),
        "first": [float(x) for x in a[:8]],
        "spread_index": spread,
        "spread": [float(a[i]) for i in spread],
        "sum": float(a.astype(np.float64).sum()),
        "sumsq": float((a.astype(np.float64) ** 2).sum()),
    }
    if a.nbytes <= 4 << 20:
        entry["sha256"] = hashlib.sha256(a.astype("<f4").tobytes()).hexdigest()
    return entry


def main(path, out):
    model = AutoModelForCausalLM.from_pretrained(
        os.path.dirname(os.path.abspath(path)), gguf_file=os.path.basename(path), dtype=torch.float32)
    params = dict(model.named_parameters(remove_duplicate=False))
    last = model.config.num_hidden_layers - 1
    names = list(LAYERS_TO_CHECK)
    names += [f"model.layers.0.{p}" for p in PER_LAYER]
    names += [f"model.layers.{last}.self_attn.k_proj.weight", f"model.layers.{last}.self_attn.q_proj.weight",
              f"model.layers.{last}.mlp.down_proj.weight"]
    c = model.config
    rope = getattr(c, "rope_parameters", None) or {}
    result = {
        "model_dtype": str(model.dtype),
        "tensors": {n: describe(params[n]) for n in names},
        "lm_head_is_embedding": bool(torch.equal(params["lm_head.weight"], params["model.embed_tokens.weight"])),
        "config": {
            "vocab_size": c.vocab_size, "hidden_size": c.hidden_size, "intermediate_size": c.intermediate_size,
            "num_hidden_layers": c.num_hidden_layers, "num_attention_heads": c.num_attention_heads,
            "num_key_value_heads": c.num_key_value_heads, "head_dim": getattr(c, "head_dim", None),
            "max_position_embeddings": c.max_position_embeddings, "rms_norm_eps": c.rms_norm_eps,
            "rope_theta": rope.get("rope_theta", getattr(c, "rope_theta", None)),
            "bos_token_id": c.bos_token_id, "eos_token_id": c.eos_token_id,
            "tie_word_embeddings": c.tie_word_embeddings,
        },
    }
    text = json.dumps(result, indent=1, sort_keys=True)
    if out:
        with open(out, "w") as f:
            f.write(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
