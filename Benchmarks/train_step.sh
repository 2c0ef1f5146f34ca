#!/usr/bin/env bash
# A full training step (zero grads, forward + backward of one packed sequence, global-norm clipping, AdamW on
# every parameter) of a small Llama, longctx (`longctx bench-train`) against PyTorch + transformers
# (Benchmarks/train_step.py), same config.json, same threads, each run in its own process; then longctx's
# peak memory against sequence length with activation checkpointing off and on.
#   Benchmarks/train_step.sh
# The config (written to .bench/train_step/config.json; `bench-train`'s built-in default is the same):
#   hidden 512, 4 layers, 8 query heads / 2 key-value heads, head_dim 64, SwiGLU intermediate 1408,
#   vocab 32000, untied LM head, RoPE theta 10000: 44.0M parameters (11.3M in the layers), f32.
# Env knobs: THREADS ("<nproc>"; e.g. "1,2"), LENGTHS ("4096,16384"), DOCS ("1,8": equal documents packed in
#   the sequence), CKPT ("off"; "off,on" also times both with activation checkpointing), STEPS (3 timed steps
#   after WARMUP=1; STEPS_LONG=2 from 16K tokens), MEM_LENGTHS ("2048,4096,8192,16384,32768"; "" skips the
#   memory runs), SKIP_BUILD=1, SKIP_REFERENCE=1 (no PyTorch), LONGCTX_BIN.
# Results: .bench/results/train_step.jsonl (one JSON line per run) and train_step.md (the tables).
set -uo pipefail
cd "$(dirname "$0")/.."

NPROC=$(nproc)
THREADS=${THREADS:-$NPROC}
LENGTHS=${LENGTHS:-4096,16384}
DOCS=${DOCS:-1,8}
CKPT=${CKPT:-off}
STEPS=${STEPS:-3}
STEPS_LONG=${STEPS_LONG:-2}
WARMUP=${WARMUP:-1}
MEM_LENGTHS=${MEM_LENGTHS-2048,4096,8192,16384,32768}
OUT=.bench/results
WORK=.bench/train_step
mkdir -p "$OUT" "$WORK"
RES=$OUT/train_step.jsonl
: > "$RES"

model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
machine="$model, $NPROC cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sm); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $machine"
awk -v n="$NPROC" '{ if ($1 > 0.5) print "WARNING: load average " $1 " on " n " cores: other work will skew the timings" }' /proc/loadavg

CONFIG=$WORK/config.json
cat > "$CONFIG" <<'EOF'
{"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_act": "silu", "vocab_size": 32000,
 "hidden_size": 512, "intermediate_size": 1408, "num_hidden_layers": 4, "num_attention_heads": 8,
 "num_key_value_heads": 2, "head_dim": 64, "rms_norm_eps": 1e-05, "max_position_embeddings": 32768,
 "rope_theta": 10000.0, "tie_word_embeddings": false, "attention_bias": false, "mlp_bias": false,
 "initializer_range": 0.02, "bos_token_id": 1, "eos_token_id": 2}
EOF

PY=.venv-torch/bin/python  # torch 2.13.0+cpu, transformers 5.23
[ "${SKIP_REFERENCE:-0}" = 1 ] || [ -x "$PY" ] || { echo "$PY missing (torch==2.13.0+cpu, transformers 5.x)"; exit 1; }

