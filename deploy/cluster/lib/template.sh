# shellcheck shell=bash
# render FILE: prints FILE with every @NAME@ replaced by the shell variable NAME (which must be set).
render() {
  local text var
  text=$(<"$1")
  for var in $(grep -o '@[A-Z_]*@' "$1" | sort -u | tr -d @); do
    [[ -v "$var" ]] || { echo "cluster: $1 uses @$var@, which is not set" >&2; return 1; }
    text=${text//@$var@/${!var}}
  done
  printf '%s\n' "$text"
}

# render_to FILE OUT: renders FILE into OUT, leaving OUT untouched when nothing changed
# (kube-proxy exits when its configuration file is rewritten, even with the same content).
render_to() {
  local new
  new=$(render "$1") || return 1
  [[ -f "$2" && "$(cat "$2")" == "$new" ]] && return 0
  printf '%s\n' "$new" >"$2"
}
