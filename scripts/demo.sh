#!/usr/bin/env bash
# The main job on the built-in default (README): fetch the default assets, build, run `longctx demo`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/install-deps.sh
bash scripts/setup-assets.sh --quiet
bin=$(bash scripts/build.sh)
"$bin" demo --assets "${LONGCTX_ASSETS:-.assets}" "$@"
