# shellcheck shell=bash
# The cluster's processes: each one in its own session, its PID and executable recorded under
# $RUN, its output in $LOGS/<name>.log. Only processes recorded there are ever stopped.

# proc_running NAME: the recorded process is alive and still runs the recorded executable.
proc_running() {
  local pid exe
  [[ -f "$RUN/$1.pid" ]] || return 1
  { read -r pid && read -r exe; } <"$RUN/$1.pid" || return 1
  [[ -n "$pid" && "$(readlink "/proc/$pid/exe" 2>/dev/null)" == "$exe" ]]
}

# proc_start NAME [--host] EXECUTABLE ARGS...: starts it inside the namespace (or on the host)
# unless it already runs.
proc_start() {
  local name=$1 prefix=("${NS_EXEC[@]}")
  shift
  if [[ "$1" == --host ]]; then prefix=(); shift; fi
  proc_running "$name" && return 0
  mkdir -p "$RUN" "$LOGS"
  # setsid: a new session, so the terminal's Ctrl-C does not reach the cluster; nsenter execs
  # the program (no fork), so $! is the program itself.
  setsid "${prefix[@]}" "$@" >>"$LOGS/$name.log" 2>&1 </dev/null &
  printf '%s\n%s\n' "$!" "$(readlink -f "$(command -v "$1")")" >"$RUN/$name.pid"
}

# proc_stop SECONDS NAME...: SIGTERM to all of them at once, SIGKILL to those still alive after
# SECONDS.
proc_stop() {
  local wait=$1 name pid pids=()
  shift
  for name in "$@"; do
    if proc_running "$name"; then
      pid=$(head -n1 "$RUN/$name.pid")
      kill -TERM "$pid" 2>/dev/null && pids+=("$pid")
    fi
    rm -f "$RUN/$name.pid"
  done
  local deadline=$((SECONDS + wait))
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
}

# wait_for SECONDS WHAT CMD...: polls CMD until it succeeds; on timeout says what did not happen.
wait_for() {
  local seconds=$1 what=$2 deadline=$((SECONDS + $1))
  shift 2
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      echo "cluster: $what: not after $seconds s" >&2
      return 1
    fi
    sleep 0.5
  done
}
