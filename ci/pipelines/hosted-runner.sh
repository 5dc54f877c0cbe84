# shellcheck shell=bash
# act as GitHub's hosted runners run a job: not as root, but as the user `runner` (uid 1001, home
# /home/runner, in the `docker` group, passwordless sudo), so a step that calls apt-get (or writes
# under /usr, /etc, /var) without sudo fails here as it would on GitHub. Sourced by
# ci/tier-pipelines.sh (which runs as root, as .ci/run does) after tools/lib/tools.sh; defines
#   runner_user          creates the user once per machine (idempotent), sudoers NOPASSWD
#   runner_seed_tools    the runner's tool cache (~runner/.cache/flotilla/bin) gets the host's
#                        built tools (hard links + their version stamps): what the workflow's
#                        actions/cache step restores on a hosted runner on a cache hit
#   runner_python        the machine's Python on the runner's PATH too (see below)
#   runner_dir           a fresh directory the runner owns, under /home/runner/work
#   as_runner CMD...     CMD as the runner, with a hosted runner's environment only (nothing of
#                        root's leaks in: act passes its own environment on to every step) plus
#                        the machine's network settings (trust store, proxy)

RUNNER_NAME=runner
RUNNER_UID=1001
RUNNER_HOME=/home/$RUNNER_NAME
RUNNER_SUDOERS=/etc/sudoers.d/flotilla-runner

runner_user() {
  [[ "$(id -u)" == 0 ]] || { fail "making the runner user needs root"; return 1; }
  apt_need sudo || return 1
  local have
  have=$(getent passwd "$RUNNER_UID" | cut -d: -f1)
  if [[ -n "$have" && "$have" != "$RUNNER_NAME" ]]; then
    fail "uid $RUNNER_UID belongs to '$have', not '$RUNNER_NAME': GitHub's runner is uid $RUNNER_UID"
    return 1
  fi
  getent group docker >/dev/null || groupadd --system docker || return 1
  if [[ -z "$have" ]]; then
    useradd --create-home --home-dir "$RUNNER_HOME" --uid "$RUNNER_UID" --user-group \
      --groups docker,adm --shell /bin/bash "$RUNNER_NAME" || return 1
  fi
  id -nG "$RUNNER_NAME" | tr ' ' '\n' | grep -qx docker || usermod -aG docker "$RUNNER_NAME" || return 1
  printf '%s ALL=(ALL) NOPASSWD:ALL\n' "$RUNNER_NAME" >"$RUNNER_SUDOERS.tmp" && chmod 0440 "$RUNNER_SUDOERS.tmp" &&
    visudo -cqf "$RUNNER_SUDOERS.tmp" && mv "$RUNNER_SUDOERS.tmp" "$RUNNER_SUDOERS" || return 1
  install -d -o "$RUNNER_NAME" -g "$RUNNER_NAME" "$RUNNER_HOME/work" "$RUNNER_HOME/.cache" \
    "$RUNNER_HOME/.cache/flotilla" "$RUNNER_HOME/.cache/flotilla/bin"
}

runner_seed_tools() {
  local bin=$RUNNER_HOME/.cache/flotilla/bin stamp name n=0
  for stamp in "$TOOLS_BIN"/.*.version; do
    [[ -f "$stamp" ]] || continue
    name=${stamp##*/.}
    name=${name%.version}
    [[ -x "$TOOLS_BIN/$name" ]] || continue
    cmp -s "$stamp" "$bin/.$name.version" && continue
    ln -f "$TOOLS_BIN/$name" "$bin/$name" 2>/dev/null || cp -f "$TOOLS_BIN/$name" "$bin/$name" || return 1
    install -m 0644 -o "$RUNNER_NAME" -g "$RUNNER_NAME" "$stamp" "$bin/.$name.version" || return 1
    n=$((n + 1))
  done
  echo "runner's tool cache: $n tool(s) restored from the host's"
}

# runner_python: the machine's Python for the runner too, as a runner image has its Python on
# PATH. Here that is the Python root's PATH finds (a pyenv build under /root on this machine kind:
# the pinned checkov needs Python >= 3.11.5, Debian bookworm's is 3.11.2); the runner gets
# search (x) permission on the directories above it that it lacks, by an ACL for its uid only
# (Debian's acl), nothing else. Sets RUNNER_PYTHON_BIN, which as_runner puts first on PATH.
RUNNER_PYTHON_BIN=""
runner_python() {
  local exe dir
  exe=$(python3 -c 'import os, sys; print(os.path.realpath(sys.executable))') || return 1
  RUNNER_PYTHON_BIN=$(dirname "$exe")
  [[ "$RUNNER_PYTHON_BIN" == /usr/bin ]] && return 0
  apt_need acl || return 1
  dir=$RUNNER_PYTHON_BIN
  while [[ "$dir" != / ]]; do
    runuser -u "$RUNNER_NAME" -- test -x "$dir" || setfacl -m "u:$RUNNER_NAME:x" "$dir" || return 1
    dir=$(dirname "$dir")
  done
  runuser -u "$RUNNER_NAME" -- "$exe" -c 'import ssl, venv, sys; print("runner python", sys.version.split()[0])'
}

runner_dir() { # prints the directory
  local d
  d=$(mktemp -d "$RUNNER_HOME/work/tier-pipelines.XXXXXX") && chown "$RUNNER_NAME:$RUNNER_NAME" "$d" && echo "$d"
}

# What the machine itself sets for whoever runs there, as a runner image's environment does: its
# trust store (a TLS-intercepting proxy's CA), proxies, and the package managers' settings (pip's
# local wheel directory, npm's, Go's, Terraform's CLI config). Nothing else of root's.
RUNNER_MACHINE_ENV='^([A-Z_]*(CERT|CA_BUNDLE|CAINFO|CA_CERTS)[A-Z_]*|SSL_CERT_DIR|HTTPS?_PROXY|NO_PROXY|https?_proxy|no_proxy|PIP_[A-Z_]+|npm_config_[a-z_]+|GOPROXY|GONOSUMDB|GOPRIVATE|TF_CLI_CONFIG_FILE)$'

as_runner() {
  local machine=() v
  for v in $(compgen -e); do [[ "$v" =~ $RUNNER_MACHINE_ENV ]] && machine+=("$v=${!v}"); done
  runuser -u "$RUNNER_NAME" -- env -i HOME="$RUNNER_HOME" USER="$RUNNER_NAME" LOGNAME="$RUNNER_NAME" \
    SHELL=/bin/bash LANG=C.UTF-8 CI=true "${machine[@]}" \
    PATH="$RUNNER_HOME/.cache/flotilla/bin${RUNNER_PYTHON_BIN:+:$RUNNER_PYTHON_BIN}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" "$@"
}
