#!/usr/bin/env bash
# Runs every test layer of Loupe after installing what is missing (scripts/setup.sh):
#
#   1. lint    cargo fmt --check; cargo clippy -D warnings, native (all targets) and wasm32
#   2. native  cargo test (core, chart, state and the architecture test)
#   3. wasm    wasm-bindgen-test in headless Chromium (tests/web.rs)
#   4. e2e     trunk build --release --public-url ./, then node:test + playwright-core against
#              dist/ served on 127.0.0.1 (tests/e2e/)
#
# Every layer runs even when an earlier one failed; each prints its pass/fail counts and the
# script ends with a summary table and a non-zero exit status if any layer failed.
# Logs of each command go to $LOUPE_TEST_LOGS (default: a fresh folder under /tmp).

set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1

now_ms() { date +%s%3N; }
secs_since() { awk -v ms=$(($(now_ms) - $1)) 'BEGIN { printf "%.1f", ms / 1000 }'; }

LOGS=${LOUPE_TEST_LOGS:-$(mktemp -d "${TMPDIR:-/tmp}/loupe-test-logs.XXXXXX")}
mkdir -p "$LOGS"

# Summary rows: name|result|passed|failed|skipped|seconds|note
SUMMARY=()
ANY_FAILED=0

record() {
  SUMMARY+=("$1|$2|$3|$4|$5|$6|$7")
  [ "$2" = ok ] || ANY_FAILED=1
}

banner() { printf '\n\033[1m=== %s ===\033[0m\n' "$*"; }

# run LOG COMMAND...: runs a command with its output both shown and kept in $LOGS/LOG.
run() {
  local log="$LOGS/$1"
  shift
  echo "+ $*"
  "$@" 2>&1 | tee "$log"
  return "${PIPESTATUS[0]}"
}

# cargo_counts LOG: sums the `test result:` lines of cargo / wasm-bindgen-test-runner output
# into PASSED FAILED SKIPPED (ignored tests count as skipped).
cargo_counts() {
  # Strip colour codes first: some runners colour "ok" and "FAILED".
  sed 's/\x1b\[[0-9;]*m//g' "$LOGS/$1" | awk '
    /test result:/ {
      for (i = 1; i <= NF; i++) {
        if ($(i + 1) ~ /^passed/) p += $i
        if ($(i + 1) ~ /^failed/) f += $i
        if ($(i + 1) ~ /^ignored/) s += $i
      }
    }
    END { printf "%d %d %d\n", p, f, s }'
}

# ---------------------------------------------------------------------------------------------
banner "setup"
t0=$(now_ms)
# shellcheck source=scripts/setup.sh
if . "$ROOT/scripts/setup.sh"; then
  record setup ok "" "" "" "$(secs_since "$t0")" ""
else
  record setup FAIL "" "" "" "$(secs_since "$t0")" "see setup output"
fi

# ---------------------------------------------------------------------------------------------
banner "1. lint: rustfmt and clippy (native + wasm32)"
t0=$(now_ms)
lint_pass=0
lint_fail=0
lint_failed_names=()
lint_check() {
  local name=$1
  shift
  if run "lint-$name.log" "$@"; then
    lint_pass=$((lint_pass + 1))
  else
    lint_fail=$((lint_fail + 1))
    lint_failed_names+=("$name")
  fi
}
lint_check fmt cargo fmt --check
lint_check clippy-native cargo clippy --all-targets -- -D warnings
lint_check clippy-wasm32 cargo clippy --target wasm32-unknown-unknown -- -D warnings
echo "lint: $lint_pass passed, $lint_fail failed ${lint_failed_names[*]:+(${lint_failed_names[*]})}"
record lint "$([ $lint_fail -eq 0 ] && echo ok || echo FAIL)" $lint_pass $lint_fail 0 \
  "$(secs_since "$t0")" "${lint_failed_names[*]:-}"

