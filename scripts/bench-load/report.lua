-- wrk script for scripts/bench-load.sh: prints one line of key=value results after the run, so the
-- shell script can build its table. Latencies are wrk's per-request times in milliseconds.
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  io.write(string.format(
    "requests=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f bytes_per_response=%.0f http_errors=%d socket_errors=%d\n",
    summary.requests,
    summary.requests / seconds,
    latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    summary.bytes / math.max(summary.requests, 1),
    errors.status,
    errors.connect + errors.read + errors.write + errors.timeout
  ))
end
