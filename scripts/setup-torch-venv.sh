#!/usr/bin/env bash
# The PyTorch/transformers references in .venv-torch, for the tests that compare against them:
# config round trips (transformers 5; 4.x lives in .venv-mds), safetensors files, GGUF dequantization
# (gguf-py), a GGUF loaded by transformers, jinja2 chat templates, greedy generation, and the official `openai`
# client talking to `longctx serve`. A CPU torch (an unpinned torch would pull a CUDA build).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
venv=${LONGCTX_TORCH_VENV:-.venv-torch}
check='import torch, transformers, accelerate, gguf, safetensors, numpy, jinja2, openai'
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "$check" 2>/dev/null; then exit 0; fi
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q 'torch==2.13.0+cpu' 'transformers==5.23.0' 'accelerate==1.15.0' 'gguf==0.19.0' \
  'safetensors==0.8.0' 'numpy==2.4.6' 'sentencepiece==0.2.3' 'protobuf==7.36.2' 'openai==3.54.0'
"$venv/bin/python" -c "$check; print('torch', torch.__version__, 'transformers', transformers.__version__)"
