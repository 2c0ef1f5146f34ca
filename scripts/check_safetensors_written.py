#!/usr/bin/env python3
"""Check files our SafetensorsWriter / SafetensorsCheckpointWriter wrote against the reference
implementations, byte for byte. Run by Tests/FormatsTests/SafetensorsPythonCheckTests.swift.

    .venv-torch/bin/python scripts/check_safetensors_written.py DIR

DIR/expected.json: {"single": file name, "sharded": directory name, "order": [tensor names in the
order given to the writer], "max_shard_size": int}.

- single: loads with safetensors; save_file of the same tensors and metadata gives the same bytes.
- sharded: huggingface_hub.split_torch_state_dict_into_shards (transformers' save_pretrained) on the
  same tensors in the same order gives the same files, tensors per file and total_size; every shard
  equals save_file's bytes; the index text equals transformers' json.dumps(indent=2, sort_keys=True).
Prints a JSON summary; exits non-zero on the first mismatch.
"""
import json
import os
import sys

from huggingface_hub import split_torch_state_dict_into_shards
from safetensors import safe_open
from safetensors.torch import load_file, save_file


def load(path):
    with safe_open(path, framework="pt") as f:
        return {k: f.get_tensor(k) for k in f.keys()}, f.metadata()


def same_bytes(ours, tensors, metadata, scratch):
    save_file(tensors, scratch, metadata=metadata)
    with open(ours, "rb") as a, open(scratch, "rb") as b:
        mine, theirs = a.read(), b.read()
    os.remove(scratch)
    if mine != theirs:
        sys.exit(f"{ours}: differs from safetensors.save_file ({len(mine)} vs {len(theirs)} bytes)")


def main(directory):
    with open(os.path.join(directory, "expected.json")) as f:
        spec = json.load(f)
    scratch = os.path.join(directory, "reference.tmp")
    summary = {}

    single = os.path.join(directory, spec["single"])
    tensors, metadata = load(single)
    same_bytes(single, tensors, metadata, scratch)
    summary["single"] = {k: [str(t.dtype), list(t.shape)] for k, t in tensors.items()}

    sharded = os.path.join(directory, spec["sharded"])
    with open(os.path.join(sharded, "model.safetensors.index.json")) as f:
        index_text = f.read()
    index = json.loads(index_text)
    state = {}
    for name in spec["order"]:
        state[name] = load_file(os.path.join(sharded, index["weight_map"][name]))[name]
    split = split_torch_state_dict_into_shards(state, max_shard_size=spec["max_shard_size"])
    if split.tensor_to_filename != index["weight_map"]:
        sys.exit(f"weight_map differs from huggingface_hub's split: {split.tensor_to_filename}")
    expected_index = {
        "metadata": {"total_parameters": sum(t.numel() for t in state.values()), **split.metadata},
        "weight_map": split.tensor_to_filename,
    }
    if index_text != json.dumps(expected_index, indent=2, sort_keys=True) + "\n":
        sys.exit("index text differs from transformers' json.dumps(indent=2, sort_keys=True)")
    present = sorted(n for n in os.listdir(sharded) if n.endswith(".safetensors"))
    if present != sorted(split.filename_to_tensors):
        sys.exit(f"shard files {present} != {sorted(split.filename_to_tensors)}")
    for filename, names in split.filename_to_tensors.items():
        path = os.path.join(sharded, filename)
        tensors, metadata = load(path)
        if sorted(tensors) != sorted(names):
            sys.exit(f"{filename} holds {sorted(tensors)}, expected {sorted(names)}")
        same_bytes(path, tensors, {"format": "pt"}, scratch)
    summary["shards"] = split.filename_to_tensors
    summary["total_size"] = split.metadata["total_size"]
    json.dump(summary, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1])
