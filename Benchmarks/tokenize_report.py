#!/usr/bin/env python3
"""Markdown table from the JSON lines of reference_tokenize.py and `longctx bench-tokenize`.

  tokenize_report.py RESULTS.jsonl...   (stdlib only)

One row per tokenizer x threads: MB/s of each tool, the ratios longctx/HF and
longctx/tiktoken, load times, and a check that all tools counted the same tokens.
Exit status 1 when token counts disagree (a real bug, not a performance issue).
"""
import json, sys

TOOLS = ["longctx", "hf-tokenizers", "tiktoken"]


def load(paths):
    recs = {}
    for p in paths:
        with open(p) as f:
            for line in f:
                line = line.strip()
                if line.startswith("{"):
                    r = json.loads(line)
                    recs[(r["tokenizer"], int(r["threads"]), r["tool"])] = r
    return recs


def fmt(x):
    return f"{x:.2f}"


def has_tk(recs, tok):
    """Only tokenizers with a tiktoken form get a tiktoken column (not deepseek)."""
    return any(t == tok and tool == "tiktoken" for t, _, tool in recs)


def ratio(r, ref):
    if not (r["longctx"] and r[ref]):
        return "TBD"
    return f"{r['longctx']['mb_per_s'] / r[ref]['mb_per_s']:.2f}x"


def main():
    recs = load(sys.argv[1:])
    keys = sorted({(t, n) for t, n, _ in recs}, key=lambda k: (k[0] != "gpt2", k[0], k[1]))
    print("| tokenizer | threads | longctx MB/s | HF tokenizers MB/s | tiktoken MB/s "
          "| longctx / HF | longctx / tiktoken | load s (longctx / HF / tiktoken) | tokens |")
    print("|---|---:|---:|---:|---:|---:|---:|---|---|")
    mismatches = []
    for tok, n in keys:
        r = {tool: recs.get((tok, n, tool)) for tool in TOOLS}
        speed = lambda t: fmt(r[t]["mb_per_s"]) if r[t] else ("—" if t == "tiktoken" and not has_tk(recs, tok) else "TBD")
        loads = " / ".join("—" if v is None else f"{v['load_seconds']:.3f}" for v in r.values())
        counts = {t: v["tokens"] for t, v in r.items() if v}
        if len(set(counts.values())) > 1:
            mismatches.append((tok, n, counts))
            tokens = "**MISMATCH** " + ", ".join(f"{t} {c}" for t, c in counts.items())
        else:
            tokens = f"{next(iter(counts.values()))} ({' = '.join(counts)})"
        print(f"| {tok} | {n} | {speed('longctx')} | {speed('hf-tokenizers')} | {speed('tiktoken')} "
              f"| {ratio(r, 'hf-tokenizers')} | {ratio(r, 'tiktoken') if has_tk(recs, tok) else '—'} "
              f"| {loads} | {tokens} |")
    sizes = {r["bytes"] for r in recs.values()}
    if len(sizes) > 1:
        print(f"\n**WARNING: the tools read different amounts of input: {sorted(sizes)} bytes**")
    for tok, n, counts in mismatches:
        print(f"\n!!!!!!!! TOKEN COUNT MISMATCH on {tok}, {n} thread(s): {counts} !!!!!!!!")
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
