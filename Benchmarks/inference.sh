#!/usr/bin/env bash
# Prefill and greedy decode of SmolLM2-135M (f32) on CPU, longctx (`longctx bench-generate`) against PyTorch +
# transformers (Benchmarks/inference_reference.py): the same model directory, the same prompt ids, the same
# threads; every length runs in its own process on both sides, so each peak RSS is that length's own.
#   Benchmarks/inference.sh
# The model directory .bench/inference/smollm2-135m-f32 is converted from the GGUF in .assets/smollm2 with
# `longctx convert --dtype f32` when missing. The prompt ids (.bench/inference/prompt_ids.json) are made once
# by longctx's tokenizer from TEXT and read by both tools.
# Env knobs: THREADS ("<nproc>"), LENGTHS ("2048,8192,32768"), STEPS (32 decode steps), RUNS (2 rounds, each
#   longctx then PyTorch), PREFILL_CHUNK (2048, ours), REF_PREFILL ("whole": PyTorch prefills with one forward;
#   "chunked" runs it PREFILL_CHUNK at a time through its DynamicCache; "whole,chunked" both), BATCH (4; 0 skips
#   the batched decode) and BATCH_LENGTH (2048), TEXT (.bench/corpus.txt, else the repository's Markdown),
#   IDS (the prompt ids file), GGUF, SKIP_BUILD=1, SKIP_REFERENCE=1, LONGCTX_BIN.
# Results: .bench/results/inference.jsonl (one JSON line per length and run) and inference.md (the tables).
set -uo pipefail
cd "$(dirname "$0")/.."

NPROC=$(nproc)
THREADS=${THREADS:-$NPROC}
LENGTHS=${LENGTHS:-2048,8192,32768}
STEPS=${STEPS:-32}
RUNS=${RUNS:-2}
PREFILL_CHUNK=${PREFILL_CHUNK:-2048}
REF_PREFILL=${REF_PREFILL:-whole}
BATCH=${BATCH:-4}
BATCH_LENGTH=${BATCH_LENGTH:-2048}
GGUF=${GGUF:-.assets/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf}
OUT=.bench/results
WORK=.bench/inference
MODEL=$WORK/smollm2-135m-f32
IDS=${IDS:-$WORK/prompt_ids.json}
mkdir -p "$OUT" "$WORK"
RES=$OUT/inference.jsonl
: > "$RES"

model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
machine="$model, $NPROC cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sm); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $machine"
awk -v n="$NPROC" '{ if ($1 > 0.5) print "WARNING: load average " $1 " on " n " cores: other work will skew the timings" }' /proc/loadavg

PY=.venv-torch/bin/python  # torch 2.13.0+cpu, transformers 5.23
[ "${SKIP_REFERENCE:-0}" = 1 ] || [ -x "$PY" ] || { echo "$PY missing (torch==2.13.0+cpu, transformers 5.x)"; exit 1; }

BIN=${LONGCTX_BIN:-.build-bench/release/longctx}
if [ -z "${LONGCTX_BIN:-}" ] && [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "building longctx (release, .build-bench)..."
  BIN=$(bash scripts/build.sh --scratch-path .build-bench --product longctx 2> "$OUT/inference.log") \
    || { tail -n 20 "$OUT/inference.log"; echo "release build failed"; exit 1; }
fi
[ -x "$BIN" ] || { echo "$BIN missing"; exit 1; }

if [ ! -f "$MODEL/config.json" ]; then
  [ -f "$GGUF" ] || { echo "$GGUF missing (SmolLM2-135M-Instruct GGUF)"; exit 1; }
  "$BIN" convert "$GGUF" "$MODEL" --dtype f32 --force || { echo "conversion failed"; exit 1; }
fi

# The text the prompt ids come from (only read when $IDS does not exist yet).
TEXT=${TEXT:-.bench/corpus.txt}
if [ ! -f "$TEXT" ]; then
  TEXT=$WORK/text.md
  cat README.md BENCHMARKS.md $(find Sources -name '*.swift' | sort) > "$TEXT"
fi

# run KIND ROUND: one invocation (a child process per length and one for the batch), its JSON lines to $RES.
run() {
  local kind=$1 round=$2 load out
  load=$(cut -d' ' -f1 /proc/loadavg)
  echo "# round $round: $kind (load $load)" >&2
  case $kind in
    longctx) out=$("$BIN" bench-generate --model "$MODEL" --prompt-ids "$IDS" --text "$TEXT" --lengths "$LENGTHS" \
               --threads "$THREADS" --prefill-chunk "$PREFILL_CHUNK" --decode-steps "$STEPS" --batch "$BATCH" \
               --batch-length "$BATCH_LENGTH") ;;
    whole) out=$("$PY" Benchmarks/inference_reference.py --model "$MODEL" --prompt-ids "$IDS" --lengths "$LENGTHS" \
               --threads "$THREADS" --prefill-chunk 0 --decode-steps "$STEPS" --batch "$BATCH" --batch-length "$BATCH_LENGTH") ;;
    chunked) out=$("$PY" Benchmarks/inference_reference.py --model "$MODEL" --prompt-ids "$IDS" --lengths "$LENGTHS" \
               --threads "$THREADS" --prefill-chunk "$PREFILL_CHUNK" --decode-steps "$STEPS" --batch "$BATCH" \
               --batch-length "$BATCH_LENGTH") ;;
  esac || { echo "$kind failed"; exit 1; }
  echo "$out" | grep '^{' | python3 -c "
