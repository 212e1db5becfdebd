#!/usr/bin/env bash
# Load benchmarks of `outlet serve` on 127.0.0.1, in one run:
#   1. card GETs per second (wrk) against nginx serving the same card JSON from a file, both for a
#      full 200 response and for a conditional GET that gets 304, with two floors of the server for
#      comparison (a route that reads no store, and the token check alone);
#   2. inspection intake per second with durable writes (crates/server/examples/intake_load.rs),
#      on the sled store and on PostgreSQL;
#   3. 100 devices sending 10 records each at the same moment;
#   4. slow clients: connections that send their request one byte every 2 s.
# Prints markdown tables for docs/BENCHMARKS.md, and exits non-zero when a check fails (an
# unacknowledged record, a duplicate receipt, a stored count other than the records sent, or an
# HTTP error under wrk).
#
# Usage: scripts/bench-load.sh   (installs nginx and wrk from apt when missing; needs curl, python3)
#   BENCH_LOAD_THREADS, BENCH_LOAD_CONNECTIONS, BENCH_LOAD_SECONDS   wrk's -t, -c, -d (2, 64, 10)
#   BENCH_LOAD_SLOW_SECONDS   how long the slow clients trickle, in seconds (75; 0 skips them)
#   OUTLET_TEST_DATABASE_URL  URL of a PostgreSQL role that may create databases. When unset,
#       `cargo xtask postgres` starts the local PostgreSQL and provides one (as root); note that it
#       also drops the outlet_test_* databases of server tests that may be running. Without
#       PostgreSQL the PostgreSQL rows read "not measured".
set -euo pipefail
cd "$(dirname "$0")/.."

root=$PWD
threads="${BENCH_LOAD_THREADS:-2}"
connections="${BENCH_LOAD_CONNECTIONS:-64}"
seconds="${BENCH_LOAD_SECONDS:-10}"
slow_seconds="${BENCH_LOAD_SLOW_SECONDS:-75}"
badge_no=BENCH01
password=bench-load-password
# Intake runs as "devices records-per-device": one device alone, 16 busy devices, 100 devices at once.
intake_runs=("1 500" "16 250" "100 10")

for tool in nginx wrk; do
  if ! command -v "$tool" >/dev/null; then
    apt-get install -y nginx wrk >/dev/null
  fi
done

cargo build --quiet --release --package outlet-server --bin outlet --example intake_load
outlet=target/release/outlet
intake_load=target/release/examples/intake_load

# The data folders live under target/ so that the durable writes go to the project's disk, not to
# a tmpfs where fsync costs nothing.
work=$(mktemp -d "$root/target/bench-load.XXXXXX")
server_pid=
nginx_pid=
database_admin_url=
database_name=
cleanup() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ -n "$nginx_pid" ]]; then
    kill "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
  fi
  if [[ -n "$database_name" ]]; then
    psql "$database_admin_url" -X -q -c "DROP DATABASE IF EXISTS $database_name WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# Port 0 would pick a free port atomically, but neither server reports the port it gets.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The value of KEY in a line of key=value pairs.
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"; }

fail() {
  echo "bench-load: $*" >&2
  exit 1
}

# Creates the benchmark officer in data folder $1 (database URL $2, or empty for sled), then serves
# the demo registry from it. Sets server_pid and server_url.
start_outlet() {
  local data_dir="$1" database_url="$2" port
  mkdir -p "$data_dir"
  echo "$password" | env ${database_url:+OUTLET_DATABASE_URL="$database_url"} "$outlet" accounts --data-dir "$data_dir" create \
    --badge-no "$badge_no" --name 负载测试 --region 350100 --role officer --password-stdin >"$data_dir.accounts.log" 2>&1 ||
    fail "creating the benchmark officer failed: $(cat "$data_dir.accounts.log")"
  port=$(free_port)
  server_url="http://127.0.0.1:$port"
  env ${database_url:+OUTLET_DATABASE_URL="$database_url"} "$outlet" serve --demo --addr "127.0.0.1:$port" --data-dir "$data_dir" \
    >"$data_dir.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do
    curl -sf "$server_url/api/v1/health" >/dev/null && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$data_dir.log" >&2
  fail "outlet serve did not start on $server_url; its log is above"
}

stop_outlet() {
  kill "$server_pid"
  wait "$server_pid" || true
  server_pid=
}

# Runs wrk against URL $1 with extra arguments and prints the report line of scripts/bench-load/report.lua.
run_wrk() {
  local url="$1"
  shift
  wrk -t"$threads" -c"$connections" -d"${seconds}s" -s scripts/bench-load/report.lua "$@" "$url" | grep '^requests='
}

