#!/usr/bin/env bash
# Measures the full download of a region's offline package over 127.0.0.1, in one run: the app's
# core (pages into a sled cache) against curl fetching the same page URLs into one file. Prints time,
# peak memory (GNU time's maximum resident set size) and cache size for docs/BENCHMARKS.md.
# Usage: scripts/bench-package.sh [OUTLETS]   (needs curl and /usr/bin/time)
set -euo pipefail
cd "$(dirname "$0")/.."
outlets="${1:-100000}"
work="$(mktemp -d)"
server_pid=""
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT

cargo build --quiet --release --package outlet-server --bin outlet
cargo build --quiet --release --package outlet-app-core --example package_download
outlet=target/release/outlet
download=target/release/examples/package_download

"$outlet" demo-data --outlets "$outlets" --data-dir "$work/server" 2>/dev/null
# An officer of the region, whose token the app core and curl send.
echo "bench-password" | "$outlet" accounts --data-dir "$work/server" create --badge-no BENCH01 --name 基准测试 \
  --region 350100 --role officer --password-stdin >/dev/null
export OUTLET_BADGE_NO=BENCH01 OUTLET_PASSWORD=bench-password
port=$((20000 + RANDOM % 20000))
"$outlet" serve --addr "127.0.0.1:$port" --data-dir "$work/server" 2>/dev/null &
server_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.1; done

measure() {
  local label="$1"
  shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>&1
  read -r seconds kilobytes <"$work/time"
  printf '%s: %s s, peak RSS %s MiB\n' "$label" "$seconds" "$((kilobytes / 1024))"
}

measure "app core: download $outlets cards into a sled cache" "$download" "http://127.0.0.1:$port" 350100 "$work/device" "$work/curl.cfg"
grep -E "^(download|cache|peak|fetch)" "$work/out"
# curl writes every page to standard output, which measure sends to one file.
measure "curl: the same $(grep -c '^url' "$work/curl.cfg") pages into one file" curl -s --config "$work/curl.cfg"
printf 'bytes fetched by curl: %s MiB\n' "$(($(stat -c %s "$work/out") / 1048576))"
