# shellcheck shell=bash
# Installing the tools the CI tiers need, once per machine, into $FLOTILLA_CACHE (default
# ~/.cache/flotilla), keyed by version. Every install holds a per-tool lock, so a tier that needs
# a tool the background prebuild (CI builds them in the background) is still building waits for it instead of
# building it twice. Source it; it defines functions only.
#   go_tool NAME MODULE VERSION [go install args...]   `go install MODULE@VERSION` -> $TOOLS_BIN/NAME
#   go_module_build NAME MODULE VERSION PKG [go build args...]
#                                    for modules `go install` refuses (replace/exclude directives):
#                                    builds PKG inside a copy of the module from the Go module proxy;
#                                    GO_MODULE_UPGRADES="mod@version ..." raises dependencies first
#                                    (security fixes a release has not picked up yet);
#                                    replaces pointing at a folder the module zip lacks (a nested
#                                    module, e.g. ./api, or the repository around it, ../) are
#                                    dropped, so the required version is used;
#                                    GO_MODULE_PREPARE runs in the copy before the build: the name of
#                                    a shell function (its body is part of the version stamp) or a
#                                    command line (itself part of the stamp; $FLOTILLA_REPO is the
#                                    repository root), e.g. to slim a generated registration file
#   go_local_build NAME DIR [go build args...]
#                                    the main package in DIR, a Go module of this repository (its own
#                                    go.mod/go.sum pin every dependency); rebuilt when its files change
#   apt_need PACKAGE...              Debian packages, installed when missing (waits for apt's lock)
#   pip_venv NAME REQUIREMENTS       a venv at $FLOTILLA_CACHE/venv-NAME from a pinned requirements file
#   tool_build NAME STAMP CMD...     any other one-binary build (a builder run): CMD must leave an
#                                    executable at $TOOLS_BIN/NAME; STAMP keys the cache
#   tool_tree NAME STAMP FUNCTION [ARGS...]
#                                    for what is more than one file: FUNCTION DIR ARGS... fills DIR,
#                                    which becomes $FLOTILLA_CACHE/NAME once it succeeded (rebuilt
#                                    when STAMP changes)
#   tools_built NAME                 "NAME built in N s" or "NAME cached" (for the cold/warm notes)

FLOTILLA_CACHE=${FLOTILLA_CACHE:-$HOME/.cache/flotilla}
FLOTILLA_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export FLOTILLA_REPO
TOOLS_BIN=$FLOTILLA_CACHE/bin
mkdir -p "$TOOLS_BIN" "$FLOTILLA_CACHE/locks" "$FLOTILLA_CACHE/logs"
case ":$PATH:" in *":$TOOLS_BIN:"*) ;; *) export PATH="$TOOLS_BIN:/usr/local/go/bin:$PATH" ;; esac

_tools_die() {
  echo "tools: $*" >&2
  return 1
}

# _tool_locked NAME STAMP BUILD-FUNCTION ARGS...: runs BUILD-FUNCTION under NAME's lock unless the
# stamp file already records STAMP; writes the stamp only when the build succeeded.
_tool_locked() {
  local name=$1 stamp=$2
  shift 2
  local stampf="$TOOLS_BIN/.$name.version" lock="$FLOTILLA_CACHE/locks/$name.lock"
  if [[ -x "$TOOLS_BIN/$name" && "$(cat "$stampf" 2>/dev/null)" == "$stamp" ]]; then return 0; fi
  (
    flock 9
    if [[ -x "$TOOLS_BIN/$name" && "$(cat "$stampf" 2>/dev/null)" == "$stamp" ]]; then exit 0; fi
    command -v go >/dev/null || _tools_die "go is required to build $name from the Go module proxy: install Go 1.25 or newer (go.dev/dl; Debian bookworm's golang-go is too old)" || exit 1
    local t0=$SECONDS log="$FLOTILLA_CACHE/logs/$name.log"
    echo "tools: building $name ($stamp)" >&2
    if ! "$@" >"$log" 2>&1; then
      tail -n 30 "$log" >&2
      _tools_die "building $name failed (log: $log)" || exit 1
    fi
    echo "$stamp" >"$stampf"
    _tool_timed "$name" "$t0"
  ) 9>"$lock"
}

