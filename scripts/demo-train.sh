#!/usr/bin/env bash
# The data and training tour (README): fetch the default assets, build, run `longctx demo`
# (tokenizers), build the demo data recipe (a two-stage long-context mixture over text every CPython
# ships) and inspect it; then convert SmolLM2-135M from its GGUF to a model directory and continue
# pretraining it through a two-stage length curriculum in miniature (CPU, a few steps), exporting a
# model directory transformers loads.
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

# Model and training: GGUF -> HF model directory, training data in its tokenizer, a short curriculum.
model=.demo/smollm2
"$bin" convert "$assets/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf" "$model" --dtype f32 --force
rm -rf .demo/train-data .demo/run
"$bin" data build --recipe recipes/demo-train-data.yaml --set corpus=.demo/corpus --set tokenizer="$model/tokenizer.json" --out .demo/train-data
"$bin" train --recipe recipes/train-demo.yaml --set model="$model" --set data=.demo/train-data --set out=.demo/run
head -n 2 .demo/run/metrics.jsonl
