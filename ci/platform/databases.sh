# shellcheck shell=bash
# Scenarios of store on its real databases on the local platform (issue 19, section 2):
# MariaDB, FerretDB and Redis as StatefulSets in namespace `databases`
# (deploy/flux/infrastructure/local/databases), store with 3 replicas on them, the exporters of
# the chart's monitoring.exporters. Needs ci/lib/harness.sh and ci/cluster/lib.sh (kc, NS,
# RELEASE, WORK, probe_pod, note); tier platform runs them.
DB_NS=databases

store_pods() { kc -n "$NS" get pods -l app.kubernetes.io/name=store --field-selector=status.phase=Running -o name | sed 's|^pod/||'; }

# api POD METHOD PATH [BODY]: store's answer through that one pod: "STATUS BODY"
api() {
  port_forward_to "pod/$1" 8080 || return 1
  local args=(-sS --max-time 10 -o "$WORK/api.body" -w '%{http_code}' -X "$2" "http://127.0.0.1:$PF_PORT$3")
  [[ -n "${4:-}" ]] && args+=(-H 'Content-Type: application/json' -d "$4")
  local code
  code=$(curl "${args[@]}")
  port_forward_stop
  echo "$code $(cat "$WORK/api.body")"
}

# databases_ready: the three StatefulSets Ready on a Bound local-path volume, images built here
databases_ready() {
  local sts
  for sts in mariadb ferretdb redis; do
    [[ "$(kc -n $DB_NS get sts $sts -o jsonpath='{.status.readyReplicas}')" == 1 ]] || fail "$sts is not Ready"
    [[ "$(kc -n $DB_NS get pvc "data-$sts-0" -o jsonpath='{.status.phase}/{.spec.storageClassName}')" == Bound/local-path ]] ||
      fail "data-$sts-0 is not a Bound local-path volume"
    kc -n $DB_NS get pod "$sts-0" -o jsonpath='{.spec.containers[0].image}' | grep -q '^flotilla.local/' ||
      fail "$sts does not run an image built here"
  done
}

# restricted_enforced: the namespace refuses a root pod (the control: the same pod as non-root is admitted)
restricted_enforced() {
  local pod='{"apiVersion":"v1","kind":"Pod","metadata":{"name":"root-probe"},"spec":{"containers":[{"name":"c","image":"'$BUSYBOX_IMAGE'","imagePullPolicy":"Never","command":["true"]}]}}'
  if kc -n $DB_NS apply --dry-run=server -f - <<<"$pod" >/dev/null 2>&1; then fail "a root pod was admitted in $DB_NS"; fi
  local ok='{"apiVersion":"v1","kind":"Pod","metadata":{"name":"nonroot-probe"},"spec":{"securityContext":{"runAsNonRoot":true,"runAsUser":65532,"seccompProfile":{"type":"RuntimeDefault"}},"containers":[{"name":"c","image":"'$BUSYBOX_IMAGE'","imagePullPolicy":"Never","command":["true"],"securityContext":{"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}}}]}}'
  kc -n $DB_NS apply --dry-run=server -f - <<<"$ok" >/dev/null || fail "(control) a restricted pod was refused too"
  local uid
  for uid in mariadb ferretdb redis; do
    [[ "$(kc -n $DB_NS get pod "$uid-0" -o jsonpath='{.spec.securityContext.runAsUser}')" != 0 ]] || fail "$uid runs as root"
  done
}

