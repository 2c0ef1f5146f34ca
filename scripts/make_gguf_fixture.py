#!/usr/bin/env python3
"""Write Tests/Fixtures/gguf/small.gguf with the reference writer (PyPI `gguf`)
plus small.json describing exactly what was written, so the Swift reader can be
checked against an independent implementation.

    pip install gguf numpy
    python3 scripts/make_gguf_fixture.py [out_dir]

JSON layout: every metadata value is a node {"type": <gguf type name>, "value": ...};
array nodes hold a list of nodes. Floats are written as the exact double of the
stored float32/float16 so the comparison can be bit-exact.
"""
import json
import os
import sys

import numpy as np
from gguf import GGUFReader, GGUFValueType as T, GGUFWriter, GGML_QUANT_SIZES

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "Tests", "Fixtures", "gguf")

F32 = lambda x: float(np.float32(x))  # noqa: E731  value as actually stored


def node(vtype, value, sub=None):
    """JSON node for a value; `sub` is the element type of an array (or a nested spec)."""
    name = vtype.name.lower()
    if vtype == T.ARRAY:
        return {"type": "array", "value": [node(sub, v) if not isinstance(sub, tuple) else node(*sub, v) for v in value]}
    if vtype == T.FLOAT32:
        value = F32(value)
    return {"type": name, "value": value}


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, "small.gguf")
    w = GGUFWriter(path, "testarch")
    expected = [("general.architecture", {"type": "string", "value": "testarch"})]

    def kv(key, vtype, value, sub=None):
        w.add_key_value(key, value, vtype, sub_type=sub if not isinstance(sub, tuple) else None)
        expected.append((key, node(vtype, value, sub)))

    w.add_custom_alignment(64)
    expected.append(("general.alignment", {"type": "uint32", "value": 64}))

    kv("test.uint8", T.UINT8, 200)
    kv("test.int8", T.INT8, -100)
    kv("test.uint16", T.UINT16, 65000)
    kv("test.int16", T.INT16, -32000)
    kv("test.uint32", T.UINT32, 4_000_000_000)
    kv("test.int32", T.INT32, -2_000_000_000)
    kv("test.float32", T.FLOAT32, 3.14159)
    kv("test.bool_true", T.BOOL, True)
    kv("test.bool_false", T.BOOL, False)
    kv("test.string", T.STRING, "héllo wörld 日本語 🦙")
    kv("test.empty_string", T.STRING, "")
    kv("test.uint64", T.UINT64, 2**64 - 1)
    kv("test.int64", T.INT64, -(2**63))
    kv("test.float64", T.FLOAT64, 2.718281828459045)

    kv("test.arr.strings", T.ARRAY, ["a", "Ġhello", "ñ", "中文", "🦙🦙", "", "line\nbreak"], T.STRING)
    kv("test.arr.float32", T.ARRAY, [0.0, -1.5, 1e-7, 3.4e38, 0.1], T.FLOAT32)
    kv("test.arr.int32", T.ARRAY, [1, -2, 2**31 - 1, -(2**31)], T.INT32)
    kv("test.arr.uint32", T.ARRAY, [0, 1, 2**32 - 1], T.UINT32)
    kv("test.arr.uint8", T.ARRAY, [0, 127, 255], T.UINT8)
    kv("test.arr.int64", T.ARRAY, [-(2**63), 0, 2**63 - 1], T.INT64)
    kv("test.arr.float64", T.ARRAY, [1.0 / 3.0, -0.0, 1e300], T.FLOAT64)
    kv("test.arr.bool", T.ARRAY, [True, False, True], T.BOOL)
    # Nested arrays: the writer infers inner element types (int -> int32, str -> string,
    # float -> float32), and inner arrays may differ in type.
    w.add_array("test.arr.nested", [[1, 2, 3], [4]])
    expected.append(("test.arr.nested", {"type": "array", "value": [
        node(T.ARRAY, [1, 2, 3], T.INT32), node(T.ARRAY, [4], T.INT32)]}))
    w.add_array("test.arr.nested_mixed", [["x", "ÿ"], [1.5]])
    expected.append(("test.arr.nested_mixed", {"type": "array", "value": [
        node(T.ARRAY, ["x", "ÿ"], T.STRING), node(T.ARRAY, [1.5], T.FLOAT32)]}))
    w.add_array("test.arr.nested3", [[[7, 8]], [[9]]])
    expected.append(("test.arr.nested3", {"type": "array", "value": [
        {"type": "array", "value": [node(T.ARRAY, [7, 8], T.INT32)]},
        {"type": "array", "value": [node(T.ARRAY, [9], T.INT32)]}]}))

    # numpy shape (rows, cols) is stored reversed: ggml ne0 = cols.
    t32 = (np.arange(12, dtype=np.float32).reshape(3, 4) - 5.5) / 3
    t16 = np.array([0.5, -2.0, 65504.0, 1e-3, 0.0, 1.0, -1.0, 3.140625], dtype=np.float16).reshape(2, 4)
    w.add_tensor("tensor.f32", t32)
    w.add_tensor("tensor.f16", t16)

    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()

    # Read back with the reference reader for layout facts and a sanity check.
    r = GGUFReader(path)
    keys = [k for k in r.fields if not k.startswith("GGUF.")]
    assert keys == [k for k, _ in expected], (keys, [k for k, _ in expected])
    tensors = []
    for t, arr, ggml in zip(r.tensors, (t32, t16), ("F32", "F16")):
        tensors.append({
            "name": t.name,
            "type": ggml,
            "shape": [int(d) for d in t.shape],  # ggml order
            "offset": int(t.data_offset),
            "n_bytes": int(t.n_bytes),
            "values": [float(v) for v in arr.reshape(-1)],
        })
        assert np.array_equal(np.asarray(t.data).reshape(-1), arr.reshape(-1))

    doc = {
        "version": 3,
        "alignment": int(r.alignment),
        "data_offset": int(r.data_offset),
        "file_size": os.path.getsize(path),
        "metadata": [{"key": k, **v} for k, v in expected],
        "tensors": tensors,
        # Reference block layouts: ggml type id -> [block size, bytes per block].
        "quant_sizes": {str(int(k)): list(v) for k, v in GGML_QUANT_SIZES.items()},
    }
    with open(os.path.join(OUT_DIR, "small.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {path} ({doc['file_size']} bytes) and small.json")


if __name__ == "__main__":
    main()
