#!/usr/bin/env bash
# Installs whatever is missing to build, serve and test Loupe on a fresh Debian machine of this
# kind (Rust by rustup, Node.js and npm; network limited to crates.io, npm, PyPI and Debian).
# Idempotent: every step first checks what is there and skips when it is already right, so a
# warm machine gets through in seconds. Prints the time each step took.
#
# Run it (`scripts/setup.sh`) or source it (`. scripts/setup.sh`, as serve.sh and test.sh do):
# sourcing also leaves node_modules/.bin first on the caller's PATH, so trunk finds wasm-opt 132.
#
# The pins below must agree with Cargo.toml / Cargo.lock (wasm-bindgen), Trunk.toml and
# package.json; ../shared/TOOLCHAIN.md (outside the repository) says why each one exists.

LOUPE_TRUNK_VERSION="0.21.14"         # 0.22 needs rustc 1.96
LOUPE_WASM_BINDGEN_VERSION="0.2.130"  # = wasm-bindgen in Cargo.lock = Trunk.toml [tools]

loupe_now_ms() { date +%s%3N; }

# loupe_step NAME COMMAND...: runs one step, prints and records how long it took.
loupe_step() {
  local name=$1 t0 t1 rc
  shift
  echo "==> setup: $name"
  t0=$(loupe_now_ms)
  "$@"
  rc=$?
  t1=$(loupe_now_ms)
  local secs
  secs=$(awk -v ms=$((t1 - t0)) 'BEGIN { printf "%.1f", ms / 1000 }')
  LOUPE_SETUP_TIMES+=("$(printf '%-28s %8ss  %s' "$name" "$secs" "$([ $rc -eq 0 ] && echo ok || echo "FAILED ($rc)")")")
  echo "    ($name: ${secs}s)"
  return $rc
}

loupe_sudo() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

loupe_paths() {
  # A fresh login may not have cargo on PATH yet even though rustup put it in ~/.cargo/bin.
  case ":$PATH:" in *":$HOME/.cargo/bin:"*) ;; *) export PATH="$HOME/.cargo/bin:$PATH" ;; esac
  # npm's binaries first: trunk must find binaryen 132's wasm-opt before Debian's 108.
  case ":$PATH:" in
    ":$LOUPE_ROOT/node_modules/.bin:"*) ;;
    *) export PATH="$LOUPE_ROOT/node_modules/.bin:$PATH" ;;
  esac
  # trunk's update check cannot reach its server from here.
  export TRUNK_SKIP_VERSION_CHECK=true
}

loupe_rust_targets() {
  if rustup target list --installed | grep -qx 'wasm32-unknown-unknown'; then
    echo "    wasm32-unknown-unknown already installed"
  else
    rustup target add wasm32-unknown-unknown
  fi
  local installed
  installed=$(rustup component list --installed)
  for c in rustfmt clippy; do
    if grep -q "^$c" <<<"$installed"; then
      echo "    $c already installed"
    else
      rustup component add "$c" || return 1
    fi
  done
}

loupe_chromium() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    echo "    $(/usr/bin/chromium --version 2>/dev/null) already installed"
    return 0
  fi
  loupe_sudo apt-get update -q &&
    loupe_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver
}

loupe_node() {
  if command -v node >/dev/null && command -v npm >/dev/null; then
    echo "    node $(node --version), npm $(npm --version) already installed"
    return 0
  fi
  loupe_sudo apt-get update -q &&
    loupe_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm
}

loupe_trunk() {
  local have
  have=$(trunk --version 2>/dev/null || true)
  if [ "$have" = "trunk $LOUPE_TRUNK_VERSION" ]; then
    echo "    $have already installed"
    return 0
  fi
  echo "    found '${have:-nothing}', installing trunk $LOUPE_TRUNK_VERSION (about 9 min on 2 cores)"
  # A shared CARGO_TARGET_DIR would mix the installer's artefacts into the project's.
  env -u CARGO_TARGET_DIR cargo install trunk --version "$LOUPE_TRUNK_VERSION" --locked
}

loupe_wasm_bindgen() {
  local have
  have=$(wasm-bindgen --version 2>/dev/null || true)
  if [ "$have" = "wasm-bindgen $LOUPE_WASM_BINDGEN_VERSION" ]; then
    echo "    $have already installed"
    return 0
  fi
  echo "    found '${have:-nothing}', installing wasm-bindgen-cli $LOUPE_WASM_BINDGEN_VERSION (about 5 min)"
  # No --locked: the crate's own lockfile pins a dependency version the registry lacks.
  env -u CARGO_TARGET_DIR cargo install wasm-bindgen-cli --version "$LOUPE_WASM_BINDGEN_VERSION"
}

loupe_npm() {
  local stamp="$LOUPE_ROOT/node_modules/.loupe-setup-stamp" want
  want=$(cat "$LOUPE_ROOT/package.json" "$LOUPE_ROOT/package-lock.json" | sha256sum | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
    [ -x "$LOUPE_ROOT/node_modules/.bin/wasm-opt" ] &&
    [ -d "$LOUPE_ROOT/node_modules/playwright-core" ]; then
    echo "    node_modules up to date with package-lock.json"
    return 0
  fi
  (cd "$LOUPE_ROOT" && npm ci --no-audit --no-fund) && echo "$want" >"$stamp"
}

loupe_setup() {
  LOUPE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  LOUPE_SETUP_TIMES=()
  local failed=0
  loupe_paths
  loupe_step "rustup wasm32 + components" loupe_rust_targets || failed=1
  loupe_step "node + npm" loupe_node || failed=1
  loupe_step "chromium + chromedriver" loupe_chromium || failed=1
  loupe_step "trunk $LOUPE_TRUNK_VERSION" loupe_trunk || failed=1
  loupe_step "wasm-bindgen-cli $LOUPE_WASM_BINDGEN_VERSION" loupe_wasm_bindgen || failed=1
  loupe_step "npm ci" loupe_npm || failed=1
  echo "==> setup summary"
  printf '    %s\n' "${LOUPE_SETUP_TIMES[@]}"
  if [ $failed -ne 0 ]; then
    echo "setup: some steps failed (see above)" >&2
    return 1
  fi
  echo "    tools: $(trunk --version), $(wasm-bindgen --version), wasm-opt $(wasm-opt --version | awk '{print $3}')"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  loupe_setup
  exit $?
else
  loupe_setup
fi
