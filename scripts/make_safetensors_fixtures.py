#!/usr/bin/env python3
"""Write Tests/Fixtures/safetensors/ with the reference writers (PyPI `safetensors`, `torch`,
`huggingface_hub`), plus JSON files describing exactly what was written, so the Swift reader is
checked against an independent implementation.

    .venv-torch/bin/python scripts/make_safetensors_fixtures.py [out_dir]

- dtypes.safetensors: one small tensor per dtype torch can store (F64 … BOOL, F8_E4M3, F8_E5M2,
  U16/U32/U64), a 0-d scalar and an empty tensor; __metadata__ with a non-ASCII value.
- dtypes.json: for each tensor, dtype, shape, data_offsets (as the library reports them), the raw
  bytes in hex, and for float dtypes the values widened to float32 (exact, as JSON doubles).
- sharded/: huggingface_hub.save_torch_state_dict (what transformers' save_pretrained calls) with a
  tiny max_shard_size: model-0000i-of-0000N.safetensors + model.safetensors.index.json.
- sharded.json: each tensor's shape and float32 values.
"""
import json
import math
import os
import shutil
import struct
import sys

import torch
from huggingface_hub import save_torch_state_dict
from safetensors import safe_open
from safetensors.torch import save_file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "Tests", "Fixtures", "safetensors")


def header(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        return n, json.loads(f.read(n))


def json_float(x):
    """Exact float32 value as a JSON double; infinities as the strings "inf" / "-inf"."""
    return x if math.isfinite(x) else ("inf" if x > 0 else "-inf")


def dtypes_fixture():
    g = torch.Generator().manual_seed(7)
    base = torch.randn(2, 3, generator=g, dtype=torch.float64) * 3
    tensors = {
        "f64": base.clone(),
        "f32": base.to(torch.float32),
        "f16": base.to(torch.float16),
        "bf16": base.to(torch.bfloat16),
        "i64": torch.tensor([-(2**62), -1, 0, 1, 2**62], dtype=torch.int64),
        "i32": torch.tensor([[-(2**31), 7], [2**31 - 1, 0]], dtype=torch.int32),
        "i16": torch.tensor([-32768, 32767, 5], dtype=torch.int16),
        "i8": torch.tensor([-128, 127, 0, -1], dtype=torch.int8),
        "u8": torch.tensor([0, 255, 17], dtype=torch.uint8),
        "bool": torch.tensor([True, False, True], dtype=torch.bool),
        "f8_e4m3": torch.tensor([0.5, -2.0, 448.0], dtype=torch.float32).to(torch.float8_e4m3fn),
        "f8_e5m2": torch.tensor([0.25, -3.0, 57344.0], dtype=torch.float32).to(torch.float8_e5m2),
        "u16": torch.tensor([0, 65535], dtype=torch.uint16),
        "u32": torch.tensor([0, 2**32 - 1], dtype=torch.uint32),
        "u64": torch.tensor([0, 2**63 + 5], dtype=torch.uint64),
        "scalar": torch.tensor(1.5, dtype=torch.float32),
        "empty": torch.zeros(0, 3, dtype=torch.float32),
        # Specials survive exactly: subnormal, infinities, negative zero.
        "f16.special": torch.tensor([5.960464477539063e-08, float("inf"), float("-inf"), -0.0, 65504.0], dtype=torch.float16),
        "bf16.special": torch.tensor([9.183549615799121e-41, float("inf"), -0.0, 3.3895313892515355e38], dtype=torch.bfloat16),
    }
    path = os.path.join(OUT, "dtypes.safetensors")
    save_file(tensors, path, metadata={"format": "pt", "note": "héllo ✓"})
    n, head = header(path)
    with open(path, "rb") as f:
        data = f.read()[8 + n:]
    expected = {"header_size": n, "metadata": head["__metadata__"], "tensors": {}}
    with safe_open(path, framework="pt") as f:
        for name in f.keys():
            t = f.get_tensor(name)
            info = head[name]
            entry = {
                "dtype": info["dtype"],
                "shape": info["shape"],
                "data_offsets": info["data_offsets"],
                "hex": data[info["data_offsets"][0]:info["data_offsets"][1]].hex(),
            }
            if t.dtype in (torch.float64, torch.float32, torch.float16, torch.bfloat16):
                entry["floats"] = [json_float(x) for x in t.to(torch.float32).flatten().tolist()]
            expected["tensors"][name] = entry
    with open(os.path.join(OUT, "dtypes.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


def sharded_fixture():
    g = torch.Generator().manual_seed(11)
    state = {
        "model.embed_tokens.weight": torch.randn(8, 4, generator=g),
        "model.layers.0.self_attn.q_proj.weight": torch.randn(4, 4, generator=g).to(torch.bfloat16),
        "model.layers.0.mlp.down_proj.weight": torch.randn(4, 6, generator=g),
        "model.norm.weight": torch.ones(4),
        "lm_head.weight": torch.randn(8, 4, generator=g).to(torch.float16),
    }
    directory = os.path.join(OUT, "sharded")
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    save_torch_state_dict(state, directory, max_shard_size=150, metadata={"format": "pt"})
    expected = {
        name: {"shape": list(t.shape), "floats": [float(x) for x in t.to(torch.float32).flatten().tolist()]}
        for name, t in state.items()
    }
    with open(os.path.join(OUT, "sharded.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    dtypes_fixture()
    sharded_fixture()
    print("wrote", OUT)
