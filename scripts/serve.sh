#!/usr/bin/env bash
# Installs whatever is missing (scripts/setup.sh), then serves Loupe with live reload at
# http://127.0.0.1:8080 (settings in Trunk.toml). Extra arguments go to `trunk serve`,
# e.g. `scripts/serve.sh --release`.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1
# shellcheck source=scripts/setup.sh
. "$ROOT/scripts/setup.sh" || { echo "serve: setup failed" >&2; exit 1; }
exec trunk serve "$@"