# Runs the intake load for each entry of intake_runs against the server and appends table rows
# for store $1 to intake_rows. Every record is sent and acknowledged once, then resent once.
intake_rows=()
records_sent=0
run_intake() {
  local store="$1" run devices records line
  for run in "${intake_runs[@]}"; do
    read -r devices records <<<"$run"
    line=$(OUTLET_BADGE_NO=$badge_no OUTLET_PASSWORD=$password "$intake_load" load "$server_url" --devices "$devices" --records "$records") ||
      fail "intake on $store with $devices devices × $records records failed: $line"
    records_sent=$((records_sent + devices * records))
    intake_rows+=("| $store | $devices × $records | $(field records_per_s "$line") | $(field seconds "$line") s | $(field p50_ms "$line") ms | $(field p99_ms "$line") ms | $(field acknowledged "$line") / $(field records "$line") | $(($(field retries "$line") + $(field failed "$line"))) | $(field distinct_receipts "$line") | $(field resends_matching "$line") |")
  done
}

# Stops the server, checks that the store of data folder $1 (database $2) contains exactly the
# records sent, and sets stored to the count.
check_stored() {
  local data_dir="$1" database_url="$2" line
  stop_outlet
  line=$(env ${database_url:+OUTLET_DATABASE_URL="$database_url"} "$intake_load" count --data-dir "$data_dir")
  stored=$(field stored_inspections "$line")
  [[ "$stored" == "$records_sent" ]] || fail "the store holds $stored inspections, but $records_sent were sent"
}

# Other processes skew every figure on 2 cores, so the load average is printed with the results.
echo "bench-load: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start; wrk -t$threads -c$connections -d${seconds}s" >&2

# --- sled: card GETs, intake, slow clients ----------------------------------------------------------
start_outlet "$work/sled" ""
token=$(python3 scripts/api-conformance/log_in.py "$server_url" "$badge_no" "$password")
outlet_id=$(curl -sf -H "Authorization: Bearer $token" "$server_url/api/v1/regions/350100/changes?since=0&limit=1" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["changes"][0]["outlet"])')
card_path="/api/v1/outlets/$outlet_id/card"

# nginx serves the card's bytes, fetched once from the server, at the same path.
prefix="$work/nginx"
mkdir -p "$prefix/www$(dirname "$card_path")" "$prefix/temp"
server_etag=$(curl -sf -D - -o "$prefix/www$card_path" -H "Authorization: Bearer $token" "$server_url$card_path" |
  sed -n 's/^etag: *\(.*\)\r$/\1/ip')
user_directive=
[[ $EUID -eq 0 ]] && user_directive="user $(id -un) $(id -gn);"
nginx_port=$(free_port)
sed -e "s|@PREFIX@|$prefix|g" -e "s|@PORT@|$nginx_port|g" -e "s|@USER_DIRECTIVE@|$user_directive|" \
  scripts/bench-load/nginx.conf.template >"$prefix/nginx.conf"
nginx -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/error.log" -g 'daemon off;' &
nginx_pid=$!
nginx_url="http://127.0.0.1:$nginx_port"
for _ in $(seq 50); do curl -sf -o /dev/null "$nginx_url$card_path" && break; sleep 0.1; done
nginx_etag=$(curl -sf -I "$nginx_url$card_path" | sed -n 's/^etag: *\(.*\)\r$/\1/ip')

# Both get the same Authorization header; nginx ignores it.
authorization="Authorization: Bearer $token"
for target in "$server_url|$server_etag" "$nginx_url|$nginx_etag"; do
  url="${target%%|*}$card_path" etag="${target#*|}"
  [[ $(curl -s -o /dev/null -w '%{http_code}' -H "$authorization" "$url") == 200 ]] || fail "$url does not answer 200"
  [[ $(curl -s -o /dev/null -w '%{http_code}' -H "$authorization" -H "If-None-Match: $etag" "$url") == 304 ]] ||
    fail "$url does not answer 304 to If-None-Match: $etag"
done

nginx_200=$(run_wrk "$nginx_url$card_path" -H "$authorization")
server_200=$(run_wrk "$server_url$card_path" -H "$authorization")
nginx_304=$(run_wrk "$nginx_url$card_path" -H "$authorization" -H "If-None-Match: $nginx_etag")
server_304=$(run_wrk "$server_url$card_path" -H "$authorization" -H "If-None-Match: $server_etag")
# Two floors of the card GET: a route that reads no store, and one that only checks the token.
server_health=$(run_wrk "$server_url/api/v1/health")
server_session=$(run_wrk "$server_url/api/v1/session" -H "$authorization")
for line in "$nginx_200" "$server_200" "$nginx_304" "$server_304" "$server_health" "$server_session"; do
  [[ $(field http_errors "$line") == 0 ]] || fail "wrk counted HTTP errors: $line"
