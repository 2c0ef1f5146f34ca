#!/usr/bin/env python3
"""Load config.json files that longctx wrote with transformers and report the RoPE the model really uses.

    .venv-torch/bin/python scripts/check_config_roundtrip.py [--lengths 8192,300000] DIR [DIR ...]
    .venv-mds/bin/python   scripts/check_config_roundtrip.py [--lengths 8192,300000] DIR [DIR ...]

For each model directory: AutoConfig.from_pretrained (the real loading path, with each version's
rope_scaling / rope_parameters handling), then a tiny model of the same architecture built from that
config (one layer, two heads of the same head_dim, small vocab and MLP: RoPE depends only on head_dim,
the rope keys and max_position_embeddings), a forward pass over a few tokens, and the rotary
embedding's inverse frequencies and attention scaling at init and after a forward pass over positions
up to each length (dynamic NTK and longrope change with the length).
Prints one JSON object on stdout: {"version": ..., "configs": {DIR: {...}}}; a readable summary on stderr.
Used by Tests/ModelTests/TransformersRoundTripTests.swift in both .venv-torch (5.x) and .venv-mds (4.57).
"""
import argparse
import json
import sys
import warnings


def rope_base(config):
    """The base as this transformers version stores it after loading."""
    import transformers
    if int(transformers.__version__.split(".")[0]) >= 5:
        return config.rope_parameters["rope_theta"]
    return config.rope_theta


def check(directory, lengths):
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    config = AutoConfig.from_pretrained(directory)
    base = rope_base(config)
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads
    # Shrink everything RoPE does not read, so an 8B config builds in a moment.
    config.num_hidden_layers, config.num_attention_heads, config.num_key_value_heads = 1, 2, 1
    config.hidden_size, config.head_dim = 2 * head_dim, head_dim
    config.intermediate_size, config.vocab_size = 32, 128
    if hasattr(config, "layer_types") and config.layer_types is not None:
        config.layer_types = config.layer_types[:1]
    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_config(config).eval()
    with torch.no_grad():
        logits = model(torch.arange(8).unsqueeze(0)).logits
    assert torch.isfinite(logits).all(), "forward pass gave non-finite logits"

    rotary = model.model.rotary_emb
    result = {"architecture": type(model).__name__, "rope_theta": float(base), "rope_type": rotary.rope_type,
              "max_position_embeddings": config.max_position_embeddings,
              "lengths": [{"seq_len": None, "inv_freq": rotary.original_inv_freq.tolist(),
                           "attention_factor": float(rotary.attention_scaling)}]}
    for length in lengths:
        positions = torch.tensor([[0, 1, length - 1]])
        rotary(torch.zeros(1, 3, head_dim), positions)
        result["lengths"].append({"seq_len": length, "inv_freq": rotary.inv_freq.tolist(),
                                  "attention_factor": float(rotary.attention_scaling)})
    return result


def main():
    import transformers
    transformers.logging.set_verbosity_error()
    warnings.filterwarnings("ignore")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lengths", default="", help="comma-separated sequence lengths to run the rotary embedding at")
    parser.add_argument("directories", nargs="+")
    args = parser.parse_args()
    lengths = [int(x) for x in args.lengths.split(",") if x]
    out = {"version": transformers.__version__, "configs": {}}
    for directory in args.directories:
        result = check(directory, lengths)
        out["configs"][directory] = result
        inv = result["lengths"][0]["inv_freq"]
        print(f"transformers {transformers.__version__} {result['architecture']} {directory}: "
              f"rope_type={result['rope_type']} rope_theta={result['rope_theta']:g} "
              f"inv_freq[1]={inv[1]:.9g} inv_freq[-1]={inv[-1]:.9g} "
              f"attention_factor={result['lengths'][0]['attention_factor']:.9g}", file=sys.stderr)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
