#!/usr/bin/env python3
"""A tiny random Qwen2 model written as a GGUF file with gguf-py, the way llama.cpp's converter lays
one out (F32 tensors, blk.N.* names, q/k/v biases, the qwen2-style test vocabulary as a "gpt2"
tokenizer with pre-tokenizer "qwen2"). Run by Tests/ModelTests/ConvertQwen2GGUFTests.swift, which
converts it with longctx and compares the directory with transformers loading this GGUF itself.

    .venv-torch/bin/python scripts/make_tiny_gguf.py OUT.gguf TOKENIZER_DIR
"""
import json
import sys

import numpy as np
from gguf import GGUFWriter, TokenType


def main(out, tokenizer_dir):
    tok = json.load(open(tokenizer_dir + "/tokenizer.json"))
    vocab = sorted(tok["model"]["vocab"].items(), key=lambda kv: kv[1])
    tokens = [t for t, _ in vocab]
    types = [TokenType.NORMAL] * len(tokens)
    for added in sorted(tok["added_tokens"], key=lambda t: t["id"]):
        assert added["id"] == len(tokens)
        tokens.append(added["content"])
        types.append(TokenType.CONTROL if added["special"] else TokenType.USER_DEFINED)
    merges = [m if isinstance(m, str) else " ".join(m) for m in tok["model"]["merges"]]

    rng = np.random.default_rng(42)
    vocab_size, hidden, intermediate, layers, heads, kv_heads = len(tokens), 64, 96, 2, 4, 2
    head_dim = hidden // heads

    def weight(*shape, scale=0.08):
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    w = GGUFWriter(out, "qwen2")
    w.add_name("tiny-qwen2")
    w.add_context_length(4096)
    w.add_embedding_length(hidden)
    w.add_block_count(layers)
    w.add_feed_forward_length(intermediate)
    w.add_head_count(heads)
    w.add_head_count_kv(kv_heads)
    w.add_layer_norm_rms_eps(1e-6)
    w.add_rope_freq_base(1_000_000.0)
    w.add_file_type(0)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("qwen2")
    w.add_token_list(tokens)
    w.add_token_types(types)
    w.add_token_merges(merges)
    w.add_bos_token_id(tokens.index("<|endoftext|>"))
    w.add_eos_token_id(tokens.index("<|im_end|>"))
    w.add_pad_token_id(tokens.index("<|endoftext|>"))
    w.add_add_bos_token(False)
    w.add_chat_template("{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}")

    w.add_tensor("token_embd.weight", weight(vocab_size, hidden, scale=0.5))
    for i in range(layers):
        p = f"blk.{i}."
        w.add_tensor(p + "attn_norm.weight", 1 + weight(hidden, scale=0.1))
        for name, rows in (("attn_q", heads * head_dim), ("attn_k", kv_heads * head_dim), ("attn_v", kv_heads * head_dim)):
            w.add_tensor(p + name + ".weight", weight(rows, hidden))
            w.add_tensor(p + name + ".bias", weight(rows, scale=0.2))
        w.add_tensor(p + "attn_output.weight", weight(hidden, heads * head_dim))
        w.add_tensor(p + "ffn_norm.weight", 1 + weight(hidden, scale=0.1))
        w.add_tensor(p + "ffn_gate.weight", weight(intermediate, hidden))
        w.add_tensor(p + "ffn_up.weight", weight(intermediate, hidden))
        w.add_tensor(p + "ffn_down.weight", weight(hidden, intermediate))
    w.add_tensor("output_norm.weight", 1 + weight(hidden, scale=0.1))
    w.add_tensor("output.weight", weight(vocab_size, hidden, scale=0.5))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    print(json.dumps({"vocab_size": vocab_size}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
