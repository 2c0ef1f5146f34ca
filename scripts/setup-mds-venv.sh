#!/usr/bin/env bash
# The mosaicml-streaming reference (ProLong's data loader) in .venv-mds, for the tests that prove
# our MDS output loads in it. Its torchvision dependency would pull a CUDA torch, so (DESIGN.md):
# a CPU torch first, streaming without dependencies, its real dependencies, and a torchvision stub.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
venv=${LONGCTX_MDS_VENV:-.venv-mds}
if [ -x "$venv/bin/python" ] && PYTHONPATH=scripts/tvstub "$venv/bin/python" -c "import streaming" 2>/dev/null; then exit 0; fi
python3 -m venv "$venv"
"$venv/bin/pip" install -q 'torch==2.13.0+cpu' 'numpy<2.2'
"$venv/bin/pip" install -q --no-deps 'mosaicml-streaming==0.13.*'
"$venv/bin/pip" install -q tqdm 'xxhash<4' zstd python-snappy brotli catalogue 'transformers<5' pillow
PYTHONPATH=scripts/tvstub "$venv/bin/python" -c "import streaming; print('mosaicml-streaming', streaming.__version__)"
