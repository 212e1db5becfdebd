#!/usr/bin/env bash
# Runs the cargo-fuzz targets in fuzz/ (the HJ 212 packet parser and the placard QR text parser) for
# SECONDS each, 60 by default, and installs cargo-fuzz first if it is missing.
#
#   scripts/fuzz.sh [SECONDS]
#
# New inputs that reach new code go to fuzz/corpus/TARGET (not committed); the committed seeds are
# in fuzz/seeds/TARGET. A crash stops the run, leaves the input in fuzz/artifacts/TARGET and makes
# the script fail. Replay one with `RUSTC_BOOTSTRAP=1 cargo fuzz run TARGET fuzz/artifacts/TARGET/FILE`.
set -euo pipefail

seconds="${1:-60}"
cd "$(dirname "$0")/.."

if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

# cargo-fuzz builds with flags (-Z...) that only a nightly compiler accepts; RUSTC_BOOTSTRAP=1 makes
# the stable compiler accept them, so no nightly toolchain has to be installed.
export RUSTC_BOOTSTRAP=1

for target in hj212_parse placard_text; do
    mkdir -p "fuzz/corpus/$target"
    echo "fuzz.sh: $target for ${seconds} s"
    cargo fuzz run "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- -max_total_time="$seconds" -print_final_stats=1
done
