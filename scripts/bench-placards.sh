#!/usr/bin/env bash
# Measures issuing and rendering 10 000 placards into one PDF: wall time and peak memory
# (GNU time's maximum resident set size). Prints the figures for docs/BENCHMARKS.md.
# Usage: scripts/bench-placards.sh [OUTLETS]   (needs /usr/bin/time: apt-get install time)
set -euo pipefail
cd "$(dirname "$0")/.."
outlets="${1:-10000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --quiet --release --package outlet-server --bin outlet
outlet=target/release/outlet
"$outlet" demo-data --outlets "$outlets" --data-dir "$work/data" 2>/dev/null

measure() {
  local label="$1"
  shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1
  read -r seconds kilobytes <"$work/time"
  printf '%s: %s s, peak RSS %s MiB\n' "$label" "$seconds" "$((kilobytes / 1024))"
}

measure "issue $outlets placards (serials, signatures, card updates) and render one PDF" \
  "$outlet" placard --data-dir "$work/data" --out "$work/first" --public-url https://hb.example.gov.cn --format pdf-batch
measure "render the same $outlets placards again into one PDF" \
  "$outlet" placard --data-dir "$work/data" --out "$work/again" --public-url https://hb.example.gov.cn --format pdf-batch
printf 'PDF size: %s MiB, pages: %s\n' "$(($(stat -c %s "$work/again/placards-wall.pdf") / 1048576))" \
  "$(pdfinfo "$work/again/placards-wall.pdf" | awk '/^Pages:/ {print $2}')"