import json, sys
for line in sys.stdin:
    r = json.loads(line); r['round'] = int(sys.argv[1]); r['load_before'] = float(sys.argv[2]); print(json.dumps(r))" \
    "$round" "$load" | tee -a "$RES"
}

for round in $(seq 1 "$RUNS"); do
  run longctx "$round"
  if [ "${SKIP_REFERENCE:-0}" != 1 ]; then
    for mode in ${REF_PREFILL//,/ }; do run "$mode" "$round"; done
  fi
done

python3 - "$RES" "$machine" > "$OUT/inference.md" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(f"Machine: {sys.argv[2]}\n")
def name(r):
    if r["tool"] == "longctx":
        return f"longctx (chunks of {r['prefill_chunk']})"
    return "PyTorch (one forward)" if r["prefill_chunk"] == 0 else f"PyTorch (chunks of {r['prefill_chunk']})"
groups = {}
for r in rows:
    groups.setdefault((r["kind"], r["length"], r["batch"], name(r)), []).append(r)
def stat(rs, key):  # best and median over the rounds of a tokens/s figure
    xs = [r[key] for r in rs]
    return max(xs), statistics.median(xs)
tools = sorted({k[3] for k in groups}, key=lambda n: (not n.startswith("longctx"), n))
ours = tools[0]
print(f"Rounds per configuration: {max(len(v) for v in groups.values())} (best / median of the rounds; "
      f"ratio = longctx / PyTorch speed of the best rounds; threads {rows[0]['threads']}, {rows[0]['decode_steps']} decode steps)\n")
print("| kind | context | tool | prefill tok/s | decode tok/s | decode ms/token (median step) | RSS before prefill MiB "
      "| peak RSS MiB (prefill / decode) | KV cache MiB | prefill ratio | decode ratio | greedy tokens = longctx |")
print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for kind, length, batch in sorted({k[:3] for k in groups}, key=lambda k: (k[0] != "single", k[1])):
    base = groups.get((kind, length, batch, ours))
    for tool in tools:
        rs = groups.get((kind, length, batch, tool))
        if not rs:
            continue
        pb, pm = stat(rs, "prefill_tokens_per_s"); db, dm = stat(rs, "decode_tokens_per_s")
        ms = min(r["decode_ms_per_token_median"] for r in rs)
        peak_p = max(r["peak_rss_prefill_mib"] for r in rs); peak = max(r["peak_rss_mib"] for r in rs)
        load = min(r["rss_before_prefill_mib"] for r in rs)
        if base and tool != ours:
            pr = f"**{stat(base, 'prefill_tokens_per_s')[0] / pb:.2f}x**"; dr = f"**{stat(base, 'decode_tokens_per_s')[0] / db:.2f}x**"
            n = min(len(rs[0]["decoded"]), len(base[0]["decoded"]))
            same = next((i for i in range(n) if rs[0]["decoded"][i] != base[0]["decoded"][i]), n)
            agree = "all" if same == n else f"first {same} of {n}"
        else:
            pr = dr = agree = "—"
        label = "batch " + str(batch) if kind == "batch" else "single"
        print(f"| {label} | {length:,} | {tool} | {pb:,.0f} / {pm:,.0f} | {db:,.1f} / {dm:,.1f} | {ms:.1f} | {load:,.0f} "
              f"| {peak_p:,.0f} / {peak:,.0f} | {rs[0]['kv_cache_mib']:,.0f} | {pr} | {dr} | {agree} |")
print("\nPeak RSS during prefill, growth per 1K tokens of context from the previous length (single sequence; "
      "the peaks are reset after loading the weights, so they hold the prefill's working memory and cache):\n")
lengths = sorted({k[1] for k in groups if k[0] == "single"})
print("| tool | " + " | ".join(f"{a:,} → {b:,}" for a, b in zip(lengths, lengths[1:])) + " |")
print("|---|" + "---:|" * (len(lengths) - 1))
for tool in tools:
    peaks = {n: max(r["peak_rss_prefill_mib"] for r in groups[("single", n, 1, tool)]) for n in lengths if ("single", n, 1, tool) in groups}
    cells = [f"{(peaks[b] - peaks[a]) / ((b - a) / 1024):.1f}" if a in peaks and b in peaks else "—" for a, b in zip(lengths, lengths[1:])]
    print(f"| {tool} | " + " | ".join(cells) + " |")
EOF
cat "$OUT/inference.md"
