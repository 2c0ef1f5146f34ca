#!/usr/bin/env bash
# Tokenizer throughput: longctx vs HF `tokenizers` vs `tiktoken`, same tokenizers, same text.
#   Benchmarks/tokenize.sh
# Env knobs: THREADS (default "1,<nproc>"), RUNS (3), TOKENIZERS ("gpt2,deepseek"),
#   CORPUS (.bench/corpus.jsonl), SKIP_BUILD=1 (use the existing release binary),
#   LONGCTX_BIN (time another binary), SKIP_REFERENCE=1 (reuse the last reference results).
# Results: .bench/results/{reference,longctx}.jsonl and tokenize.md; exit 1 on a token
# count mismatch between tools.
set -uo pipefail
cd "$(dirname "$0")/.."

NPROC=$(nproc)
THREADS=${THREADS:-1,$NPROC}
RUNS=${RUNS:-3}
TOKENIZERS=${TOKENIZERS:-gpt2,deepseek}
CORPUS=${CORPUS:-.bench/corpus.jsonl}
VENV=.venv-bench
OUT=.bench/results
mkdir -p "$OUT"

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
machine="$cpu, $NPROC cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sm); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $machine"
# Timings on a shared box are only as good as its idleness: say so when it is busy.
awk -v n="$NPROC" '{ if ($1 > 0.5) print "WARNING: load average " $1 " on " n " cores: other work will skew the timings" }' /proc/loadavg

# Inputs: corpus, reference venv, tokenizer files (all idempotent, fast when present).
[ -s "$CORPUS" ] || bash Benchmarks/make_corpus.sh "${CORPUS%.jsonl}.txt" || exit 1
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV" && "$VENV/bin/pip" install -q tokenizers==0.23.3 tiktoken==0.14.0 regex || exit 1
fi
PY=$VENV/bin/python
$PY Benchmarks/tokenizer_assets.py --check-mb 2 || { echo "tokenizer assets failed verification"; exit 1; }

# (a) longctx release build; the tokenizer may be mid-rewrite, so a failure only skips our rows.
BIN=${LONGCTX_BIN:-}
if [ -z "$BIN" ] && [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "building longctx (release, CPU flags from scripts/build.sh)..."
  if ! BIN=$(bash scripts/build.sh 2> "$OUT/build.log"); then
    tail -n 20 "$OUT/build.log"
    echo "NOTE: release build failed (log: $OUT/build.log): longctx columns stay TBD"
    BIN=  # never time a stale binary
  fi
fi
[ -n "$BIN" ] || BIN=$(bash scripts/build.sh 2>/dev/null || true)
[ -z "$BIN" ] || [ -x "$BIN" ] || { echo "NOTE: $BIN missing: longctx columns stay TBD"; BIN=; }

# (b) references, one process per configuration (see reference_tokenize.py).
if [ "${SKIP_REFERENCE:-0}" != 1 ] || [ ! -s "$OUT/reference.jsonl" ]; then
  $PY Benchmarks/reference_tokenize.py --corpus "$CORPUS" --tokenizers "$TOKENIZERS" \
    --threads "$THREADS" --runs "$RUNS" > "$OUT/reference.jsonl" || exit 1
fi

# (c) ours: one JSON line per run, same schema; the tokenizer field is set to our short
# name so rows line up with the references.
: > "$OUT/longctx.jsonl"
if [ -n "$BIN" ]; then
  for tok in ${TOKENIZERS//,/ }; do
    path=$($PY -c "import sys; sys.path.insert(0, 'Benchmarks'); import tokenizer_assets as a; print(a.tokenizers_for_bench()['$tok'][0])")
    for n in ${THREADS//,/ }; do
      echo "# longctx $tok threads=$n" >&2
      line=$("$BIN" bench-tokenize --tokenizer "$path" --input "$CORPUS" --threads "$n" | grep '^{' | tail -n 1)
      if [ -n "$line" ]; then
        $PY -c "import json,sys; r=json.loads(sys.argv[1]); r['tokenizer']=sys.argv[2]; print(json.dumps(r))" \
          "$line" "$tok" >> "$OUT/longctx.jsonl"
      else
        echo "NOTE: longctx bench-tokenize gave no JSON for $tok, $n thread(s)"
      fi
    done
  done
fi

# (d) the table; the report exits 1 on a token count mismatch.
{
  echo "Machine: $machine"
  echo "Corpus: $CORPUS, $(wc -l < "$CORPUS") documents"
  echo
  python3 Benchmarks/tokenize_report.py "$OUT/reference.jsonl" "$OUT/longctx.jsonl"
} | tee "$OUT/tokenize.md"
exit "${PIPESTATUS[0]}"
