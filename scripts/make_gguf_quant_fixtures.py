#!/usr/bin/env python3
"""Write Tests/Fixtures/gguf-quants/: random but valid blocks of every GGML type our dequantizer
handles, and what gguf-py's reference `gguf.quants.dequantize` makes of them.

    .venv-torch/bin/python scripts/make_gguf_quant_fixtures.py [out_dir]

Per type: TYPE.bin (raw blocks: 4 rows of 256 elements, of 1024 for the K types) and TYPE.f32 (the expected floats,
little-endian float32). Block bytes are uniform random, which exercises every bit of every packed
field; the f16 scale fields are then overwritten with finite values (random magnitudes plus zero,
negative zero, subnormals and the largest half) so no NaN can hide a mismatch.
manifest.json lists the types, element counts and byte sizes.
"""
import json
import os
import sys

import numpy as np
from gguf import GGML_QUANT_SIZES, GGMLQuantizationType as Q
from gguf.quants import dequantize

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "Tests", "Fixtures", "gguf-quants")
ROWS = 4
# 32 blocks of each legacy type, 16 super-blocks of each K type.
COLUMNS = {Q.Q2_K: 1024, Q.Q3_K: 1024, Q.Q4_K: 1024, Q.Q5_K: 1024, Q.Q6_K: 1024}

# Byte offsets of the f16 fields in each block (ggml-common.h block_* structs).
HALF_FIELDS = {
    Q.Q4_0: [0], Q.Q4_1: [0, 2], Q.Q5_0: [0], Q.Q5_1: [0, 2], Q.Q8_0: [0],
    Q.Q2_K: [80, 82], Q.Q3_K: [108], Q.Q4_K: [0, 2], Q.Q5_K: [0, 2], Q.Q6_K: [208],
}
SPECIAL_HALVES = np.array([0.0, -0.0, 6.0e-8, -6.1e-5, 65504.0, 1.0, -2.0], dtype=np.float16)


def random_halves(rng, n):
    """Random magnitudes from 1e-4 to 10, with a few special values mixed into a quarter of them."""
    values = (rng.standard_normal(n) * 10.0 ** rng.uniform(-4, 1, n)).astype(np.float16)
    k = min(n // 4, len(SPECIAL_HALVES))
    values[:k] = SPECIAL_HALVES[:k]
    return values


def quant_blocks(rng, qtype):
    block_size, type_size = GGML_QUANT_SIZES[qtype]
    n_blocks = ROWS * COLUMNS.get(qtype, 256) // block_size
    blocks = rng.integers(0, 256, size=(n_blocks, type_size), dtype=np.uint8)
    for offset in HALF_FIELDS[qtype]:
        halves = random_halves(rng, n_blocks)
        rng.shuffle(halves)
        blocks[:, offset:offset + 2] = halves.view(np.uint8).reshape(n_blocks, 2)
    return blocks.reshape(ROWS, -1)


def plain(rng, qtype):
    if qtype == Q.F32:
        bits = rng.integers(0, 2**32, size=ROWS * 256, dtype=np.uint64).astype(np.uint32)
        bits[(bits & 0x7F800000) == 0x7F800000] &= 0xFF7FFFFF  # no NaN/Inf: clear one exponent bit
        return bits.view(np.uint8).reshape(ROWS, -1)
    bits = rng.integers(0, 2**16, size=ROWS * 256, dtype=np.uint32).astype(np.uint16)
    if qtype == Q.F16:
        nan = (bits & 0x7C00) == 0x7C00
        bits[nan & ((bits & 0x03FF) != 0)] &= 0xFC00  # NaN -> Inf: keep infinities, drop NaNs
    else:  # BF16
        nan = (bits & 0x7F80) == 0x7F80
        bits[nan & ((bits & 0x007F) != 0)] &= 0xFF80
    return bits.view(np.uint8).reshape(ROWS, -1)


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20240611)
    manifest = {}
    for qtype in [Q.F32, Q.F16, Q.BF16, Q.Q4_0, Q.Q4_1, Q.Q5_0, Q.Q5_1, Q.Q8_0,
                  Q.Q2_K, Q.Q3_K, Q.Q4_K, Q.Q5_K, Q.Q6_K]:
        raw = plain(rng, qtype) if qtype in (Q.F32, Q.F16, Q.BF16) else quant_blocks(rng, qtype)
        expected = np.asarray(dequantize(raw, qtype), dtype=np.float32)
        columns = COLUMNS.get(qtype, 256)
        assert expected.shape == (ROWS, columns), (qtype.name, expected.shape)
        assert not np.isnan(expected).any(), qtype.name
        raw.tofile(os.path.join(OUT, f"{qtype.name}.bin"))
        expected.astype("<f4").tofile(os.path.join(OUT, f"{qtype.name}.f32"))
        manifest[qtype.name] = {"type": int(qtype), "elements": ROWS * columns, "bytes": int(raw.size)}
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
