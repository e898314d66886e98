#!/usr/bin/env bash
# Provisions what the real-editor e2e test needs, idempotently:
#   - Debian packages: chromium (the browser), ripgrep (code-server's search),
#     libkrb5-dev (to build the kerberos native module), build tools for node-gyp.
#   - code-server 4.100.3 from npm (VS Code 1.100), installed into a cache folder
#     outside the repo, with every native module rebuilt locally (no binary downloads).
#   - playwright-core into the same cache (fallback when it is not a devDependency).
# A marker file at the end makes later runs a no-op (a few hundred milliseconds).
#
# Env:
#   FITCHECK_E2E_CACHE   cache folder (default: $HOME/.cache/fitcheck-e2e)
#   FITCHECK_E2E_FORCE=1 re-provision even when the marker is present
# Prints the code-server entry point on its last line of stdout ("CODE_SERVER=<path>").
set -euo pipefail

CODE_SERVER_VERSION="4.100.3"
PLAYWRIGHT_CORE_VERSION="${FITCHECK_PLAYWRIGHT_CORE_VERSION:-1.65.1}"
CACHE="${FITCHECK_E2E_CACHE:-$HOME/.cache/fitcheck-e2e}"
CS_ROOT="$CACHE/code-server-$CODE_SERVER_VERSION"
CS_PKG="$CS_ROOT/node_modules/code-server"
VSCODE_DIR="$CS_PKG/lib/vscode"
MARKER="$CS_ROOT/.fitcheck-provisioned"
PW_ROOT="$CACHE/playwright-core"
PW_MARKER="$PW_ROOT/.fitcheck-provisioned"

log() { printf '[provision] %s\n' "$*" >&2; }
start_ts=$(date +%s)

export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false \
       npm_config_loglevel=error

# ---------------------------------------------------------------- Debian packages
APT_PACKAGES=(libkrb5-dev ripgrep chromium python3 make g++ pkg-config fonts-liberation)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  # Only refresh the package lists when there are none, or when the install fails with the old ones.
  if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
    $SUDO apt-get update -qq
  fi
  apt_log="$(mktemp)"
  if ! $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$apt_log" 2>&1; then
    log "apt-get install failed with the current package lists; running apt-get update and retrying"
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$apt_log" 2>&1 \
      || { tail -n 40 "$apt_log" >&2; rm -f "$apt_log"; exit 1; }
  fi
  rm -f "$apt_log"
fi
command -v chromium >/dev/null || { log "chromium not found after install"; exit 1; }
command -v rg >/dev/null || { log "rg not found after install"; exit 1; }

# ---------------------------------------------------------------- code-server
if [ -f "$MARKER" ] && [ -z "${FITCHECK_E2E_FORCE:-}" ] && [ -f "$CS_PKG/out/node/entry.js" ]; then
  log "code-server $CODE_SERVER_VERSION already provisioned in $CS_ROOT"
else
  log "installing code-server $CODE_SERVER_VERSION into $CS_ROOT"
  rm -f "$MARKER"
  mkdir -p "$CS_ROOT"
  [ -f "$CS_ROOT/package.json" ] || echo '{"name":"fitcheck-e2e-code-server","private":true}' >"$CS_ROOT/package.json"
  # 1. the package itself; its postinstall would download things, so skip scripts.
  (cd "$CS_ROOT" && npm install --ignore-scripts "code-server@$CODE_SERVER_VERSION" >&2)

  # 2. VS Code's own runtime dependencies.
  log "installing lib/vscode dependencies"
  (cd "$VSCODE_DIR" && npm install --omit=dev --ignore-scripts >&2)

  # 3. ripgrep: @vscode/ripgrep's install downloads a binary; use Debian's rg instead.
  mkdir -p "$VSCODE_DIR/node_modules/@vscode/ripgrep/bin"
  ln -sf "$(command -v rg)" "$VSCODE_DIR/node_modules/@vscode/ripgrep/bin/rg"

  # 4. native modules, built from source with node-gyp against this Node.
  #    node-pty's post-install step errors after pty.node is built, so rebuild it
  #    on its own and accept that failure when pty.node exists.
  log "rebuilding native modules (kerberos, spdlog, native-watchdog, deviceid, node-pty)"
  (cd "$VSCODE_DIR" && npm rebuild kerberos @vscode/spdlog native-watchdog @vscode/deviceid >&2)
  (cd "$VSCODE_DIR" && npm rebuild node-pty >&2) || true
  if ! compgen -G "$VSCODE_DIR/node_modules/node-pty/build/Release/pty.node" >/dev/null; then
    log "node-pty did not build (no pty.node)"; exit 1
  fi

  # 5. VS Code loads modules from node_modules.asar in the built product.
  [ -e "$VSCODE_DIR/node_modules.asar" ] || ln -s node_modules "$VSCODE_DIR/node_modules.asar"

  # 6. built-in extensions' dependencies.
  log "installing built-in extensions' dependencies"
  (cd "$VSCODE_DIR/extensions" && npm install --omit=dev --ignore-scripts >&2)

  # 7. code-server's own native module (password hashing), hoisted to the top node_modules.
  log "rebuilding argon2"
  (cd "$CS_ROOT" && npm rebuild argon2 >&2)

  # smoke check: the CLI answers --version without starting a server.
  XDG_CONFIG_HOME="$CS_ROOT/.xdg-config" XDG_DATA_HOME="$CS_ROOT/.xdg-data" \
    node "$CS_PKG/out/node/entry.js" --version >&2
  date -u +%FT%TZ >"$MARKER"
fi

# ---------------------------------------------------------------- playwright-core (fallback)
# The e2e harness prefers the repo's own devDependency; this copy is used only when the
# repo does not have it. playwright-core has no install script and downloads no browser.
if [ -f "$PW_MARKER" ] && [ -z "${FITCHECK_E2E_FORCE:-}" ]; then
  :
else
  log "installing playwright-core@$PLAYWRIGHT_CORE_VERSION into $PW_ROOT"
  mkdir -p "$PW_ROOT"
  [ -f "$PW_ROOT/package.json" ] || echo '{"name":"fitcheck-e2e-playwright","private":true}' >"$PW_ROOT/package.json"
  (cd "$PW_ROOT" && npm install --ignore-scripts "playwright-core@$PLAYWRIGHT_CORE_VERSION" >&2)
  date -u +%FT%TZ >"$PW_MARKER"
fi

log "done in $(( $(date +%s) - start_ts ))s"
echo "CODE_SERVER=$CS_PKG/out/node/entry.js"