# _tool_timed NAME T0: records and prints the wall and CPU time of a build that ran in this
# (sub)shell since SECONDS was T0 (`times`' second line: the CPU of its finished children; run
# without a command substitution, which would fork and count nothing).
_tool_timed() {
  local wall=$((SECONDS - $2)) cpu f="$FLOTILLA_CACHE/logs/$1.times"
  times >"$f"
  cpu=$(awk 'NR == 2 { n = 0; for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); n += t[1] * 60 + t[2] } printf "%d", n }' "$f")
  echo "$wall" >"$FLOTILLA_CACHE/logs/$1.seconds"
  echo "$cpu" >"$FLOTILLA_CACHE/logs/$1.cpu-seconds"
  echo "tools: built $1 in $wall s (CPU $cpu s)" >&2
}

tool_tree() {
  local name=$1 stamp=$2
  shift 2
  local dir="$FLOTILLA_CACHE/$name" lock="$FLOTILLA_CACHE/locks/$name.lock"
  if [[ "$(cat "$dir/.stamp" 2>/dev/null)" == "$stamp" ]]; then return 0; fi
  (
    flock 9
    if [[ "$(cat "$dir/.stamp" 2>/dev/null)" == "$stamp" ]]; then exit 0; fi
    local t0=$SECONDS log="$FLOTILLA_CACHE/logs/$name.log"
    echo "tools: building $name ($stamp)" >&2
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
    if ! "$1" "$dir.tmp" "${@:2}" >"$log" 2>&1; then
      tail -n 30 "$log" >&2
      rm -rf "$dir.tmp"
      _tools_die "building $name failed (log: $log)" || exit 1
    fi
    echo "$stamp" >"$dir.tmp/.stamp"
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
    _tool_timed "$name" "$t0"
  ) 9>"$lock"
}

_go_install() { # name module version args...
  local name=$1 module=$2 version=$3
  shift 3
  local tmp
  tmp=$(mktemp -d)
  GOBIN=$tmp GOTOOLCHAIN=local GOFLAGS=-buildvcs=false CGO_ENABLED=${CGO_ENABLED:-0} \
    nice -n 10 go install -trimpath "$@" "$module@$version" || { rm -rf "$tmp"; return 1; }
  local built
  built=$(find "$tmp" -maxdepth 1 -type f | head -n1)
  [[ -n "$built" ]] || { rm -rf "$tmp"; return 1; }
  install -m 0755 "$built" "$TOOLS_BIN/$name"
  rm -rf "$tmp"
}

go_tool() {
  local name=$1 module=$2 version=$3
  shift 3
  _tool_locked "$name" "$module@$version $*" _go_install "$name" "$module" "$version" "$@"
}

