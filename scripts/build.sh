#!/usr/bin/env bash
# Builds longctx in release mode with the flags its SIMD code needs on this CPU, and prints the binary
# path. -target-cpu haswell only where the CPU has AVX2/FMA (a haswell build crashes on older CPUs).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
flags=()
if grep -qw avx2 /proc/cpuinfo 2>/dev/null && grep -qw fma /proc/cpuinfo 2>/dev/null; then
  flags=(-Xswiftc -target-cpu -Xswiftc haswell)
fi
swift build -c release "${flags[@]}" "$@" >&2
echo "$(swift build -c release "${flags[@]}" "$@" --show-bin-path)/longctx"