# mongo_auth_required: FerretDB refuses a write without credentials and with a wrong password;
# store's password from the install-time Secret writes (the control)
mongo_auth_required() {
  local pw out node=$ROOT/node_modules/.bin/node
  [[ -x "$node" ]] || node=node
  pw=$(kc -n $DB_NS get secret credentials -o jsonpath='{.data.mongo-store}' | base64 -d)
  port_forward_to pod/ferretdb-0 27017 "$DB_NS" || return 1
  local base="127.0.0.1:$PF_PORT/flotilla?directConnection=true"
  out=$("$node" "$ROOT/ci/platform/mongo-auth.ts" "mongodb://$base" flotilla) && fail "a write without credentials: $out"
  grep -q 'requires authentication' <<<"$out" || fail "without credentials: $out"
  local wrong=not-the-password
  out=$("$node" "$ROOT/ci/platform/mongo-auth.ts" "mongodb://store:${wrong}@$base&authSource=flotilla" flotilla) &&
    fail "a write with a wrong password: $out"
  grep -q 'Authentication failed' <<<"$out" || fail "with a wrong password: $out"
  out=$("$node" "$ROOT/ci/platform/mongo-auth.ts" "mongodb://store:$pw@$base&authSource=flotilla" flotilla)
  [[ "$out" == ok ]] || fail "(control) store's own password cannot write: $out"
  port_forward_stop
}

