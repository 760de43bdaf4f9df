#!/bin/sh
# Install the torch pinned in requirements.lock into a venv, before the rest of the lock.
#   usage: scripts/install-torch.sh PYTHON [LOCK]      (make venv calls it)
#   KZCRISIS_TORCH=cpu (default): the CPU-only build, all kzcrisis needs
#   KZCRISIS_TORCH=cuda: PyPI's default Linux wheel, the CUDA build (with its CUDA libraries)
#
# Why in this order: pip retries an unreachable index for minutes, so the pinned torch is
# first tried offline, from what pip already finds locally (find-links, a wheel cache). Only
# when that fails is PyTorch's CPU wheel index asked. Without it, PyPI resolves torch==X on
# Linux to its ~500 MB CUDA wheel plus CUDA libraries and triton, which the lock does not hold.
# torch is installed without its dependencies: the lock pins them, and the lock comes next.
set -eu
PY=${1:?usage: install-torch.sh PYTHON [LOCK]}
LOCK=${2:-requirements.lock}
MODE=${KZCRISIS_TORCH:-cpu}
CPU_INDEX=${KZCRISIS_TORCH_CPU_INDEX:-https://download.pytorch.org/whl/cpu}
PYPI_INDEX=${KZCRISIS_PYPI_INDEX:-https://pypi.org/simple}
VERSION=$(sed -n 's/^torch==\([^ ;#]*\).*/\1/p' "$LOCK")
if [ -z "$VERSION" ]; then
    echo "install-torch: $LOCK pins no torch==VERSION; run make lock" >&2
    exit 2
fi
case $MODE in
cpu)
    if "$PY" -m pip install --quiet --no-index --no-deps "torch==$VERSION" 2>/dev/null; then
        exit 0
    fi
    echo "install-torch: no local torch $VERSION wheel; installing the CPU-only build" \
         "from $CPU_INDEX" >&2
    exec "$PY" -m pip install --quiet --no-deps --index-url "$CPU_INDEX" \
        --extra-index-url "$PYPI_INDEX" "torch==$VERSION"
    ;;
cuda)
    echo "install-torch: installing the CUDA build of torch $VERSION from PyPI" >&2
    exec "$PY" -m pip install --quiet --index-url "$PYPI_INDEX" "torch==$VERSION"
    ;;
*)
    echo "install-torch: KZCRISIS_TORCH=$MODE: use cpu (default) or cuda" >&2
    exit 2
    ;;
esac
