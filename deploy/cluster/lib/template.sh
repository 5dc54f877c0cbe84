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
