#!/usr/bin/env bash
# Measures `outlet import` of a synthetic registry: wall time, rows per second and peak memory (GNU
# time's maximum resident set size), on an empty data folder and again on the filled one (every card
# unchanged). Prints the figures for docs/BENCHMARKS.md.
# Usage: scripts/bench-import.sh [OUTLETS]   (needs /usr/bin/time: apt-get install time)
set -euo pipefail
cd "$(dirname "$0")/.."
outlets="${1:-100000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --quiet --release --package outlet-server --bin outlet
outlet=target/release/outlet

/usr/bin/time -f "%e %M" -o "$work/time" "$outlet" demo-data --outlets "$outlets" --registry "$work/registry" 2>/dev/null
read -r seconds kilobytes <"$work/time"
rows=$(($(cat "$work"/registry/*.csv | wc -l) - 8))
printf 'write a registry of %s outlets (%s rows, %s MiB of CSV): %s s, peak RSS %s MiB\n' \
  "$outlets" "$rows" "$(du -sm "$work/registry" | cut -f1)" "$seconds" "$((kilobytes / 1024))"

measure() {
  local label="$1"
  shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>/dev/null
  read -r seconds kilobytes <"$work/time"
  printf '%s: %s s, %s rows/s, peak RSS %s MiB\n  %s\n' "$label" "$seconds" \
    "$(awk -v rows="$rows" -v s="$seconds" 'BEGIN { printf "%.0f", rows / s }')" "$((kilobytes / 1024))" \
    "$(grep -E 'added|Read' "$work/out" | tr '\n' ' ')"
}

measure "import into an empty data folder" "$outlet" import --lang en --data-dir "$work/data" "$work/registry"
measure "import the same registry again (all unchanged)" "$outlet" import --lang en --data-dir "$work/data" "$work/registry"
measure "dry run against the filled data folder" "$outlet" import --lang en --dry-run --data-dir "$work/data" "$work/registry"
printf 'data folder: %s MiB\n' "$(du -sm "$work/data" | cut -f1)"
