# shellcheck shell=bash
# Shared by every pipeline script: the repository root as working directory, one-line errors,
# the step's output folder and the timeline. Each step is the same command on a laptop and in
# every CI system (Jenkinsfile, .github/workflows, .circleci call them, never their own logic).
#
# Environment every step honours:
#   FLOTILLA_OUT   where steps leave what the next ones read (default ci-out/): changed.txt,
#                  images/<svc>.tar + .tags, sbom/<svc>.cdx.json, pushed/<svc> (repo@digest),
#                  timeline.tsv (one "step<TAB>seconds<TAB>status" line per step run)
#   FLOTILLA_CACHE the tools built by tools/<name>.sh (default ~/.cache/flotilla), put on PATH
set -euo pipefail
STEP=$(basename "$0")
cd "$(dirname "${BASH_SOURCE[0]}")/.."
FLOTILLA_CACHE=${FLOTILLA_CACHE:-$HOME/.cache/flotilla}
# the Go tools, and the pinned Python venv of checkov and hadolint (tools/delivery.sh)
export PATH="$FLOTILLA_CACHE/bin:$FLOTILLA_CACHE/venv-k8s/bin:$PATH"
OUT=${FLOTILLA_OUT:-ci-out}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
NODE=${NODE:-$PWD/node_modules/.bin/node}
DOCKER=${DOCKER:-/usr/bin/docker}
_STEP_T0=$SECONDS

# CircleCI: its OIDC token becomes the AWS CLI's web identity (AWS_ROLE_ARN from the job's context),
# so no AWS key is ever stored there either.
if [[ -n "${CIRCLE_OIDC_TOKEN_V2:-}" && -n "${AWS_ROLE_ARN:-}" && -z "${AWS_WEB_IDENTITY_TOKEN_FILE:-}" ]]; then
  export AWS_WEB_IDENTITY_TOKEN_FILE="$OUT/.oidc-token"
  (umask 077 && printf '%s' "$CIRCLE_OIDC_TOKEN_V2" >"$AWS_WEB_IDENTITY_TOKEN_FILE")
fi

# die MESSAGE: a clear one-line error, never a trace.
die() {
  echo "$STEP: $*" >&2
  exit 1
}

note() { echo "$STEP: $*" >&2; }

need() { # TOOL...: each must be on PATH (built by tools/<name>.sh or installed by the CI image)
  local t
  for t in "$@"; do command -v "$t" >/dev/null || die "$t not found on PATH (install it: bash tools/delivery.sh)"; done
}

[[ -x "$NODE" ]] || die "node_modules/.bin/node missing: run npm ci first"

registry() { "$NODE" scripts/registry.ts "$@"; }

# cosign_offline PUBLIC-KEY: COSIGN_OFFLINE=( the arguments of a verification against that key
# alone ). A key pair needs no Sigstore trust root (no Fulcio certificate, no Rekor entry): an
# empty one keeps cosign from fetching the public-good root over TUF on every verification.
cosign_offline() {
  local root=$OUT/empty-trusted-root.json
  echo '{"mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1"}' >"$root"
  # shellcheck disable=SC2034 # read by the steps
  COSIGN_OFFLINE=(--key "$1" --insecure-ignore-tlog=true --trusted-root "$root")
}

# services_arg NAME...: the services a step works on: its arguments, else changed.txt (written by
# changed-services), else every member of the registry. Each name is checked against the registry.
services_arg() {
  local names=() n all
  all=$(registry names)
  if (($# > 0)); then
    names=("$@")
  elif [[ -f "$OUT/changed.txt" ]]; then
    mapfile -t names <"$OUT/changed.txt"
  else
    mapfile -t names <<<"$all"
  fi
  for n in "${names[@]}"; do
    [[ -n "$n" ]] || continue
    grep -qxF -- "$n" <<<"$all" || die "unknown service '$n' (registry: $(tr '\n' ' ' <<<"$all"))"
    echo "$n"
  done
}

# services_load NAME...: SERVICES=( the services this step works on, see services_arg ).
services_load() {
  local list
  list=$(services_arg "$@") || exit 1
  # shellcheck disable=SC2034 # the steps read SERVICES
  mapfile -t SERVICES < <(sed '/^$/d' <<<"$list")
}

_step_end() { # [STATUS]: default: the status the script is exiting with
  local rc=${1:-$?}
  printf '%s\t%d\t%s\n' "$STEP" $((SECONDS - _STEP_T0)) "$([[ $rc == 0 ]] && echo ok || echo FAIL)" >>"$OUT/timeline.tsv"
}
trap _step_end EXIT
