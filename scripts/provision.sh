#!/usr/bin/env bash
# Installs real PyTorch for the Python helper's integration tests (test/integration/python): Debian's python3-torch (CPU) for /usr/bin/python3,
# idempotently (a no-op, ~1 s, when torch already imports). Then, where the machine has local wheel
# indexes, the real-framework environment (torch 2.x, Keras 3, Lightning, tensorboard, transformers) of
# scripts/provision-frameworks.sh, cached outside the repo; its failure is reported and tolerated (those
# tests skip). Run by .ci/run and `npm run provision`, never by a test. Prints the interpreter on its last line.
set -euo pipefail
PYTHON=/usr/bin/python3
log() { printf '[provision-python] %s\n' "$*" >&2; }

if ! bash "$(dirname "$0")/provision-frameworks.sh" >&2; then
  log "the real-framework environment was not built (reason above); the Keras/Lightning/transformers tests will skip"
fi

if ! "$PYTHON" -c 'import torch' 2>/dev/null; then
  log "installing Debian's python3-torch (real PyTorch for the logger tests)"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then $SUDO apt-get update -qq; fi
  apt_log="$(mktemp)"
  if ! $SUDO apt-get install -y -qq --no-install-recommends python3 python3-torch >"$apt_log" 2>&1; then
    log "apt-get install failed with the current package lists; running apt-get update and retrying"
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends python3 python3-torch >"$apt_log" 2>&1 \
      || { tail -n 40 "$apt_log" >&2; rm -f "$apt_log"; exit 1; }
  fi
  rm -f "$apt_log"
  "$PYTHON" -c 'import torch' || { log "torch does not import after the install"; exit 1; }
fi
echo "PYTHON=$PYTHON"
