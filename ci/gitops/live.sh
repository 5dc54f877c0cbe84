# shellcheck shell=bash
# The live half of tier gitops (sourced by ci/tier-gitops.sh, after the harness): the Flux
# controllers against the local cluster, fed by a git server holding a copy of this repository.
#   bootstrap  clusters/dev as `flux bootstrap` would: a commit with the git server's URL in
#              gotk-sync.yaml (and the image tag CI built in dev's values), then that file applied;
#              the whole chain must become Ready, in dependsOn order, the helm tests passed
#   diff       `flux diff ks apps` against the cluster: nothing for the deployed tree, the change
#              for a modified one
#   messages   a commit changing hello's messages is served within the source interval + the
#              upgrade's time (measured from the push)
#   broken     a commit whose hello cannot start: helm-controller's upgrade fails, is rolled back,
#              retried once, rolled back again; the previous messages are served throughout;
#              a revert brings the release back to Ready
#   prune      a commit disabling store: every object of store is deleted, the rest keeps serving
# A client (ci/lib/poll.py) polls hello's Service from the cluster's network namespace for the
# whole run; the Flux objects' conditions are printed after each step.
# Needs: ROOT, WORK, PY, the harness; the cluster entry point (npm run cluster).

GITOPS_CLUSTER=${FLOTILLA_CLUSTER:-gitops}
GIT_USER=flux
LIVE_STATE=""
POLL_PID=""

# ---------------------------------------------------------------- the cluster
cluster() { FLOTILLA_CLUSTER=$GITOPS_CLUSTER npm run -s cluster -- "$@"; }
kc() { ip netns exec "$CLUSTER_NETNS" kubectl --kubeconfig "$CLUSTER_KUBECONFIG" "$@"; }
fluxc() { ip netns exec "$CLUSTER_NETNS" flux --kubeconfig "$CLUSTER_KUBECONFIG" "$@"; }

live_cluster_up() {
  cluster up --fresh >"$LIVE_STATE/cluster-up.log" 2>&1 || { tail -n 20 "$LIVE_STATE/cluster-up.log"; return 1; }
  # kubectl and the in-namespace admin kubeconfig, from the entry point
  eval "$(cluster env)" || return 1
  CLUSTER_NETNS=$(cluster exec ip netns identify) && CLUSTER_KUBECONFIG=$(cluster exec printenv KUBECONFIG) &&
    [[ -n "$CLUSTER_NETNS" && -n "$CLUSTER_KUBECONFIG" ]] && kc get --raw /readyz >/dev/null
}

# ---------------------------------------------------------------- git
# The repository under test: the committed tree plus uncommitted changes to tracked files
# (git stash create), pushed as main of a fresh bare repository; commits are made in a clone.
live_git_init() {
  local rev
  rev=$(git stash create) || return 1
  rev=${rev:-HEAD}
  git init -q --bare -b main "$LIVE_STATE/git/repos/flotilla.git" &&
    git push -q "$LIVE_STATE/git/repos/flotilla.git" "$rev:refs/heads/main" &&
    git clone -q -b main "$LIVE_STATE/git/repos/flotilla.git" "$LIVE_STATE/work" &&
    git -C "$LIVE_STATE/work" config user.name "tier gitops" &&
    git -C "$LIVE_STATE/work" config user.email "gitops@flotilla.invalid" || return 1
  GIT_PASSWORD=$(openssl rand -hex 16)
  GIT_PORT=$(netns_free_ports "$CLUSTER_NETNS" 1) || return 1
  git_server_start "$LIVE_STATE/git" "$CLUSTER_NETNS" "$GIT_PORT" "$GIT_USER" "$GIT_PASSWORD" || return 1
  GIT_URL=http://127.0.0.1:$GIT_PORT/flotilla.git
  ip netns exec "$CLUSTER_NETNS" git ls-remote "http://$GIT_USER:$GIT_PASSWORD@127.0.0.1:$GIT_PORT/flotilla.git" main |
    grep -q refs/heads/main
}

# live_commit MESSAGE: commits what the caller changed in the clone, pushes it; PUSHED_AT=epoch.
live_commit() {
  git -C "$LIVE_STATE/work" commit -q -am "$1" && git -C "$LIVE_STATE/work" push -q origin main || return 1
  PUSHED_AT=$(date +%s.%N)
  PUSHED_REV=$(git -C "$LIVE_STATE/work" rev-parse HEAD)
  echo "pushed $(git -C "$LIVE_STATE/work" log --oneline -1)"
}

# live_edit FILE PYTHON-EXPR: rewrites FILE (in the clone) as text -> expr(text); fails if unchanged.
live_edit() {
  "$PY" - "$LIVE_STATE/work/$1" "$2" <<'EOF'
import sys
path, expr = sys.argv[1], sys.argv[2]
text = open(path).read()
new = eval(expr, {"text": text})
if new == text:
    sys.exit(f"{path}: the edit changed nothing")
open(path, "w").write(new)
EOF
}

# ---------------------------------------------------------------- status
# flux_status: the Flux objects' conditions, as `flux get` prints them.
flux_status() {
  echo "  --- flux get all -A"
  fluxc get all -A 2>&1 | sed 's/^/  /'
}

# ready KIND NAME NAMESPACE [REVISION-SUBSTRING]: Ready=True and, when given, at that revision.
ready() {
  local out
  out=$(kc -n "$3" get "$1" "$2" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status} {.status.lastAppliedRevision}{.status.artifact.revision}{.status.lastAttemptedRevision}') || return 1
  [[ "$out" == True* ]] || { echo "$1/$2: $out"; return 1; }
  [[ -z "${4:-}" || "$out" == *"$4"* ]] || { echo "$1/$2 Ready at another revision: $out"; return 1; }
}

live_cleanup() {
  [[ -n "$POLL_PID" ]] && kill "$POLL_PID" 2>/dev/null
  [[ -n "$LIVE_STATE" ]] || return 0
  controllers_stop "$LIVE_STATE/controllers"
  git_server_stop "$LIVE_STATE/git"
  [[ "${GITOPS_KEEP_CLUSTER:-}" == 1 ]] || cluster down >/dev/null 2>&1
  rm -rf "$LIVE_STATE"
}

live_run() {
  source ci/gitops/git-server.sh
  source ci/gitops/controllers.sh
  source ci/gitops/live-steps.sh
  LIVE_STATE=$(mktemp -d "/tmp/flotilla-$GITOPS_CLUSTER.XXXXXX")
  chmod 755 "$LIVE_STATE"

  phase "live: cluster"
  gate "cluster $GITOPS_CLUSTER up (npm run cluster -- up)" live_cluster_up || return
  gate "fleet images loaded into the cluster (npm run cluster -- load-images)" cluster load-images || return

  phase "live: controllers, git server"
  gate "Flux CRDs of $FLUX_VERSION's controllers Established, controller identities applied" \
    controllers_install || return
  gate "source-, kustomize- and helm-controller ready (processes in the cluster's netns, own ServiceAccounts)" \
    controllers_start "$LIVE_STATE/controllers" "$CLUSTER_NETNS" || return
  gate "git server (git-http-backend behind nginx, basic auth) serves the repository" live_git_init || return

  live_bootstrap || return
  live_diff
  live_messages || return
  live_broken || return
  live_prune
}