done

run_intake sled

slow_line=
if [[ "$slow_seconds" != 0 ]]; then
  slow_line=$(OUTLET_TOKEN=$token python3 scripts/bench-load/slow_clients.py --seconds "$slow_seconds" \
    "outlet-headers=127.0.0.1:${server_url##*:}:header" \
    "outlet-body=127.0.0.1:${server_url##*:}:body" \
    "nginx-headers=127.0.0.1:$nginx_port:header")
fi
kill "$nginx_pid"
wait "$nginx_pid" || true
nginx_pid=
check_stored "$work/sled" ""
sled_stored=$stored

# --- PostgreSQL: intake ---------------------------------------------------------------------------------
pg_stored="not measured"
database_admin_url="${OUTLET_TEST_DATABASE_URL:-}"
if [[ -z "$database_admin_url" ]]; then
  database_admin_url=$(cargo xtask postgres 2>/dev/null | sed -n 's/^OUTLET_TEST_DATABASE_URL=//p') || true
fi
if [[ -n "$database_admin_url" ]] && command -v psql >/dev/null; then
  database_name="outlet_bench_$$"
  psql "$database_admin_url" -X -q -c "CREATE DATABASE $database_name" >/dev/null
  # The admin URL with its database replaced by the new one.
  database_url=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' \
    "$database_admin_url" "$database_name")
  records_sent=0
  start_outlet "$work/postgres" "$database_url"
  run_intake postgresql
  check_stored "$work/postgres" "$database_url"
  pg_stored=$stored
  pg_settings=$(psql "$database_url" -X -A -t -c "SELECT string_agg(name || '=' || setting, ' ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'wal_sync_method', 'server_version')")
  echo "bench-load: PostgreSQL $pg_settings" >&2
else
  intake_rows+=("| postgresql | — | not measured: no PostgreSQL (set OUTLET_TEST_DATABASE_URL) | | | | | | | |")
fi

# --- tables ---------------------------------------------------------------------------------------------
card_row() {
  echo "| $1 | $2 | $(field rps "$3") | $(field p50_ms "$3") ms | $(field p99_ms "$3") ms | $(field bytes_per_response "$3") | $(field http_errors "$3") / $(field socket_errors "$3") |"
}
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "$(field rps "$1")" "$(field rps "$2")"; }

echo
echo "Card GETs: wrk -t$threads -c$connections -d${seconds}s, one card ($outlet_id, $(stat -c %s "$prefix/www$card_path") bytes of JSON)"
echo
echo "| server | response | requests/s | p50 | p99 | bytes/response | HTTP / socket errors |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
card_row "nginx $(nginx -v 2>&1 | sed 's|.*/||'), file" "200" "$nginx_200"
card_row "outlet serve (sled)" "200" "$server_200"
card_row "nginx, If-None-Match" "304" "$nginx_304"
card_row "outlet serve, If-None-Match" "304" "$server_304"
card_row "outlet serve, /api/v1/health (no login, no store)" "200" "$server_health"
card_row "outlet serve, GET /api/v1/session (token check only)" "200" "$server_session"
echo
echo "Ratio outlet/nginx: 200 $(ratio "$server_200" "$nginx_200"), 304 $(ratio "$server_304" "$nginx_304")"
echo
echo "Inspection intake (each record acknowledged once, then resent once):"
echo
echo "| store | devices × records | records/s | wall time | p50 | p99 | acknowledged | retries + failed | distinct receipts | resends with the original receipt |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${intake_rows[@]}"
echo
echo "Stored after the runs: sled $sled_stored, PostgreSQL $pg_stored (each equals the records sent)"
if [[ -n "$slow_line" ]]; then
  echo
  echo "Slow clients (one byte every 2 s for ${slow_seconds} s):"
  echo
  echo "| target | trickled part | connections | cut by the server | still open at the end | median time to cut |"
  echo "| --- | --- | --- | --- | --- | --- |"
  while read -r line; do
    echo "| $(field target "$line") | $(field mode "$line") | $(field connections "$line") | $(field cut "$line") | $(field open_at_end "$line") | $(field median_cut_s "$line") s |"
  done <<<"$slow_line"
fi
