#!/usr/bin/env bash
# Scanning benchmark: decodes the public QR corpus with rqrr alone (the baseline), rxing alone,
# outlet-scan's pipeline and zxing-cpp (the reference), one after the other on this machine. Prints
# decoded/total, wrong texts and ms per image (mean, median, p99) as Markdown for docs/BENCHMARKS.md.
#
# Usage: scripts/bench-scan.sh
#   OUTLET_QR_CORPUS  folder with manifest.jsonl (default: ../shared/corpora/qr beside the repository)
#   ZXING_CPP_VERSION zxing-cpp release installed from PyPI into target/bench-scan-venv (default 3.1.1)
#
# zxing-cpp is only the reference here; the product does not depend on it. Running the script again
# reuses the virtual environment and rebuilds the Rust example only when its sources changed.
set -euo pipefail
cd "$(dirname "$0")/.."

corpus="${OUTLET_QR_CORPUS:-../shared/corpora/qr}"
zxing_version="${ZXING_CPP_VERSION:-3.1.1}"
venv=target/bench-scan-venv
out=target/bench-scan

if [[ ! -f "$corpus/manifest.jsonl" ]]; then
  echo "bench-scan: $corpus/manifest.jsonl not found; set OUTLET_QR_CORPUS to the QR corpus folder" >&2
  exit 1
fi
mkdir -p "$out"

if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
fi
if [[ "$("$venv/bin/python" -c 'from importlib.metadata import version; print(version("zxing-cpp"))' 2>/dev/null)" != "$zxing_version" ]]; then
  "$venv/bin/pip" install --quiet "zxing-cpp==$zxing_version" Pillow
fi

cargo build --quiet --release --package outlet-scan --example corpus_bench

# Prints idle and total CPU time since boot, in clock ticks, from the first line of /proc/stat.
cpu_ticks() {
  awk '/^cpu / { total = 0; for (i = 2; i <= NF; i++) total += $i; print $5 + $6, total }' /proc/stat
}
read -r idle_before total_before < <(cpu_ticks)

# rqrr and rxing panic on a few images; the example catches those panics and their messages go to the log.
target/release/examples/corpus_bench "$corpus" "$out/rust.jsonl" 2>"$out/rust.log"
"$venv/bin/python" scripts/bench-scan/zxing_reference.py "$corpus" "$out/zxing-cpp.jsonl" 2>"$out/zxing-cpp.log"

read -r idle_after total_after < <(cpu_ticks)
idle_percent=$((100 * (idle_after - idle_before) / (total_after - total_before)))

echo "Machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores; date: $(date -u +%F)"
echo "CPU idle during the decoding: $idle_percent % of all cores (each decoder uses one core, so a quiet 2-core machine shows about 50 %)"
echo "Corpus: $corpus ($(grep -c . "$corpus/manifest.jsonl") images); per-image results in $out/"
echo
"$venv/bin/python" scripts/bench-scan/table.py "$corpus" "$out/rust.jsonl" "$out/zxing-cpp.jsonl"
