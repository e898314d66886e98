#!/usr/bin/env bash
# Builds the Python environment of the monitor's real-framework integration tests (PyTorch 2.14, Keras 3,
# PyTorch Lightning, tensorboard, Hugging Face transformers: scripts/py-frameworks.txt) from the machine's
# local wheel indexes, never the network, into a cache outside the repository:
#   ${FITCHECK_FRAMEWORKS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/fitcheck/py-frameworks}
# Idempotent: when that environment was built from the same list and its Python starts, it is done (<1 s).
# Run by scripts/provision.sh (so by .ci/run and `npm run provision`), never by a test. Prints
# FRAMEWORKS_PYTHON=<interpreter> on its last line; exits 1 with the reason on stderr when it cannot build.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '[provision-frameworks] %s\n' "$*" >&2; }
fail() { log "skipped: $*"; exit 1; }

VENV="${FITCHECK_FRAMEWORKS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/fitcheck/py-frameworks}"
TORCH_INDEX="${FITCHECK_TORCH_INDEX:-/opt/pypi-more/simple}"
INDEX="${FITCHECK_PYPI_INDEX:-/opt/pypi/simple}"
LIST="scripts/py-frameworks.txt"
READY="$VENV/.fitcheck-ready"  # written last: its presence means a complete build, its text which list
WANT="$(sha256sum "$LIST" | cut -d' ' -f1)"
PROBE='import torch, keras, pytorch_lightning, transformers.trainer, torch.utils.tensorboard, accelerate'

probe() { KERAS_BACKEND=torch HF_HUB_OFFLINE=1 "$VENV/bin/python" -c "$PROBE" >/dev/null 2>&1; }
# Built from this list (the marker is written after the import probe passed) and its interpreter starts.
built() { [ -f "$READY" ] && [ "$(cat "$READY")" = "$WANT" ] && "$VENV/bin/python" -c '' 2>/dev/null; }

if built; then
  echo "FRAMEWORKS_PYTHON=$VENV/bin/python"
  exit 0
fi

for index in "$TORCH_INDEX" "$INDEX"; do
  [ -f "$index/index.html" ] || fail "no local wheel index at $index"
done
[ -d "$TORCH_INDEX/torch" ] || fail "$TORCH_INDEX has no torch"
# The wheels are built for CPython 3.11 on x86-64 Linux.
PY=""
for candidate in python3.11 python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys, venv; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
    PY="$candidate"; break
  fi
done
[ -n "$PY" ] || fail "no Python 3.11 with venv (the pinned torch wheel is cp311)"
[ "$(uname -m)" = x86_64 ] || fail "the pinned wheels are for x86_64, this is $(uname -m)"
mkdir -p "$(dirname "$VENV")"
free_kb="$(df -Pk "$(dirname "$VENV")" | awk 'NR == 2 { print $4 }')"
[ "${free_kb:-0}" -ge $((8 * 1024 * 1024)) ] || fail "under 8 GiB free at $(dirname "$VENV") (the environment takes ~5 GiB)"

# One build at a time (several worktrees or a CI run may provision at once); the second waits, then finds it built.
exec 9>"$VENV.lock"
flock 9
if built; then
  echo "FRAMEWORKS_PYTHON=$VENV/bin/python"
  exit 0
fi

log "building $VENV from $TORCH_INDEX and $INDEX (~3 GB of wheels, a few minutes)"
started=$SECONDS
rm -rf "$VENV"
"$PY" -m venv "$VENV"
pip_log="$(mktemp)"
# PIP_CONFIG_FILE=/dev/null: the machine's pip settings (other indexes, find-links with another torch)
# must not change what is installed; --no-deps: the list pins every package, so nothing is resolved.
if ! PIP_CONFIG_FILE=/dev/null "$VENV/bin/pip" install --no-deps --no-cache-dir --no-input --disable-pip-version-check \
    --index-url "file://$INDEX" --extra-index-url "file://$TORCH_INDEX" -r "$LIST" >"$pip_log" 2>&1; then
  tail -n 20 "$pip_log" >&2
  rm -f "$pip_log"
  rm -rf "$VENV"
  fail "pip could not install $LIST from the local indexes (its last lines are above)"
fi
rm -f "$pip_log"
probe || { KERAS_BACKEND=torch "$VENV/bin/python" -c "$PROBE" 2>&1 | tail -n 5 >&2; rm -rf "$VENV"; fail "the frameworks do not import after the install"; }
echo "$WANT" >"$READY"
log "built in $((SECONDS - started)) s, $(du -sh "$VENV" | cut -f1)"
echo "FRAMEWORKS_PYTHON=$VENV/bin/python"
