#!/usr/bin/env bash
# Peer benchmark: Loupe against DuckDB-WASM, Arquero, Perspective and PapaParse in headless
# Chromium, on generated French-budget CSVs (`,` and `;` + decimal comma variants).
#
#   scripts/bench.sh [--rows 100000,1000000] [other run.js options, e.g. --wait-idle 60]
#
# Copies the harness from ${LOUPE_PEERS:-../shared/bench/peers} (read-only there) into a
# temporary folder (kept between runs in ${LOUPE_BENCH_DIR:-$TMPDIR/loupe-bench-peers}, so the
# npm packages and generated data are reused), runs `npm ci` there, builds the release
# (`trunk build --release --public-url ./`), then runs every peer and prints the tables.
# Peers default to all five; override with --peers. Exit status is the harness's: 0 only when
# every run loaded and every answer matched the truth file. Then prints Loupe's ratio to the
# best peer for each figure (scripts/bench_ratios.mjs), with the machine's core count.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1

PEERS_SRC=${LOUPE_PEERS:-$ROOT/../shared/bench/peers}
BENCH=${LOUPE_BENCH_DIR:-${TMPDIR:-/tmp}/loupe-bench-peers}
[ -d "$PEERS_SRC" ] || { echo "bench: no harness at $PEERS_SRC (set LOUPE_PEERS)" >&2; exit 1; }

args=("$@")
has_rows=0
has_peers=0
for a in "${args[@]}"; do
  [ "$a" = "--rows" ] && has_rows=1
  [ "$a" = "--peers" ] && has_peers=1
done
[ $has_rows -eq 1 ] || args+=(--rows 100000)
[ $has_peers -eq 1 ] || args+=(--peers loupe,duckdb,arquero,papaparse,perspective)

echo "==> bench: harness $PEERS_SRC -> $BENCH"
mkdir -p "$BENCH"
# Refresh the harness's own files; node_modules/, data/ and results/ stay for the next run.
(cd "$PEERS_SRC" && tar --exclude=./node_modules --exclude=./data --exclude=./results -cf - .) \
  | (cd "$BENCH" && tar -xf -) || { echo "bench: copy failed" >&2; exit 1; }
(cd "$BENCH" && npm ci --no-audit --no-fund >/dev/null) || { echo "bench: npm ci failed in $BENCH" >&2; exit 1; }

echo "==> bench: release build"
npm ci --no-audit --no-fund >/dev/null || { echo "bench: npm ci failed" >&2; exit 1; }
export PATH="$ROOT/node_modules/.bin:$PATH" TRUNK_SKIP_VERSION_CHECK=true
trunk build --release --public-url ./ || { echo "bench: trunk build failed" >&2; exit 1; }
wasm=$(ls "$ROOT"/dist/*.wasm | head -1)
echo "    wasm: $(stat -c %s "$wasm") bytes, $(gzip -9c "$wasm" | wc -c) gzip -9"

echo "==> bench: npm run bench -- --mount loupe=$ROOT/dist ${args[*]}"
cd "$BENCH" && npm run bench -- --mount "loupe=$ROOT/dist" "${args[@]}"
status=$?
# Loupe's ratio to the best peer for every figure, against issue 13's goals.
node "$ROOT/scripts/bench_ratios.mjs" "$BENCH/results/latest.json"
exit $status
