"""Reads a `longctx data build` output with mosaicml-streaming, the library ProLong trains from,
and prints a JSON summary per dataset (each stage, and each source stream of it): sample count,
tokens, documents, domains, and a SHA-256 over every sample's input_ids and indices bytes in order.
The Swift test suite computes the same summary with its own reader and compares. It also loads
each stage the way ProLong's training does (one Stream per source with a proportion, shuffled)
and checks the columns of the samples it yields.

  PYTHONPATH=scripts/tvstub .venv-mds/bin/python scripts/check_build_with_streaming.py OUT
"""
import hashlib
import json
import os
import sys

import numpy as np
from streaming import Stream, StreamingDataset
from streaming.base.util import clean_stale_shared_memory


def summary(local):
    clean_stale_shared_memory()
    ds = StreamingDataset(local=local, shuffle=False, batch_size=1)
    digest = hashlib.sha256()
    tokens = documents = 0
    domains = {}
    for i in range(len(ds)):
        s = ds[i]
        ids, idx = s["input_ids"], s["indices"]
        assert ids.dtype == np.uint32 and idx.dtype == np.uint32 and idx.ndim == 2 and idx.shape[1] == 2, local
        assert s["length"] == len(ids), local
        digest.update(ids.tobytes())
        digest.update(idx.tobytes())
        tokens += len(ids)
        documents += len(idx)
        domains[s["domain"]] = domains.get(s["domain"], 0) + 1
    return {"count": len(ds), "tokens": tokens, "documents": documents, "domains": domains, "sha256": digest.hexdigest()}


def prolong_style(stage_dir, sources):
    """One Stream per source with its share, shuffled, as ProLong's build_dataset does."""
    clean_stale_shared_memory()
    streams = [Stream(local=os.path.join(stage_dir, s["name"]), proportion=s["achieved_proportion"])
               for s in sources if s["sequences"] > 0]
    ds = StreamingDataset(streams=streams, shuffle=True, shuffle_seed=1, batch_size=1, epoch_size=16)
    seen = 0
    for sample in ds:
        for a, b in sample["indices"]:  # ProLong's collator iterates (start, end) pairs
            assert 0 <= a < b <= len(sample["input_ids"])
        seen += 1
    return seen


def main(out):
    manifest = json.load(open(os.path.join(out, "manifest.json")))
    result = {}
    for stage in manifest["stages"]:
        stage_dir = os.path.join(out, stage["name"])
        result[stage["name"]] = summary(stage_dir)
        for source in stage["sources"]:
            result[stage["name"] + "/" + source["name"]] = summary(os.path.join(stage_dir, source["name"]))
        result[stage["name"] + " (prolong streams)"] = prolong_style(stage_dir, stage["sources"])
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1])