# ---------------------------------------------------------------------------------------------
banner "2. native: cargo test"
t0=$(now_ms)
run native.log cargo test
rc=$?
# The golden expectations are written by an independent script (stdlib Python, never Loupe):
# fail if a committed expectation no longer matches what the script derives from the files.
if ! run golden-expect.log python3 scripts/golden_expect.py --check; then
  rc=1
fi
# Every figure quoted in the bundled stories, recomputed from the CSV files (stdlib Python).
if ! run story-figures.log python3 scripts/story_figures.py; then
  rc=1
fi
read -r p f s < <(cargo_counts native.log)
note=""
if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then note="cargo test exited $rc (build error?)"; fi
echo "native: $p passed, $f failed, $s ignored"
record native "$([ $rc -eq 0 ] && echo ok || echo FAIL)" "$p" "$f" "$s" "$(secs_since "$t0")" "$note"

# ---------------------------------------------------------------------------------------------
banner "3. wasm: wasm-bindgen-test in headless Chromium"
t0=$(now_ms)
CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver} \
  run wasm.log cargo test --target wasm32-unknown-unknown --test web --test web_components
rc=$?
read -r p f s < <(cargo_counts wasm.log)
note=""
if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then note="exited $rc (build or driver error?)"; fi
echo "wasm: $p passed, $f failed, $s ignored"
record wasm "$([ $rc -eq 0 ] && echo ok || echo FAIL)" "$p" "$f" "$s" "$(secs_since "$t0")" "$note"

# ---------------------------------------------------------------------------------------------
banner "4. e2e: release build + Playwright (playwright-core, Debian Chromium)"
t0=$(now_ms)
if run trunk-build.log trunk build --release --public-url ./; then
  build_secs=$(secs_since "$t0")
  echo "release build took ${build_secs}s; dist/:"
  ls -la dist/ | sed 's/^/    /'
  wasm_size=""
  for w in dist/*_bg.wasm; do
    [ -f "$w" ] || continue
    name=$(basename "$w" _bg.wasm)
    wasm_size="${wasm_size:+$wasm_size; }$name $(($(stat -c %s "$w") / 1024)) KB, gzip $(($(gzip -9c "$w" | wc -c) / 1024)) KB"
  done
  echo "${wasm_size:-no wasm in dist/}"
  tap="$LOGS/e2e.tap"
  # spec for people reading the log, TAP for the counts below.
  # The whole suite takes ~9 min on a slow day (2 shared vCPUs); the bound is for a hang.
  run e2e.log timeout 1800 node --test \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap" \
    tests/portal/ tests/e2e/
  rc=$?
  tap_count() {
    if [ -f "$tap" ]; then
      awk -v k="$1" '$1 == "#" && $2 == k { n = $3 } END { print n + 0 }' "$tap"
    else
      echo 0
    fi
  }
  p=$(tap_count pass)
  f=$(($(tap_count fail) + $(tap_count cancelled)))
  s=$(($(tap_count skipped) + $(tap_count todo)))
  note="release build ${build_secs}s${wasm_size:+; $wasm_size}"
  if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then note="$note; node --test exited $rc"; fi
  echo "e2e: $p passed, $f failed, $s skipped (screenshots in tests/e2e/screenshots/)"
  record e2e "$([ $rc -eq 0 ] && echo ok || echo FAIL)" "$p" "$f" "$s" "$(secs_since "$t0")" "$note"
else
  echo "e2e: not run, the release build failed"
  record e2e FAIL 0 0 0 "$(secs_since "$t0")" "trunk build --release failed"
fi

# ---------------------------------------------------------------------------------------------
banner "summary"
printf '%-8s %-6s %7s %7s %8s %9s  %s\n' layer result passed failed skipped seconds note
for row in "${SUMMARY[@]}"; do
  IFS='|' read -r name result passed failed skipped secs note <<<"$row"
  printf '%-8s %-6s %7s %7s %8s %9s  %s\n' "$name" "$result" "$passed" "$failed" "$skipped" "$secs" "$note"
done
echo "logs: $LOGS"
if [ $ANY_FAILED -ne 0 ]; then
  echo "RESULT: FAILED"
  exit 1
fi
echo "RESULT: all layers passed"
