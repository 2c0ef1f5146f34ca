#!/usr/bin/env python3
"""Greedy generation with transformers on a model directory: the reference for our KV-cache decoding.
Run by Tests/InferenceTests/GenerationReferenceTests.swift with .venv-torch (transformers 5).

    python scripts/check_generation.py DIR --requests REQUESTS.json --logits-out OUT.safetensors [--threads N]

REQUESTS.json: [{"ids": [...], "max_new_tokens": N, "rope": null | {"rope_type": "yarn", "factor": 2.0, ...}}, ...]
(ids are already tokenized: the test and transformers see the same prompt). For each request, transformers'
`generate` with do_sample=False and use_cache=True (its DynamicCache) continues the prompt, stopping at the
generation config's EOS (which is then the last token); the config's RoPE
is replaced by `rope` when given (as `longctx --rope` does), max_position_embeddings and original length set
as our override sets them. Prints one JSON object {"results": [{"tokens": [...]}, ...]}; the float32 logits of
every generated step of request i go to OUT.safetensors as "logits_i" ([steps, vocab]).
"""
import argparse
import json

import torch
from safetensors.torch import save_file
from transformers import AutoConfig, AutoModelForCausalLM


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--requests", required=True)
    parser.add_argument("--logits-out", required=True)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    with open(args.requests) as f:
        requests = json.load(f)
    results, tensors, models = [], {}, {}
    for i, request in enumerate(requests):
        key = json.dumps(request.get("rope"), sort_keys=True)
        if key not in models:
            config = AutoConfig.from_pretrained(args.directory)
            rope = request.get("rope")
            if rope is not None:
                original = config.max_position_embeddings
                parameters = dict(rope)
                parameters.setdefault("rope_theta", config.rope_parameters["rope_theta"])
                if parameters["rope_type"] in ("yarn",):
                    parameters["original_max_position_embeddings"] = original
                    config.max_position_embeddings = int(round(original * parameters["factor"]))
                config.rope_parameters = parameters
            models[key] = AutoModelForCausalLM.from_pretrained(args.directory, config=config, dtype=torch.float32).eval()
        model = models[key]
        ids = torch.tensor([request["ids"]], dtype=torch.long)
        with torch.no_grad():
            out = model.generate(ids, attention_mask=torch.ones_like(ids), do_sample=False,
                                 max_new_tokens=request["max_new_tokens"],
                                 output_logits=True, return_dict_in_generate=True, pad_token_id=0)
        tokens = out.sequences[0, ids.shape[1]:].tolist()
        results.append({"tokens": tokens})
        tensors[f"logits_{i}"] = torch.cat([step.float() for step in out.logits], dim=0).contiguous()
    save_file(tensors, args.logits_out)
    print(json.dumps({"results": results, "version": __import__("transformers").__version__}))


if __name__ == "__main__":
    main()
