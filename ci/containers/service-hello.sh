# shellcheck shell=bash
# hello in its container: every route of the contract, over loopback from the host.

# shellcheck disable=SC2034 # read by the tier as ${svc}_run_args (port and build: the registry)
hello_run_args=(-e 'MESSAGES=one|two')

hello_root_html() {
  http_expect 200 "$1/" && header_has '^content-type: text/html' && body_has one && body_has two
}

hello_root_json() {
  http_expect 200 "$1/" -H 'Accept: application/json' \
    && json_eval 'j["messages"] == ["one", "two"] and j["servedBy"]["hostname"] and j["servedBy"]["version"]'
}

hello_hello() {
  http_expect 200 "$1/hello" || return 1
  [[ "$HTTP_BODY" == hello ]] || fail "body '$HTTP_BODY', want 'hello\\n'"
}

hello_headers() {
  http_expect 200 "$1/headers" -H 'X-Flotilla-Probe: container-tier' && body_has 'X-Flotilla-Probe: container-tier'
}

hello_scratch_roundtrip() {
  local body="scratch data $RUN_ID" id
  http_expect 201 "$1/scratch" --data-binary "$body" -H 'Content-Type: application/octet-stream' || return 1
  id=$(printf %s "$body" | sha256sum | cut -d' ' -f1)
  json_eval "j['id'] == '$id'" || return 1
  http_expect 200 "$1/scratch/$id" || return 1
  [[ "$HTTP_BODY" == "$body" ]] || fail "read back '$HTTP_BODY'"
}

hello_scratch_bad_input() {
  http_expect 400 "$1/scratch/not-a-sha" && json_eval '"error" in j' \
    && http_expect 404 "$1/scratch/$(printf '0%.0s' {1..64})" && json_eval '"error" in j'
}

hello_probes() {
  http_expect 200 "$1/healthz" && http_expect 200 "$1/readyz"
}

hello_metrics() {
  http_expect 200 "$1/metrics" && header_has '^content-type: text/plain' && body_has '# TYPE'
}

hello_checks() {
  local base=$1
  check "hello: GET / (HTML) shows MESSAGES" hello_root_html "$base"
  check "hello: GET / (JSON) messages and servedBy" hello_root_json "$base"
  check "hello: GET /hello" hello_hello "$base"
  check "hello: GET /headers echoes request headers" hello_headers "$base"
  check "hello: POST then GET /scratch on the tmpfs /tmp" hello_scratch_roundtrip "$base"
  check "hello: bad /scratch ids answer JSON 400/404" hello_scratch_bad_input "$base"
  check "hello: /healthz and /readyz" hello_probes "$base"
  check "hello: /metrics in Prometheus format" hello_metrics "$base"
}