# store_on_databases: 3 store pods; a user (MySQL), a post (FerretDB) and a session (Redis)
# written through one pod are read through the two others: shared state, which embedded storage
# (per-process SQLite and map) cannot give. Saves the ids for databases_survive.
store_on_databases() {
  local pods out user="ada-$RANDOM$RANDOM" sid="s$RANDOM$RANDOM"
  mapfile -t pods < <(store_pods)
  ((${#pods[@]} == 3)) || fail "store runs ${#pods[@]} pods, not 3"
  out=$(api "${pods[0]}" POST /users "{\"username\":\"$user\",\"name\":\"Ada\",\"email\":\"$user@example.com\",\"password\":\"correct horse\"}")
  [[ "$out" == 201* ]] || fail "POST /users: $out"
  DB_USER_ID=$(grep -o '"id":[0-9]*' <<<"$out" | cut -d: -f2)
  [[ -n "$DB_USER_ID" ]] || fail "no id in $out"
  out=$(api "${pods[0]}" POST /posts '{"title":"On FerretDB","content":"SQLite on a PersistentVolume"}')
  [[ "$out" == 201* ]] || fail "POST /posts: $out"
  DB_POST_ID=$(grep -o '"post_id":"[0-9a-f]*"' <<<"$out" | cut -d'"' -f4)
  [[ ${#DB_POST_ID} == 24 ]] || fail "no post_id in $out"
  out=$(api "${pods[0]}" POST /session "{\"session_id\":\"$sid\",\"data\":\"cart=3\",\"ttl\":3600}")
  [[ "$out" == 201* ]] || fail "POST /session: $out"
  DB_SESSION_ID=$sid
  local p
  for p in "${pods[1]}" "${pods[2]}"; do
    out=$(api "$p" GET "/users/$DB_USER_ID")
    [[ "$out" == "200 "*"\"$user\""* ]] || fail "GET /users/$DB_USER_ID through $p: $out"
    out=$(api "$p" GET "/posts/$DB_POST_ID")
    [[ "$out" == "200 "*"On FerretDB"* ]] || fail "GET /posts/$DB_POST_ID through $p: $out"
    out=$(api "$p" GET "/session/$sid")
    [[ "$out" == "200 "*"cart=3"* ]] || fail "GET /session/$sid through $p: $out"
  done
  # control: an id never written is not found (the reads above are not answers to anything)
  out=$(api "${pods[1]}" GET "/session/never-$sid")
  [[ "$out" == 404* ]] || fail "(control) GET of an unknown session: $out"
}


# databases_survive: each database pod deleted (a new pod, the same volume): the user, the post
# and the session written before are still served; the control is each pod's uid, which changed
databases_survive() {
  [[ -n "${DB_USER_ID:-}" ]] || fail "store_on_databases did not run"
  local sts before after
  for sts in mariadb ferretdb redis; do
    before=$(kc -n $DB_NS get pod "$sts-0" -o jsonpath='{.metadata.uid}')
    kc -n $DB_NS delete pod "$sts-0" --wait=true >/dev/null || fail "deleting $sts-0"
    kc -n $DB_NS wait --for=condition=Ready "pod/$sts-0" --timeout=120s >/dev/null || fail "$sts-0 not Ready again"
    after=$(kc -n $DB_NS get pod "$sts-0" -o jsonpath='{.metadata.uid}')
    [[ "$before" != "$after" ]] || fail "(control) $sts-0 is the same pod"
  done
  local pod out
  wait_until 60 bash -c "[[ \$(bash '$ROOT/deploy/cluster/cluster.sh' kubectl -n $NS get deploy $RELEASE-store -o jsonpath='{.status.readyReplicas}') == 3 ]]" ||
    fail "store is not Ready on 3 replicas after the restarts"
  pod=$(store_pods | head -n1)
  out=$(api "$pod" GET "/users/$DB_USER_ID")
  [[ "$out" == 200* ]] || fail "the user is gone after MariaDB's restart: $out"
  out=$(api "$pod" GET "/posts/$DB_POST_ID")
  [[ "$out" == 200* ]] || fail "the post is gone after FerretDB's restart: $out"
  out=$(api "$pod" GET "/session/$DB_SESSION_ID")
  [[ "$out" == "200 "*"cart=3"* ]] || fail "the session is gone after Redis's restart: $out"
}

# metric POD PORT NAME: the value of an unlabelled metric on the exporter pod's /metrics
metric() {
  port_forward_to "pod/$1" "$2" || return 1
  # redis_exporter waits up to 15 s (its connection timeout) for a server that is gone
  curl -sS --max-time 30 "http://127.0.0.1:$PF_PORT/metrics" >"$WORK/metrics.txt"
  port_forward_stop
  awk -v n="$3" '$1 == n { print $2 }' "$WORK/metrics.txt"
}
exporter_pod() { kc -n "$NS" get pods -l "app.kubernetes.io/name=$1-exporter" -o name | sed 's|^pod/||' | head -n1; }

# exporters_answer: mysql_up, redis_up and mongodb_up 1, with data (connections, commands counted)
exporters_answer() {
  local m r g v
  m=$(exporter_pod mysql)
  r=$(exporter_pod redis)
  g=$(exporter_pod mongodb)
  [[ -n "$m" && -n "$r" && -n "$g" ]] || fail "no exporter pods (mysql: '$m', redis: '$r', mongodb: '$g')"
  v=$(metric "$m" 9104 mysql_up)
  [[ "$v" == 1 ]] || fail "mysql_up is '$v'"
  v=$(metric "$m" 9104 mysql_global_status_threads_connected)
  [[ -n "$v" && ${v%.*} -ge 1 ]] || fail "mysql_global_status_threads_connected is '$v'"
  v=$(metric "$r" 9121 redis_up)
  [[ "$v" == 1 ]] || fail "redis_up is '$v'"
  v=$(awk '$1 == "redis_commands_processed_total" { print $2 }' "$WORK/metrics.txt")
  [[ -n "$v" ]] || fail "no redis_commands_processed_total"
  local g_up
  g_up=$(metric "$g" 9216 mongodb_up)
  [[ "$g_up" == 1 ]] || fail "mongodb_up is '$g_up'"
  # FerretDB's counters start again with its pod (the scenario above restarts it): any command counted
  grep -q '^mongodb_commands_total{command=' "$WORK/metrics.txt" || fail "no mongodb_commands_total: $(grep -c . "$WORK/metrics.txt") lines"
  note "mysql_up 1, redis_up 1, mongodb_up 1, redis_commands_processed_total $v"
}

_mongodb_up_is() { [[ "$(metric "$1" 9216 mongodb_up)" == "$2" ]]; }

# exporters_see_an_outage: the negative control of the above: the three servers scaled to 0, the
# exporters say mysql_up, redis_up and mongodb_up 0 (and store's readiness drops); back to 1 after
exporters_see_an_outage() {
  local m r g
  m=$(exporter_pod mysql)
  r=$(exporter_pod redis)
  g=$(exporter_pod mongodb)
  kc -n $DB_NS scale sts mariadb redis ferretdb --replicas=0 >/dev/null
  kc -n $DB_NS wait --for=delete pod/mariadb-0 pod/redis-0 pod/ferretdb-0 --timeout=90s >/dev/null 2>&1
  [[ "$(metric "$m" 9104 mysql_up)" == 0 ]] || fail "mysql_up is not 0 while MariaDB is down"
  [[ "$(metric "$r" 9121 redis_up)" == 0 ]] || fail "redis_up is not 0 while Redis is down"
  [[ "$(metric "$g" 9216 mongodb_up)" == 0 ]] || fail "mongodb_up is not 0 while FerretDB is down"
  kc -n $DB_NS scale sts mariadb redis ferretdb --replicas=1 >/dev/null
  kc -n $DB_NS wait --for=condition=Ready pod/mariadb-0 pod/redis-0 pod/ferretdb-0 --timeout=120s >/dev/null ||
    fail "MariaDB/Redis/FerretDB not Ready again"
  eventually 60 bash -c "[[ \$(bash '$ROOT/deploy/cluster/cluster.sh' kubectl -n $NS get deploy $RELEASE-store -o jsonpath='{.status.readyReplicas}') == 3 ]]" ||
    fail "store not Ready again on 3 replicas"
  [[ "$(metric "$m" 9104 mysql_up)" == 1 ]] || fail "mysql_up not back to 1"
  [[ "$(metric "$r" 9121 redis_up)" == 1 ]] || fail "redis_up not back to 1"
  # the exporter's driver reconnects on a later scrape
  EVERY=2 eventually 30 _mongodb_up_is "$g" 1 || fail "mongodb_up not back to 1"
}

# only_store_reaches_the_databases: a pod of the fleet's namespace labelled as store connects
# to each database port; the same pod unlabelled, or labelled store in another namespace, does not
only_store_reaches_the_databases() {
  probe_pod "$NS" db-probe-store "app.kubernetes.io/name=store" || fail "probe pod"
  probe_pod "$NS" db-probe-other "app.kubernetes.io/name=hello" || fail "probe pod"
  probe_pod default db-probe-elsewhere "app.kubernetes.io/name=store" || fail "probe pod"
  local hp
  # busybox nc has no -z: a connection made (then closed by stdin's EOF) exits 0, a dropped one 1
  tcp_from() { kc -n "$1" exec "$2" -- sh -c "nc -w 3 $3 $4 </dev/null >/dev/null"; }
  for hp in mysql.$DB_NS.svc:3306 mongodb.$DB_NS.svc:27017 redis.$DB_NS.svc:6379; do
    tcp_from "$NS" db-probe-store "${hp%:*}" "${hp#*:}" || fail "(control) store's label cannot reach $hp"
    if tcp_from "$NS" db-probe-other "${hp%:*}" "${hp#*:}"; then fail "hello's pod reaches $hp"; fi
    if tcp_from default db-probe-elsewhere "${hp%:*}" "${hp#*:}"; then fail "a pod of namespace default reaches $hp"; fi
  done
  kc -n "$NS" delete pod db-probe-store db-probe-other --wait=false >/dev/null
  kc -n default delete pod db-probe-elsewhere --wait=false >/dev/null
}

scenario_databases() {
  check "databases: MariaDB, FerretDB, Redis Ready on local-path volumes, images built here" databases_ready
  check "databases: restricted Pod Security enforced (control: a root pod is refused), non-root servers" restricted_enforced
  check "databases: only store (and its exporters) reach the database ports (controls: hello, another namespace)" \
    only_store_reaches_the_databases
  check "databases: FerretDB refuses no credentials and a wrong password (control: store's password writes)" \
    mongo_auth_required
  check "store x3: /users (MySQL), /posts (FerretDB), /session (Redis) written through one pod, read through the others" \
    store_on_databases
  check "databases: each pod deleted, the data survives on its volume (control: a new pod uid)" databases_survive
  check "exporters: mysql_up, redis_up, mongodb_up 1 with data (mongodb: packages/mongodb-exporter)" exporters_answer
  check "exporters: mysql_up, redis_up, mongodb_up 0 while the servers are scaled to 0, 1 again after (control)" \
    exporters_see_an_outage
}
