#!/usr/bin/env python3
"""Time the reference tokenizers (HF `tokenizers`, `tiktoken`) on the benchmark corpus.

Prints one JSON line per (tool, tokenizer, threads):
  {"tool","tokenizer","threads","bytes","tokens","seconds","mb_per_s","load_seconds"}
seconds = best of --runs timed batch encodes of the whole corpus after a warm-up;
MB = 10^6 bytes of UTF-8 input; load_seconds = best of 3 loads of the tokenizer file;
extra fields: cpu_seconds = process CPU time of the best run and loadavg_1m = the 1-minute
load average after the runs, to spot a busy machine (cpu_seconds well under threads x
seconds) or a "single-thread" run that was not.

Each configuration runs in its own process: rayon reads RAYON_NUM_THREADS once, when
its thread pool starts, so 1 and N threads cannot share a process.

  .venv-bench/bin/python Benchmarks/reference_tokenize.py [--threads 1,2] [--tokenizers gpt2,deepseek]
"""
import argparse, json, os, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tokenizer_assets as assets


def best_of(n, fn):
    best = float("inf")
    for _ in range(n):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def run_one(tool, name, threads, corpus, runs, warmup_mb):
    """Measure one configuration in this process; returns the JSON record."""
    path, tiktoken_factory = assets.tokenizers_for_bench()[name]
    docs = assets.read_docs(corpus)
    nbytes = sum(len(d.encode()) for d in docs)
    warm = assets.read_docs(corpus, limit_bytes=int(warmup_mb * 1e6))
    if tool == "hf-tokenizers":
        from tokenizers import Tokenizer
        load, tok = best_of(3, lambda: Tokenizer.from_file(path))
        encode = lambda d: tok.encode_batch(d, add_special_tokens=False)
        count = lambda out: sum(len(e.ids) for e in out)
    else:
        load, enc = best_of(3, tiktoken_factory)
        encode = lambda d: enc.encode_ordinary_batch(d, num_threads=threads)
        count = lambda out: sum(map(len, out))
    encode(warm)  # fills caches (HF keeps a per-word BPE cache), pages in the code
    tokens, best, cpu = 0, float("inf"), 0.0
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        out = encode(docs)
        dt = time.perf_counter() - t
        if dt < best:
            best, cpu = dt, time.process_time() - c
        tokens = count(out)
        del out  # HF Encoding objects for 60 MB take GBs: free before the next run
    return {"tool": tool, "tokenizer": name, "threads": threads, "bytes": nbytes, "tokens": tokens,
            "seconds": round(best, 4), "mb_per_s": round(nbytes / 1e6 / best, 3),
            "load_seconds": round(load, 4), "cpu_seconds": round(cpu, 4),
            "loadavg_1m": float(open("/proc/loadavg").read().split()[0])}


def child_env(tool, threads):
    env = dict(os.environ, RAYON_NUM_THREADS=str(threads))
    if tool == "hf-tokenizers":
        # With parallelism off encode_batch is a plain loop on the calling thread.
        env["TOKENIZERS_PARALLELISM"] = "true" if threads > 1 else "false"
    return env


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=assets.CORPUS)
    ap.add_argument("--tokenizers", default="gpt2,deepseek")
    ap.add_argument("--tools", default="hf-tokenizers,tiktoken")
    ap.add_argument("--threads", default=f"1,{os.cpu_count()}")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--warmup-mb", type=float, default=8.0, help="corpus prefix encoded once before timing")
    ap.add_argument("--one", nargs=3, metavar=("TOOL", "TOKENIZER", "THREADS"), help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.one:
        tool, name, threads = args.one
        rec = run_one(tool, name, int(threads), args.corpus, args.runs, args.warmup_mb)
        print(json.dumps(rec), flush=True)
        return

    assets.ensure_assets()
    threads = sorted({int(t) for t in args.threads.split(",")})
    for name in args.tokenizers.split(","):
        for tool in args.tools.split(","):
            if tool == "tiktoken" and assets.tokenizers_for_bench()[name][1] is None:
                continue  # no tiktoken form of this tokenizer
            for n in threads:
                print(f"# {tool} {name} threads={n}", file=sys.stderr, flush=True)
                cmd = [sys.executable, __file__, "--corpus", args.corpus, "--runs", str(args.runs),
                       "--warmup-mb", str(args.warmup_mb), "--one", tool, name, str(n)]
                subprocess.run(cmd, env=child_env(tool, n), check=True)


if __name__ == "__main__":
    main()
