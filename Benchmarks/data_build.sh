#!/usr/bin/env bash
# End-to-end `longctx data build` throughput against (a) the same tokenizer alone (`longctx
# bench-tokenize`, same corpus) and (b) a Python reference pipeline doing the same job (json.loads,
# HF `tokenizers`, pretrain packing, mosaicml-streaming MDSWriter: Benchmarks/reference_pipeline.py).
#   Benchmarks/data_build.sh
# Env knobs: THREADS (default "1,<nproc>"), RUNS (2 rounds, best taken), TOKENIZERS ("deepseek"; "gpt2,deepseek"),
#   COMPRESSIONS ("none,zstd"), REF_THREADS ("<nproc>"; "" skips the reference), CORPUS
#   (.bench/corpus.jsonl), ZST_INPUT=1 (also build from a zstd-compressed copy of the corpus),
#   SKIP_BUILD=1 (use the existing binary), LONGCTX_BIN (time another binary),
#   SKIP_REFERENCE=1 (reuse the last reference results), SHARD_SIZE (bytes, 67108864 = MDSWriter's default:
#   the 60 MB corpus is then one shard, written at the end; 16777216 gives four, the steady state of a
#   large build where shards are written while encoding goes on).
# Results: .bench/results/data_build.jsonl and data_build.md; exit 1 when token counts differ
# (tokenizer alone, data build and reference) or when a build's shards differ from the reference's
# (uncompressed: byte for byte; zstd: decompressed, as libzstd versions differ in bytes).
set -uo pipefail
cd "$(dirname "$0")/.."

NPROC=$(nproc)
THREADS=${THREADS:-1,$NPROC}
RUNS=${RUNS:-2}
TOKENIZERS=${TOKENIZERS:-deepseek}
COMPRESSIONS=${COMPRESSIONS:-none,zstd}
REF_THREADS=${REF_THREADS-$NPROC}
CORPUS=${CORPUS:-.bench/corpus.jsonl}
SHARD_SIZE=${SHARD_SIZE:-67108864}
OUT=.bench/results
WORK=.bench/data_build
mkdir -p "$OUT" "$WORK"

model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
machine="$model, $NPROC cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sm); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $machine"
awk -v n="$NPROC" '{ if ($1 > 0.5) print "WARNING: load average " $1 " on " n " cores: other work will skew the timings" }' /proc/loadavg

# Inputs, as Benchmarks/tokenize.sh makes them.
[ -s "$CORPUS" ] || bash Benchmarks/make_corpus.sh "${CORPUS%.jsonl}.txt" || exit 1
if [ ! -x .venv-bench/bin/python ]; then
  python3 -m venv .venv-bench && .venv-bench/bin/pip install -q tokenizers==0.23.3 tiktoken==0.14.0 regex || exit 1
fi
PY=.venv-bench/bin/python
$PY Benchmarks/tokenizer_assets.py --check-mb 2 || { echo "tokenizer assets failed verification"; exit 1; }
# Reference: mosaicml-streaming lives in .venv-mds; tokenizers 0.23.3 comes from .venv-ref (see
# reference_pipeline.py for why).
REF_PY=.venv-mds/bin/python
export PYTHONPATH=${PYTHONPATH:+$PYTHONPATH:}/work/shared/tools/tvstub

