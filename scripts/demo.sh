#!/usr/bin/env bash
# The main job on the built-in default (README): fetch the default assets, build, run `longctx demo`
# (tokenizers), then build the demo data recipe (a two-stage long-context mixture over text every
# CPython ships) and inspect it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/install-deps.sh
bash scripts/setup-assets.sh --quiet
bin=$(bash scripts/build.sh)
assets=${LONGCTX_ASSETS:-.assets}
"$bin" demo --assets "$assets" "$@"
python3 scripts/make_demo_corpus.py .demo/corpus
out=.demo/build
rm -rf "$out"
"$bin" data build --recipe recipes/demo.yaml --set corpus=.demo/corpus --set tokenizer="$assets/deepseek/tokenizer.json" --out "$out"
"$bin" data inspect "$out/32k/code-8k" --tokenizer "$assets/deepseek/tokenizer.json" --samples 1 --max-characters 300 | head -40
