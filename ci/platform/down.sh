# shellcheck shell=bash
# `platform down` leaves nothing of the instance on the host: no process, mount, network namespace,
# cgroup or state (the registry's data, the platform's keys and the pipeline's output live in it).

scenario_down() {
  down_clean() {
    platform down >"$WORK/down.log" 2>&1 || { tail -n 5 "$WORK/down.log"; return 1; }
    local left
    left=$(leftovers "$CLUSTER")
    [[ -z "$left" ]] || { fail "left behind: $left"; return 1; }
  }
  check "the instance is there before (negative control for the check below)" sh -c '[ -n "$1" ]' _ "$(leftovers "$CLUSTER")"
  check "platform down: no process, mount, network namespace, cgroup or state left" down_clean
}