# Release binary in its own scratch directory (CPU flags from scripts/build.sh).
BIN=${LONGCTX_BIN:-.build-bench/release/longctx}
if [ -z "${LONGCTX_BIN:-}" ] && [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "building longctx (release, .build-bench)..."
  BIN=$(bash scripts/build.sh --scratch-path .build-bench --product longctx 2> "$OUT/data_build.log") \
    || { tail -n 20 "$OUT/data_build.log"; echo "release build failed"; exit 1; }
fi
[ -x "$BIN" ] || { echo "$BIN missing"; exit 1; }

RES=$OUT/data_build.jsonl
[ "${SKIP_REFERENCE:-0}" = 1 ] && [ -s "$RES" ] && grep '"python-reference"' "$RES" > "$WORK/ref.keep" || : > "$WORK/ref.keep"
cp "$WORK/ref.keep" "$RES"

for tok in ${TOKENIZERS//,/ }; do
  path=$($PY -c "import sys; sys.path.insert(0, 'Benchmarks'); import tokenizer_assets as a; print(a.tokenizers_for_bench()['$tok'][0])")

  # Builds to time: (compression, input, threads); the .zst input is a diagnostic, one configuration (all
  # cores, uncompressed output).
  inputs=("$CORPUS")
  if [ "${ZST_INPUT:-0}" = 1 ]; then
    zst=$WORK/$(basename "$CORPUS").zst
    [ -s "$zst" ] && [ "$zst" -nt "$CORPUS" ] || zstd -q -3 -f "$CORPUS" -o "$zst" || exit 1
    inputs+=("$zst")
  fi
  configs=()
  for comp in ${COMPRESSIONS//,/ }; do
    for input in "${inputs[@]}"; do
      for n in ${THREADS//,/ }; do
        [ "$input" != "$CORPUS" ] && { [ "$comp" != none ] || [ "$n" != "$NPROC" ]; } && continue
        configs+=("$comp|$input|$n")
      done
    done
  done

  # (a) the tokenizer alone (bench-tokenize: one encode of the whole corpus after a warm-up, load excluded) and
  # (b) data build (wall time of the whole process: tokenizer load, read, tokenize, pack, write, manifest; a
  # fresh --out each time), in RUNS rounds that each time everything once, best of the rounds kept. Rounds
  # interleave the two because this machine's speed drifts by 10-20% over minutes: timing all of (a) and then
  # all of (b) compared two different machines.
  : > "$WORK/alone.jsonl"; : > "$WORK/times.txt"
  tokens=
  for r in $(seq "$RUNS"); do
    for n in ${THREADS//,/ }; do
      echo "# tokenizer alone: $tok threads=$n round $r" >&2
      "$BIN" bench-tokenize --tokenizer "$path" --input "$CORPUS" --threads "$n" --repeat 1 | grep '^{' | tail -n 1 >> "$WORK/alone.jsonl"
    done
    # Budget a little above the corpus's token count: the source runs out and every document is read.
    [ -n "$tokens" ] || tokens=$($PY -c "import json,sys; print(max(json.loads(l)['tokens'] for l in open(sys.argv[1])) * 102 // 100)" "$WORK/alone.jsonl")
    for cfg in "${configs[@]}"; do
      IFS='|' read -r comp input n <<< "$cfg"
      recipe=Benchmarks/recipes/pretrain_8k.yaml
      [ "$comp" = zstd ] && recipe=Benchmarks/recipes/pretrain_8k_zstd.yaml
      dir=$WORK/out-$tok-$comp-$n-$(basename "$input")
      rm -rf "$dir"
      echo "# data build: $tok compression=$comp input=$input threads=$n round $r" >&2
      /usr/bin/time -o "$WORK/time.txt" -f "%e %U %S" \
        "$BIN" data build --recipe "$recipe" --out "$dir" --threads "$n" --set corpus="$input" \
        --set tokenizer="$path" --set tokens="$tokens" --set shard_size="$SHARD_SIZE" > "$WORK/build.txt" 2>&1 || { cat "$WORK/build.txt"; exit 1; }
      echo "$cfg $(cat "$WORK/time.txt")" >> "$WORK/times.txt"
    done
  done
  $PY - "$WORK/alone.jsonl" "$tok" >> "$RES" <<'EOF'
import json, sys
best = {}
for r in (json.loads(l) for l in open(sys.argv[1]) if l.strip()):
    if r["threads"] not in best or r["seconds"] < best[r["threads"]]["seconds"]: best[r["threads"]] = r
for r in best.values():
    r.update(tool="bench-tokenize", tokenizer=sys.argv[2])
    print(json.dumps(r))
EOF
  for cfg in "${configs[@]}"; do
    IFS='|' read -r comp input n <<< "$cfg"
    read -r best cpu <<< "$(awk -v c="$cfg" '$1 == c && (b == "" || $2 < b) { b = $2; u = $3 + $4 } END { print b, u }' "$WORK/times.txt")"
    dir=$WORK/out-$tok-$comp-$n-$(basename "$input")  # the last round's output: every round writes the same
    $PY - "$dir" "$tok" "$n" "$comp" "$input" "$best" "$cpu" >> "$RES" <<'EOF'
import hashlib, json, os, subprocess, sys
def content(path):  # zstd shards are compared decompressed (libzstd versions differ in bytes)
    return subprocess.run(["zstd", "-dc", path], check=True, capture_output=True).stdout if path.endswith(".zstd") else open(path, "rb").read()
d, tok, n, comp, inp, s, cpu = sys.argv[1:]
m = json.load(open(os.path.join(d, "manifest.json")))
st = m["stages"][0]; src = st["sources"][0]; f = st["inputs"][0]["files"][0]
sdir = os.path.join(d, st["name"], src["name"])
shards = sorted(x for x in os.listdir(sdir) if x.startswith("shard."))
sha = hashlib.sha256()
for x in shards: sha.update(content(os.path.join(sdir, x)))
s = float(s)
print(json.dumps({"tool": "data-build", "tokenizer": tok, "threads": int(n), "compression": comp, "input": inp,
    "documents": st["inputs"][0]["documents_read"], "bytes": f["text_bytes"], "tokens": src["document_tokens"],
    "sequences": st["sequences"], "tokens_written": st["tokens"], "tokens_dropped": src["partial_tokens_discarded"],
    "seconds": s, "cpu_seconds": float(cpu), "mb_per_s": f["text_bytes"] / s / 1e6, "tokens_per_s": src["document_tokens"] / s,
    "shards_sha256": sha.hexdigest(), "shard_bytes": sum(os.path.getsize(os.path.join(sdir, x)) for x in shards),
    "loadavg_1m": float(open("/proc/loadavg").read().split()[0])}))
EOF
  done

  for comp in ${COMPRESSIONS//,/ }; do
    # (c) the reference, same tokenizer file, same corpus, same columns and compression.
    if [ "${SKIP_REFERENCE:-0}" != 1 ] || ! grep -q "\"python-reference\".*\"$tok\".*\"compression\": \"$comp\", \"shard_size\": $SHARD_SIZE," "$RES"; then
      for n in ${REF_THREADS//,/ }; do
        best=; bestline=
        for r in $(seq "$RUNS"); do
          dir=$WORK/ref-$tok-$comp-$n
          rm -rf "$dir"
          echo "# reference pipeline: $tok compression=$comp threads=$n run $r" >&2
          line=$($REF_PY Benchmarks/reference_pipeline.py --corpus "$CORPUS" --tokenizer "$path" --out "$dir" \
                   --threads "$n" --compression "$comp" --size-limit "$SHARD_SIZE" | grep '^{' | tail -n 1) || exit 1
          s=$($PY -c "import json,sys; print(json.loads(sys.argv[1])['seconds'])" "$line")
          if [ -z "$best" ] || [ "$(echo "$s < $best" | bc)" = 1 ]; then best=$s; bestline=$line; fi
        done
        $PY - "$dir" "$tok" "$bestline" >> "$RES" <<'EOF'
import hashlib, json, os, subprocess, sys
def content(path):  # zstd shards are compared decompressed (libzstd versions differ in bytes)
    return subprocess.run(["zstd", "-dc", path], check=True, capture_output=True).stdout if path.endswith(".zstd") else open(path, "rb").read()
d, tok, line = sys.argv[1:]
r = json.loads(line)
shards = sorted(x for x in os.listdir(d) if x.startswith("shard."))
sha = hashlib.sha256()
for x in shards: sha.update(content(os.path.join(d, x)))
r.update(tokenizer=tok, input=r.get("input", ""), shards_sha256=sha.hexdigest(),
         shard_bytes=sum(os.path.getsize(os.path.join(d, x)) for x in shards),
         loadavg_1m=float(open("/proc/loadavg").read().split()[0]))
print(json.dumps(r))
EOF
      done
    fi
  done
done

# (d) the table; exit 1 on a token count or shard mismatch.
{
  echo "Machine: $machine"
  echo "Corpus: $CORPUS, $(wc -l < "$CORPUS") documents; shard size $SHARD_SIZE bytes"
  echo
  $PY - "$RES" "$NPROC" "$SHARD_SIZE" <<'EOF'
import json, sys
# Reference rows of other shard sizes (kept by SKIP_REFERENCE) are not this run's; rows from before the
# knob existed used MDSWriter's default.
rows = [r for r in (json.loads(l) for l in open(sys.argv[1]) if l.strip())
        if r["tool"] != "python-reference" or r.get("shard_size", 1 << 26) == int(sys.argv[3])]
nproc = int(sys.argv[2])
ok = True
tok_alone = {(r["tokenizer"], r["threads"]): r for r in rows if r["tool"] == "bench-tokenize"}
ref = {(r["tokenizer"], r["compression"], r["threads"]): r for r in rows if r["tool"] == "python-reference"}
# "/ tokenizer alone" compares wall times as measured (the build's includes loading the tokenizer,
# bench-tokenize's excludes it); "load excluded" subtracts bench-tokenize's own load time from the
# build's, comparing the steady state both ways.
print("| tokenizer | what | output | threads | seconds | CPU s | MB/s | Mtokens/s | / tokenizer alone | / tokenizer alone, load excluded | / Python reference | tokens encoded | tokens written |")
print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
def mtok(r): return r["tokens"] / r["seconds"] / 1e6
for r in rows:
    t = r["tokenizer"]
    if r["tool"] == "bench-tokenize":
        print(f"| {t} | tokenizer alone (`bench-tokenize`, load {r['load_seconds']:.2f} s excluded) | — | {r['threads']} | {r['seconds']:.2f} | | {r['mb_per_s']:.2f} | {mtok(r):.2f} | 1.00 | 1.00 | | {r['tokens']:,} | — |")
for r in rows:
    t = r["tokenizer"]
    if r["tool"] != "data-build": continue
    a = tok_alone.get((t, r["threads"]))
    p = ref.get((t, r["compression"], r["threads"])) or ref.get((t, r["compression"], nproc))
    what = "`data build`" + (f" from {r['input'].rsplit('/', 1)[-1]}" if r["input"].endswith(".zst") else "")
    ra = f"{r['mb_per_s'] / a['mb_per_s']:.0%}" if a else ""
    rl = f"{r['mb_per_s'] * r['seconds'] / (r['seconds'] - a['load_seconds']) / a['mb_per_s']:.0%}" if a else ""
    rp = f"{r['mb_per_s'] / p['mb_per_s']:.1f}x" + ("" if p["threads"] == r["threads"] else f" (vs {p['threads']} thr)") if p else ""
    print(f"| {t} | {what} | {r['compression']} | {r['threads']} | {r['seconds']:.2f} | {r['cpu_seconds']:.2f} | {r['mb_per_s']:.2f} | {mtok(r):.2f} | {ra} | {rl} | {rp} | {r['tokens']:,} | {r['tokens_written']:,} |")
    if a and a["tokens"] != r["tokens"]:
        ok = False; print(f"MISMATCH: {t}: data build encoded {r['tokens']} tokens, tokenizer alone {a['tokens']}")
    if p and (p["tokens"], p["tokens_written"]) != (r["tokens"], r["tokens_written"]):
        ok = False; print(f"MISMATCH: {t} {r['compression']}: data build {r['tokens']}/{r['tokens_written']} tokens, reference {p['tokens']}/{p['tokens_written']}")
    if p and p["shards_sha256"] != r["shards_sha256"]:
        ok = False; print(f"MISMATCH: {t} {r['compression']} threads={r['threads']}: shards differ from the reference's")
for r in ref.values():  # the newest reference row of each configuration
    print(f"| {r['tokenizer']} | Python reference (tokenizers {r['tokenizers_version']}, streaming MDSWriter) | {r['compression']} | {r['threads']} | {r['seconds']:.2f} | {r.get('cpu_seconds', 0):.2f} | {r['mb_per_s']:.2f} | {mtok(r):.3f} | {r['mb_per_s'] / tok_alone[(r['tokenizer'], r['threads'])]['mb_per_s']:.0%} | | 1.0x | {r['tokens']:,} | {r['tokens_written']:,} |" if (r['tokenizer'], r['threads']) in tok_alone else "")
if ok:
    print()
    print("Token counts: tokenizer alone = data build" + (" = reference (encoded and written); data build shards identical to the reference MDSWriter's (byte for byte uncompressed; zstd shards compared decompressed)." if ref else "."))
sys.exit(0 if ok else 1)
EOF
} | tee "$OUT/data_build.md"
exit "${PIPESTATUS[0]}"