BIN=${LONGCTX_BIN:-.build-bench/release/longctx}
if [ -z "${LONGCTX_BIN:-}" ] && [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "building longctx (release, .build-bench)..."
  BIN=$(bash scripts/build.sh --scratch-path .build-bench --product longctx 2> "$OUT/train_step.log") \
    || { tail -n 20 "$OUT/train_step.log"; echo "release build failed"; exit 1; }
fi
[ -x "$BIN" ] || { echo "$BIN missing"; exit 1; }

# run KIND TOKENS DOCS THREADS CKPT STEPS WARMUP: one process, its JSON line (plus the load before it) to $RES.
run() {
  local kind=$1 t=$2 n=$3 threads=$4 ckpt=$5 steps=$6 warmup=$7 line load
  load=$(cut -d' ' -f1 /proc/loadavg)
  echo "# $kind tokens=$t documents=$n threads=$threads checkpointing=$ckpt (load $load)" >&2
  if [ "$kind" = longctx ]; then
    line=$("$BIN" bench-train --config "$CONFIG" --tokens "$t" --documents "$n" --threads "$threads" \
      --checkpointing "$ckpt" --steps "$steps" --warmup "$warmup" $FORWARD | grep '^{' | tail -n 1)
  else
    line=$("$PY" Benchmarks/train_step.py --config "$CONFIG" --tokens "$t" --documents "$n" --threads "$threads" \
      --checkpointing "$ckpt" --steps "$steps" --warmup "$warmup" | grep '^{' | tail -n 1)
  fi
  [ -n "$line" ] || { echo "$kind failed (tokens $t, documents $n)"; exit 1; }
  python3 -c "import json,sys; r=json.loads(sys.argv[1]); r['load_before']=float(sys.argv[2]); r['part']=sys.argv[3]; print(json.dumps(r))" \
    "$line" "$load" "$PART" >> "$RES"
}

PART=speed FORWARD=--time-forward  # longctx also times one forward pass alone, to split its forward + backward
for threads in ${THREADS//,/ }; do
  for t in ${LENGTHS//,/ }; do
    steps=$STEPS; [ "$t" -ge 16384 ] && steps=$STEPS_LONG
    for n in ${DOCS//,/ }; do
      for ckpt in ${CKPT//,/ }; do
        run longctx "$t" "$n" "$threads" "$ckpt" "$steps" "$WARMUP"
        [ "${SKIP_REFERENCE:-0}" = 1 ] || run pytorch "$t" "$n" "$threads" "$ckpt" "$steps" "$WARMUP"
      done
    done
  done
done

# Memory against length: one step (its peak is every step's peak), one document, all cores.
PART=memory FORWARD=
for t in ${MEM_LENGTHS//,/ }; do
  for ckpt in off on; do run longctx "$t" 1 "$NPROC" "$ckpt" 1 0; done
done

python3 - "$RES" "$machine" > "$OUT/train_step.md" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(f"Machine: {sys.argv[2]}\n")
speed = [r for r in rows if r["part"] == "speed"]
if speed:
    print("| tokens | documents | threads | checkpointing | longctx s/step (best / median) | PyTorch s/step (best / median) "
          "| PyTorch / longctx | longctx tokens/s | longctx peak RSS MiB | PyTorch peak RSS MiB | loss (longctx / PyTorch) |")
    print("|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|")
    key = lambda r: (r["threads"], r["tokens"], r["documents"], r["checkpointing"])
    ours = {key(r): r for r in speed if r["tool"] == "longctx"}
    ref = {key(r): r for r in speed if r["tool"] == "pytorch"}
    for k in sorted(ours, key=lambda k: (-k[0], k[1], k[2], k[3])):
        o, p = ours[k], ref.get(k)
        ps = f"{p['seconds_best']:.2f} / {p['seconds_median']:.2f}" if p else "—"
        ratio = f"**{p['seconds_best'] / o['seconds_best']:.2f}x**" if p else "—"
        pm = f"{p['peak_rss_mib']:,.0f}" if p else "—"
        pl = f"{p['loss']:.3f}" if p else "—"
        print(f"| {k[1]:,} | {k[2]} | {k[0]} | {'on' if k[3] else 'off'} | {o['seconds_best']:.2f} / {o['seconds_median']:.2f} "
              f"| {ps} | {ratio} | {o['tokens_per_s']:,.0f} | {o['peak_rss_mib']:,.0f} | {pm} | {o['loss']:.3f} / {pl} |")
    print()
    print("Phases (median s; longctx runs forward + backward as one call: its forward is one extra forward pass "
          "timed alone, its backward the difference):\n")
    print("| tool | tokens | documents | threads | checkpointing | zero grads | forward | backward | grad norm | AdamW |")
    print("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|")
    for r in sorted(speed, key=lambda r: (-r["threads"], r["tokens"], r["documents"], r["checkpointing"], r["tool"])):
        ph = r["phases_median"]
        if "forward" in ph:
            fb = f"{ph['forward']:.2f} | {ph['backward']:.2f}"
        elif r.get("forward_seconds"):
            fb = f"{r['forward_seconds']:.2f} | ≈ {ph['forward_backward'] - r['forward_seconds']:.2f}"
        else:
            fb = f"{ph['forward_backward']:.2f} (both) | —"
        print(f"| {r['tool']} | {r['tokens']:,} | {r['documents']} | {r['threads']} | {'on' if r['checkpointing'] else 'off'} "
              f"| {ph['zero_grad']:.3f} | {fb} | {ph['grad_norm']:.3f} | {ph['adamw']:.3f} |")
    print()
mem = sorted((r for r in rows if r["part"] == "memory"), key=lambda r: (r["tokens"], r["checkpointing"]))
if mem:
    print("longctx peak memory against length (one document, one step; before = weights, gradients and AdamW moments "
          "allocated; activations = peak - before):\n")
    print("| tokens | checkpointing | s (one cold step) | peak RSS MiB | before MiB | activations MiB "
          "| MiB per 1K tokens, from the previous length |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    previous = {}
    for r in mem:
        act = r["peak_rss_mib"] - r["rss_before_steps_mib"]
        p = previous.get(r["checkpointing"])
        slope = f"{(r['peak_rss_mib'] - p['peak_rss_mib']) / ((r['tokens'] - p['tokens']) / 1024):.1f}" if p else "—"
        previous[r["checkpointing"]] = r
        print(f"| {r['tokens']:,} | {'on' if r['checkpointing'] else 'off'} | {r['seconds_best']:.2f} | {r['peak_rss_mib']:,.0f} "
              f"| {r['rss_before_steps_mib']:,.0f} | {act:,.0f} | {slope} |")
    # Least-squares line through (tokens, peak) per setting: slope and the largest relative misfit.
    for ckpt in (False, True):
        pts = [(r["tokens"], r["peak_rss_mib"]) for r in mem if r["checkpointing"] == ckpt]
        if len(pts) < 3:
            continue
        n = len(pts); mx = sum(x for x, _ in pts) / n; my = sum(y for _, y in pts) / n
        slope = sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)
        icpt = my - slope * mx
        worst = max(abs(y - (icpt + slope * x)) / y for x, y in pts)
        print(f"\ncheckpointing {'on' if ckpt else 'off'}: peak RSS = {icpt:,.0f} MiB + {slope * 1024:.1f} MiB per 1K tokens "
              f"(least squares; largest misfit {worst:.1%})", end="")
    print()
EOF
cat "$OUT/train_step.md"
