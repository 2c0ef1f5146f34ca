"""Reference for `longctx data build` (see Benchmarks/data_build.sh): the same job done the usual
Python way, ProLong-style. Reads the jsonl line by line (json.loads), tokenizes with HF
`tokenizers` (Tokenizer.from_file, encode_batch on batches of --batch documents,
add_special_tokens=False; multi-threaded through rayon when --threads > 1), concatenates the
documents into --seq-len token sequences carrying the overflowing document's remainder over to the
next sequence (ProLong's short-data packing), records each sequence's (start, end) document spans,
and writes them with mosaicml-streaming's MDSWriter in ProLong's columns. The partial last
sequence is dropped. Prints one JSON line: bytes of text, tokens encoded, sequences, seconds, MB/s.

  PYTHONPATH=/work/shared/tools/tvstub .venv-mds/bin/python Benchmarks/reference_pipeline.py \
      --corpus .bench/corpus.jsonl --tokenizer .assets/deepseek/tokenizer.json --out OUT \
      --threads 2 --compression none

Runs in .venv-mds (mosaicml-streaming, CPU torch), but takes `tokenizers` from --tokenizers-site
(default .venv-ref: tokenizers 0.23.3, the version Benchmarks/tokenize.sh measures). .venv-mds
keeps its own tokenizers 0.22.2 because its transformers (imported by streaming) refuses 0.23.x,
so 0.23.3 is imported first and its path removed before streaming is imported: the version check
then reads .venv-mds's metadata while the loaded module stays 0.23.3 (printed in the JSON line).
Time covers tokenizer load, reading, tokenizing, packing and writing (not Python's start-up or the
imports, about 3 s for torch).
"""
import argparse
import glob
import json
import os
import sys
import time


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    default_site = sorted(glob.glob(os.path.join(root, ".venv-ref/lib/python3*/site-packages")))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(root, ".bench/corpus.jsonl"))
    ap.add_argument("--field", default="text")
    ap.add_argument("--tokenizer", default=os.path.join(root, ".assets/deepseek/tokenizer.json"))
    ap.add_argument("--out", required=True, help="output directory (must not exist)")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--compression", default="none", help="none or zstd (MDSWriter's compression)")
    ap.add_argument("--seq-len", type=int, default=8192)
    ap.add_argument("--size-limit", type=int, default=1 << 26, help="MDSWriter's size_limit (shard size in bytes)")
    ap.add_argument("--batch", type=int, default=1024, help="documents per encode_batch call")
    ap.add_argument("--domain", default="corpus", help="the domain column (longctx: the source's domain)")
    ap.add_argument("--tokenizers-site", default=default_site[0] if default_site else "",
                    help="site-packages to import `tokenizers` from ('' = this venv's)")
    args = ap.parse_args()
    if os.path.exists(args.out):
        sys.exit(f"{args.out} exists: remove it first")

    # rayon reads these once, at the first parallel call.
    os.environ["TOKENIZERS_PARALLELISM"] = "true" if args.threads > 1 else "false"
    os.environ["RAYON_NUM_THREADS"] = str(args.threads)
    if args.tokenizers_site:
        sys.path.insert(0, args.tokenizers_site)
    import tokenizers
    from tokenizers import Tokenizer
    if args.tokenizers_site:
        sys.path.remove(args.tokenizers_site)
    import numpy as np
    from streaming import MDSWriter

    columns = {"input_ids": "ndarray:uint32", "indices": "ndarray:uint32", "domain": "str", "length": "int"}
    L = args.seq_len
    start, cpu_start = time.perf_counter(), time.process_time()
    tok = Tokenizer.from_file(args.tokenizer)
    load_seconds = time.perf_counter() - start

    text_bytes = documents = tokens = sequences = 0
    buf, spans = [], []
    writer = MDSWriter(out=args.out, columns=columns, size_limit=args.size_limit,
                       compression=None if args.compression == "none" else args.compression)

    def pack(ids):
        nonlocal buf, spans, sequences
        pos, n = 0, len(ids)
        while pos < n:
            take = min(L - len(buf), n - pos)
            spans.append((len(buf), len(buf) + take))
            buf.extend(ids[pos:pos + take])
            pos += take
            if len(buf) == L:
                writer.write({"input_ids": np.array(buf, dtype=np.uint32),
                              "indices": np.array(spans, dtype=np.uint32).reshape(-1, 2),
                              "domain": args.domain, "length": L})
                sequences += 1
                buf, spans = [], []

    def flush(batch):
        nonlocal tokens
        for enc in tok.encode_batch(batch, add_special_tokens=False):
            ids = enc.ids
            tokens += len(ids)
            pack(ids)

    batch = []
    with open(args.corpus, "rb") as f:
        for line in f:
            if not line.strip():
                continue
            text = json.loads(line)[args.field]
            text_bytes += len(text.encode("utf-8"))
            documents += 1
            batch.append(text)
            if len(batch) == args.batch:
                flush(batch)
                batch = []
    if batch:
        flush(batch)
    writer.finish()
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    print(json.dumps({
        "tool": "python-reference", "tokenizers_version": tokenizers.__version__,
        "tokenizer": args.tokenizer, "threads": args.threads, "compression": args.compression,
        "shard_size": args.size_limit,
        "documents": documents, "bytes": text_bytes, "tokens": tokens, "sequences": sequences,
        "tokens_written": sequences * L, "tokens_dropped": tokens - sequences * L,
        "seconds": seconds, "cpu_seconds": cpu_seconds, "load_seconds": load_seconds,
        "mb_per_s": text_bytes / seconds / 1e6, "tokens_per_s": tokens / seconds}))


if __name__ == "__main__":
    main()
