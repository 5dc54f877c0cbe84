# shellcheck shell=bash
# stats in its container: the seed's GET /stats contract, the SSE stream, and cgroup awareness
# (the container runs with CPU and memory limits, which /stats must report as its own).

# shellcheck disable=SC2034 # read by the tier as ${svc}_run_args (port and build: the registry)
STATS_MEMORY_LIMIT=$((256 * 1024 * 1024))
stats_run_args=(--memory "$STATS_MEMORY_LIMIT" --cpus 0.5 -e STATS_SAMPLE_INTERVAL_MS=500)

# /stats answers 503 until the first sample (one interval after start): wait for readiness.
stats_ready() { wait_http "$1/readyz" 15 || fail "/readyz not 200 after 15 s"; }

stats_contract() {
  http_expect 200 "$1/stats" && header_has '^content-type: application/json' \
    && json_eval 'all(isinstance(j[k], (int, float)) and 0 <= j[k] <= 100 for k in ("ram", "cpu")) and j["seq"] >= 1 and j["cpuCount"] >= 1'
}

# The container's limits, read from the read-only /sys/fs/cgroup Docker provides.
stats_cgroup_limits() {
  http_expect 200 "$1/stats" \
    && json_eval "j['memory']['source'].startswith('cgroup') and j['memory']['totalBytes'] == $STATS_MEMORY_LIMIT and j['cgroup']['memory']['maxBytes'] == $STATS_MEMORY_LIMIT and j['cgroup']['cpu']['limitCores'] == 0.5"
}

stats_sample_advances() {
  local first
  http_expect 200 "$1/stats" || return 1
  first=$(python3 "$ROOT/pipeline/lib/json-get.py" seq <<<"$HTTP_BODY")
  sleep 1.2
  http_expect 200 "$1/stats" && json_eval "j['seq'] > $first"
}

# Server-Sent Events: the retry hint, then samples as `stats` events with ids.
stats_stream() {
  local out
  out=$(curl -sS -N --max-time 2 "$1/stats/stream" 2>/dev/null || true) # --max-time ends the stream
  grep -q '^retry: ' <<<"$out" || fail "no retry: line in ${out:0:200}"
  [[ $(grep -c '^event: stats$' <<<"$out") -ge 2 ]] || fail "fewer than 2 stats events in 2 s: ${out:0:300}"
  grep -q '^data: {"ram":' <<<"$out" || fail "no data line in ${out:0:200}"
}

stats_unknown_route() {
  http_expect 404 "$1/nope" && json_eval '"error" in j'
}

stats_probes_metrics() {
  http_expect 200 "$1/healthz" && http_expect 200 "$1/readyz" \
    && http_expect 200 "$1/metrics" && body_has 'stats_last_sample_timestamp_seconds' && body_has 'stats_sse_streams'
}

stats_checks() {
  local base=$1
  check "stats: ready after its first sample" stats_ready "$base"
  check "stats: GET /stats {ram, cpu} percentages (seed contract)" stats_contract "$base"
  check "stats: reports the container's limits (memory 256 MiB, 0.5 CPU) from its cgroup" stats_cgroup_limits "$base"
  check "stats: samples advance" stats_sample_advances "$base"
  check "stats: GET /stats/stream sends SSE stats events" stats_stream "$base"
  check "stats: unknown route answers JSON 404" stats_unknown_route "$base"
  check "stats: /healthz, /readyz, /metrics" stats_probes_metrics "$base"
}
