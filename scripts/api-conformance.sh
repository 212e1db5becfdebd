#!/usr/bin/env bash
# API conformance: tests a real server against its OpenAPI description with schemathesis.
#
# Builds `outlet`, serves the demo registry on a free 127.0.0.1 port from a new temporary data
# folder, logs in as a demo officer and the demo administrator, and runs every schemathesis check
# against the description the server serves at /api/v1/openapi.yaml. Stops the server at the end
# and exits non-zero when schemathesis reports a failure.
#
# Usage: scripts/api-conformance.sh
#   SCHEMATHESIS_VERSION          release installed from PyPI into target/schemathesis-venv (default 4.32.5)
#   API_CONFORMANCE_MAX_EXAMPLES  test cases per operation in each phase (default 50)
#   API_CONFORMANCE_SEED          random seed that repeats an earlier run (default: a new one, printed)
#
# The server log, the JUnit report and schemathesis's state go to target/api-conformance/. Running
# the script again reuses the virtual environment.
set -euo pipefail
cd "$(dirname "$0")/.."

root=$PWD
version="${SCHEMATHESIS_VERSION:-4.32.5}"
max_examples="${API_CONFORMANCE_MAX_EXAMPLES:-50}"
seed="${API_CONFORMANCE_SEED:-}"
venv="$root/target/schemathesis-venv"
out="$root/target/api-conformance"
started=$SECONDS

if [[ ! -x "$venv/bin/python" ]]; then
  if ! python3 -m venv --help >/dev/null 2>&1; then
    echo "api-conformance: python3 with the venv module is missing; on Debian: apt-get install python3-venv" >&2
    exit 1
  fi
  python3 -m venv "$venv"
fi
if [[ "$("$venv/bin/python" -c 'from importlib.metadata import version; print(version("schemathesis"))' 2>/dev/null)" != "$version" ]]; then
  "$venv/bin/pip" install --quiet "schemathesis==$version"
fi

cargo build --quiet --package outlet-server --bin outlet

data_dir=$(mktemp -d)
server_pid=
stop_server() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$data_dir"
}
trap stop_server EXIT

# Port 0 would pick a free port atomically, but the server does not report the port it gets. So
# this probe picks one, and if another process takes it before the server binds, the start fails.
port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base_url="http://127.0.0.1:$port"
mkdir -p "$out"
target/debug/outlet serve --demo --addr "127.0.0.1:$port" --data-dir "$data_dir" >"$out/server.log" 2>&1 &
server_pid=$!

# Loading the demo registry and hashing the demo passwords takes about a second.
for _ in $(seq 1 100); do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "api-conformance: the server stopped while starting; its log, $out/server.log:" >&2
    cat "$out/server.log" >&2
    exit 1
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    break
  fi
  sleep 0.1
done

# Demo accounts and passwords, as the README lists them. The logout test revokes its own token.
# The officer logs in on the device that signed the description's example record (the fixture
# device of outlet_core::fixtures), so the example submission verifies.
log_in() { "$venv/bin/python" scripts/api-conformance/log_in.py "$base_url" "$@"; }
OUTLET_OFFICER_TOKEN=$(log_in 35000001 demo-officer 0d0e0000-0000-4000-8000-000000000001 GX9rI+FshTLGq8g4+s1ep4m+DHaykgM0A5v6iz02jWE=)
OUTLET_ADMIN_TOKEN=$(log_in 35009001 demo-admin-pass)
OUTLET_LOGOUT_TOKEN=$(log_in 35000002 demo-officer)
export OUTLET_OFFICER_TOKEN OUTLET_ADMIN_TOKEN OUTLET_LOGOUT_TOKEN

# schemathesis keeps its example database and reports in its working folder.
cd "$out"
status=0
"$venv/bin/st" --config-file "$root/scripts/api-conformance/schemathesis.toml" --no-color run \
  "$base_url/api/v1/openapi.yaml" \
  --checks all \
  --max-examples "$max_examples" \
  ${seed:+--seed "$seed"} \
  --request-timeout 30 \
  --report junit --report-dir "$out" \
  || status=$?

echo "api-conformance: schemathesis $version, $max_examples examples per operation and phase, $((SECONDS - started)) s in all; exit status $status"
exit "$status"