_go_module_build() { # name module version pkg args...
  local name=$1 module=$2 version=$3 pkg=$4
  shift 4
  local dir src
  dir=$(GOFLAGS=-mod=mod GOTOOLCHAIN=local go mod download -json "$module@$version" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])') || return 1
  src=$(mktemp -d /tmp/flotilla-src.XXXXXX)
  cp -r "$dir/." "$src" && chmod -R u+w "$src"
  rm -rf "$src/go.work" "$src/go.work.sum" "$src/vendor"
  if [[ -n "${GO_MODULE_UPGRADES:-}" ]]; then
    # shellcheck disable=SC2086 # a list of module@version words
    (cd "$src" && GOTOOLCHAIN=local GOFLAGS=-mod=mod go get $GO_MODULE_UPGRADES && GOTOOLCHAIN=local go mod tidy) ||
      { rm -rf "$src"; return 1; }
  fi
  # A module zip never contains a nested module, so a `replace X => ./dir` to one cannot resolve,
  # nor can one to the repository around the module (`=> ../`, as grpc's examples have).
  local old
  for old in $(cd "$src" && GOTOOLCHAIN=local go mod edit -json | python3 -c 'import json,sys
for r in json.load(sys.stdin).get("Replace") or []:
    if r["New"]["Path"].startswith(("./", "../")): print(r["Old"]["Path"] + "=" + r["New"]["Path"])'); do
    [[ "${old#*=}" != ../* && -d "$src/${old#*=}" ]] || (cd "$src" && GOTOOLCHAIN=local go mod edit -dropreplace="${old%%=*}") ||
      { rm -rf "$src"; return 1; }
  done
  if [[ -n "${GO_MODULE_PREPARE:-}" ]]; then
    if declare -F "$GO_MODULE_PREPARE" >/dev/null; then
      (cd "$src" && "$GO_MODULE_PREPARE") || { rm -rf "$src"; return 1; }
    else
      (cd "$src" && bash -c "$GO_MODULE_PREPARE") || { rm -rf "$src"; return 1; }
    fi
  fi
  (cd "$src" && GOTOOLCHAIN=local GOFLAGS="-buildvcs=false -mod=mod" CGO_ENABLED=${CGO_ENABLED:-0} \
    nice -n 10 go build -trimpath "$@" -o "$TOOLS_BIN/$name.tmp" "$pkg") || { rm -rf "$src"; return 1; }
  mv "$TOOLS_BIN/$name.tmp" "$TOOLS_BIN/$name"
  rm -rf "$src"
}

go_module_build() {
  local name=$1 module=$2 version=$3 pkg=$4 prep=""
  shift 4
  if [[ -n "${GO_MODULE_PREPARE:-}" ]]; then
    if declare -F "$GO_MODULE_PREPARE" >/dev/null; then
      prep=" prepare:$(declare -f "$GO_MODULE_PREPARE" | sha256sum | cut -c1-12)"
    else
      prep=" prepare: $GO_MODULE_PREPARE"
    fi
  fi
  _tool_locked "$name" "$module@$version $pkg $* ${GO_MODULE_UPGRADES:-}$prep" \
    _go_module_build "$name" "$module" "$version" "$pkg" "$@"
}

_go_local_build() { # name dir args...
  local name=$1 dir=$2
  shift 2
  (cd "$dir" && GOTOOLCHAIN=local GOFLAGS="-buildvcs=false -mod=readonly" CGO_ENABLED=${CGO_ENABLED:-0} \
    nice -n 10 go build -trimpath "$@" -o "$TOOLS_BIN/$name.tmp" .) || return 1
  mv "$TOOLS_BIN/$name.tmp" "$TOOLS_BIN/$name"
}

go_local_build() {
  local name=$1 dir=$2
  shift 2
  local sum
  sum=$(cd "$dir" && cat go.mod go.sum ./*.go | sha256sum | cut -c1-16) || return 1
  _tool_locked "$name" "$dir@$sum $*" _go_local_build "$name" "$dir" "$@"
}

tool_build() {
  local name=$1 stamp=$2
  shift 2
  _tool_locked "$name" "$stamp" "$@"
}

apt_need() {
  local missing=() p as_root=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  # Hosted runners are not root but have passwordless sudo; a machine with neither gets told what
  # to install, never a half-run apt-get.
  if [[ "$(id -u)" != 0 ]]; then
    sudo -n true 2>/dev/null ||
      _tools_die "apt_need: not root and no passwordless sudo: install ${missing[*]} (Debian packages) by hand" || return 1
    as_root=(sudo -n DEBIAN_FRONTEND=noninteractive)
  fi
  echo "tools: apt-get install ${missing[*]}${as_root:+ (sudo)}" >&2
  (
    flock 9
    [[ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -720 2>/dev/null | head -n1)" ]] ||
      "${as_root[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  ) 9>"$FLOTILLA_CACHE/locks/apt.lock"
}

pip_venv() { # name requirements-file: the venv's bin/ is put on PATH
  local name=$1 req=$2 venv="$FLOTILLA_CACHE/venv-$1"
  (
    flock 9
    if [[ "$(cat "$venv/.requirements" 2>/dev/null)" != "$(cat "$req")" ]]; then
      echo "tools: pip install -r $req (venv-$name)" >&2
      rm -rf "$venv"
      python3 -m venv "$venv" &&
        "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req" >"$FLOTILLA_CACHE/logs/venv-$name.log" 2>&1 ||
        { tail -n 20 "$FLOTILLA_CACHE/logs/venv-$name.log" >&2; exit 1; }
      cp "$req" "$venv/.requirements"
    fi
  ) 9>"$FLOTILLA_CACHE/locks/venv-$name.lock" || return 1
  export PATH="$venv/bin:$PATH"
}

tools_built() {
  local s="$FLOTILLA_CACHE/logs/$1.seconds"
  if [[ -f "$s" ]]; then echo "$1 built in $(cat "$s") s"; else echo "$1 cached"; fi
}
