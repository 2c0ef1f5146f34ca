"""Write the MDS fixtures under Tests/Fixtures/mds with the reference writer (mosaicml-streaming).

  prolong/    ProLong's packed layout: input_ids + indices (ndarray:uint32, indices shape (n, 2)),
              domain (str), length (int); small size_limit so it spans several shards.
  encodings/  one column per supported encoding, extreme values included.
  */expected.json  every sample as streaming's own reader decodes it (see mds_typed_json.py).

Run with the venv described in DESIGN.md:
  PYTHONPATH=scripts/tvstub .venv-mds/bin/python scripts/make_mds_fixture.py
"""
import json
import os
import shutil
import sys

import numpy as np
from streaming.base.format.mds.reader import MDSReader
from streaming.base.format.mds.writer import MDSWriter

sys.path.insert(0, os.path.dirname(__file__))
from mds_typed_json import encodings_of, typed_sample  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "mds")


def prolong_samples():
    rng = np.random.default_rng(7)
    for i in range(9):
        doc_lens = rng.integers(1, 12, size=int(rng.integers(1, 4)))
        ends = np.cumsum(doc_lens)
        starts = ends - doc_lens
        ids = rng.integers(0, 2**32, size=int(ends[-1]), dtype=np.uint64).astype(np.uint32)
        ids[0] = 2**32 - 1 if i == 0 else ids[0]
        yield {
            "input_ids": ids,
            "indices": np.stack([starts, ends], axis=1).astype(np.uint32),
            "domain": ["book", "arxiv", "textbooks", "código ✓"][i % 4],
            "length": int(ends[-1]),
        }


ENCODINGS = {
    "b_bytes": "bytes", "c_str": "str", "d_int": "int",
    "i8": "int8", "i16": "int16", "i32": "int32", "i64": "int64",
    "u8": "uint8", "u16": "uint16", "u32": "uint32", "u64": "uint64",
    "f16": "float16", "f32": "float32", "f64": "float64",
    "j_json": "json", "s_int": "str_int", "s_float": "str_float",
    "nd_dyn": "ndarray", "nd_i64": "ndarray:int64", "nd_u16": "ndarray:uint16",
    "nd_f32_fixed": "ndarray:float32:2,2", "nd_i8_fixed": "ndarray:int8:3",
    "é_unicode_name": "str",
}


def encoding_samples():
    big = [(-128, -2**15, -2**31, -2**63, 0, 0, 0, 0), (127, 2**15 - 1, 2**31 - 1, 2**63 - 1, 255, 65535, 2**32 - 1, 2**64 - 1)]
    for i in range(3):
        i8, i16, i32, i64, u8, u16, u32, u64 = big[i % 2]
        yield {
            "b_bytes": bytes(range(i, i + 5)), "c_str": ["", "plain", "tab\tquote\" üñí 🙂"][i],
            "d_int": [-(2**63), 2**63 - 1, 42][i],
            "i8": i8, "i16": i16, "i32": i32, "i64": i64, "u8": u8, "u16": u16, "u32": u32, "u64": u64,
            "f16": [0.5, -65504.0, 0.1][i], "f32": [0.1, -1e30, 3.5][i], "f64": [0.1, 1e-300, -2.5][i],
            "j_json": [{"a": [1, 2, {"b": None}], "z": "é"}, [True, 1.5], "x"][i],
            "s_int": [10**30 // 10**12, -5, 0][i], "s_float": [0.1, 1e16, -3.0][i],
            "nd_dyn": [np.arange(6, dtype=np.float64).reshape(2, 3) / 3, np.arange(300, dtype=np.int16), np.zeros((1, 1, 2), np.uint8)][i],
            "nd_i64": np.array([-(2**63), 2**63 - 1, i], np.int64),
            "nd_u16": np.arange(i + 1, dtype=np.uint16).reshape(1, i + 1),
            "nd_f32_fixed": np.array([[0.1, 2], [3, -4.25]], np.float32) * (i + 1),
            "nd_i8_fixed": np.array([-128, 0, 127], np.int8),
            "é_unicode_name": "ünï",
        }


def write(name, columns, samples, size_limit):
    out = os.path.join(ROOT, name)
    shutil.rmtree(out, ignore_errors=True)
    with MDSWriter(out=out, columns=columns, size_limit=size_limit) as w:
        for s in samples:
            w.write(s)
    # Expected values = what streaming's reader decodes, shard by shard.
    encodings = encodings_of(out)
    with open(os.path.join(out, "index.json")) as f:
        shards = json.load(f)["shards"]
    decoded = []
    for shard in shards:
        reader = MDSReader.from_json(out, None, shard)
        decoded += [typed_sample(reader.get_item(i), encodings) for i in range(shard["samples"])]
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump({"size_limit": size_limit, "shards": len(shards), "samples": decoded}, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"{name}: {len(decoded)} samples in {len(shards)} shards")


if __name__ == "__main__":
    write("prolong", {"input_ids": "ndarray:uint32", "indices": "ndarray:uint32", "domain": "str", "length": "int"},
          prolong_samples(), size_limit=700)
    write("encodings", ENCODINGS, encoding_samples(), size_limit=1900)
    # The same ProLong samples, zstd-compressed as ProLong's released data is: only .mds.zstd shards
    # are kept, so a reader must decompress; the expected samples are those of "prolong".
    out = os.path.join(ROOT, "prolong-zstd")
    shutil.rmtree(out, ignore_errors=True)
    with MDSWriter(out=out, columns={"input_ids": "ndarray:uint32", "indices": "ndarray:uint32", "domain": "str",
                                     "length": "int"}, size_limit=700, compression="zstd") as w:
        for s in prolong_samples():
            w.write(s)
    print("prolong-zstd:", sorted(os.listdir(out)))
