#!/usr/bin/env bash
# The main job on the built-in default (README): does a training-free RoPE scaling extend SmolLM2-135M past its
# 8K window? Converts the model from its GGUF, runs Fu et al.'s needle-in-a-haystack up to twice the window with the
# model's own RoPE and with YaRN x2, and draws the two heatmaps side by side (dashed line: the trained length).
# About 15 minutes on 2 cores (most of it the 16K prompts), progress on stderr; rerunning resumes where it stopped.
# Options: LENGTHS=... DEPTHS=... ROPE=yarn:2 (or dynamic:2) bash scripts/demo.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/install-deps.sh
bash scripts/setup-assets.sh --quiet
bin=$(bash scripts/build.sh)
assets=${LONGCTX_ASSETS:-.assets}
lengths=${LENGTHS:-4k,8k,12k,16k}
depths=${DEPTHS:-0,50,100}
rope=${ROPE:-yarn:2}

model=.demo/smollm2
if [ ! -f "$model/model.safetensors" ]; then
    "$bin" convert "$assets/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf" "$model" --dtype f32 --force
fi
# The haystack: the Python reference manual's topics, which every CPython ships (no download).
python3 -c 'from pydoc_data.topics import topics; print("\n\n".join(topics[k] for k in sorted(topics)))' > .demo/haystack.txt

for run in plain "$rope"; do
    dir=.demo/niah/${run//:/-}
    extra=()
    [ "$run" = plain ] || extra=(--rope "$run")
    echo "== NIAH on SmolLM2-135M, RoPE: $run (lengths $lengths, depths $depths) =="
    "$bin" eval niah --model "$model" "${extra[@]}" --chat --haystack .demo/haystack.txt \
        --lengths "$lengths" --depths "$depths" --out "$dir"
done
"$bin" eval report .demo/niah/plain ".demo/niah/${rope//:/-}" --out .demo/niah/report
echo "Heatmaps side by side: .demo/niah/report/heatmaps.png (and .svg); one per run beside it."
