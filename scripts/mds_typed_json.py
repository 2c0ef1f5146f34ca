"""Turn decoded MDS samples (as streaming returns them) into typed JSON the Swift tests read.

Numbers are written as strings so 64-bit integers and float bits survive any JSON parser.
Shared by make_mds_fixture.py and check_mds_with_streaming.py.
"""
import json

import numpy as np


def typed(value, encoding):
    if isinstance(value, np.ndarray):
        return {"t": "array", "dtype": value.dtype.name, "shape": list(value.shape),
                "v": [repr(float(x)) if value.dtype.kind == "f" else str(int(x)) for x in value.reshape(-1).tolist()]}
    if encoding == "json":
        return {"t": "json", "v": json.dumps(value)}
    if isinstance(value, (bytes, bytearray)):
        return {"t": "bytes", "v": bytes(value).hex()}
    if isinstance(value, str):
        return {"t": "str", "v": value}
    if isinstance(value, (np.floating, float)):
        return {"t": "double", "v": repr(float(value))}
    if isinstance(value, np.unsignedinteger):
        return {"t": "uint", "v": str(int(value))}
    if isinstance(value, (np.signedinteger, int)):
        return {"t": "int", "v": str(int(value))}
    raise TypeError(f"cannot describe {type(value)}")


def typed_sample(sample, encodings):
    return {k: typed(sample[k], encodings[k]) for k in sorted(encodings)}


def encodings_of(directory):
    with open(f"{directory}/index.json") as f:
        shard = json.load(f)["shards"][0]
    return dict(zip(shard["column_names"], shard["column_encodings"]))
