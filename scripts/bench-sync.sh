#!/usr/bin/env bash
# Measures the sync of a large outbox over 127.0.0.1 in one run: the app core against curl sending
# the same bytes, and the bytes sent again after a cut connection
# (crates/app-core/examples/sync_bench.rs). Prints the machine, the date and the results for
# docs/BENCHMARKS.md.
# Usage: scripts/bench-sync.sh [INSPECTIONS]   (default 1000; needs curl and about 4 GB free in
# TMPDIR at 1000 inspections)
set -euo pipefail
cd "$(dirname "$0")/.."
inspections="${1:-1000}"

if ! command -v curl >/dev/null; then
  echo "curl is missing; installing it with apt-get" >&2
  apt-get install -y curl >/dev/null
fi

cargo build --quiet --release --package outlet-app-core --example sync_bench

echo "command: scripts/bench-sync.sh $inspections"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM"
echo "curl: $(curl --version | head -n1 | cut -d' ' -f1-2)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
target/release/examples/sync_bench "$inspections" "${TMPDIR:-/tmp}"
