"""Load an MDS directory (e.g. one written by longctx) with the reference library and print every
sample as typed JSON (see mds_typed_json.py), proving the real StreamingDataset reads it.

  PYTHONPATH=scripts/tvstub .venv-mds/bin/python scripts/check_mds_with_streaming.py DIR
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from mds_typed_json import encodings_of, typed_sample  # noqa: E402

from streaming import StreamingDataset  # noqa: E402
from streaming.base.util import clean_stale_shared_memory  # noqa: E402


def main(directory):
    clean_stale_shared_memory()
    encodings = encodings_of(directory)
    ds = StreamingDataset(local=directory, shuffle=False, batch_size=1)
    samples = [typed_sample(ds[i], encodings) for i in range(len(ds))]
    print(json.dumps({"count": len(ds), "samples": samples}, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
