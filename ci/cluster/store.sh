# shellcheck shell=bash
# Tier cluster: store on a real MySQL-protocol database with the chart's migration hook. The
# database is Debian's MariaDB, run as a process inside the cluster's network namespace on the
# node address, and reached through a Service without selector + EndpointSlice: how a cluster
# reaches a database that lives outside it (a managed one, say). Passwords only as files.

MYSQL_PID=""
mysql_sql() { cluster exec mariadb --no-defaults --socket="$WORK/mysql-run/mysql.sock" -uroot -N -e "$1"; }

mysql_start() {
  command -v mariadb-install-db >/dev/null || apt_need mariadb-server mariadb-client
  mkdir -p "$WORK/mysql" "$WORK/mysql-run"
  chmod 711 "$WORK"
  chown mysql:mysql "$WORK/mysql" "$WORK/mysql-run"
  mariadb-install-db --no-defaults --datadir="$WORK/mysql" --user=mysql --auth-root-authentication-method=socket \
    --skip-test-db --skip-name-resolve >"$WORK/mysql-install.log" 2>&1 || { tail -n 5 "$WORK/mysql-install.log"; return 1; }
  cluster exec /usr/sbin/mariadbd --no-defaults --user=mysql --datadir="$WORK/mysql" \
    --socket="$WORK/mysql-run/mysql.sock" --pid-file="$WORK/mysql-run/mysql.pid" --port=3306 \
    --bind-address="$NODE_IP" --skip-name-resolve --innodb-buffer-pool-size=32M \
    --log-error="$WORK/mysql-run/mysql.log" >/dev/null 2>&1 &
  MYSQL_PID=$!
  wait_until 60 mysql_sql "SELECT 1" || { tail -n 5 "$WORK/mysql-run/mysql.log"; return 1; }
  head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$WORK/mysql-password"
  mysql_sql "CREATE DATABASE flotilla CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
    CREATE USER 'store'@'10.244.%' IDENTIFIED BY '$(cat "$WORK/mysql-password")';
    GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, REFERENCES ON flotilla.* TO 'store'@'10.244.%';"
}

# mysql_server_pid: mariadbd's own pid, from the pid file mysql_start names (empty before it has written it)
mysql_server_pid() { cat "$WORK/mysql-run/mysql.pid" 2>/dev/null; }

mysql_stop() {
  [[ -n "$MYSQL_PID" ]] || return 0
  # MYSQL_PID is the background subshell around `cluster exec`; mariadbd is its grandchild, so
  # it is stopped through its own pid file (killing the subshell alone left it running)
  local pid
  pid=$(mysql_server_pid)
  if [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null; then
    wait_until 30 bash -c "! kill -0 $pid 2>/dev/null" || kill -KILL "$pid" 2>/dev/null
  fi
  kill -TERM "$MYSQL_PID" 2>/dev/null
  wait "$MYSQL_PID" 2>/dev/null
  MYSQL_PID=""
}

store_migrated() {
  [[ -z "$(mysql_sql 'SHOW TABLES FROM flotilla')" ]] || fail "(control) tables exist before the release"
  kc -n "$NS" create secret generic store-db --from-file=mysql-password="$WORK/mysql-password" \
    --dry-run=client -o yaml | kc apply -f - >/dev/null
  kc apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Service
metadata: {name: mysql, namespace: $NS}
spec:
  ports: [{name: mysql, port: 3306, targetPort: 3306}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: mysql-node, namespace: $NS, labels: {kubernetes.io/service-name: mysql}}
addressType: IPv4
ports: [{name: mysql, port: 3306}]
endpoints: [{addresses: ["$NODE_IP"]}]
YAML
  local t0=$SECONDS
  release --set services.store.env.MYSQL_HOST=mysql."$NS".svc --set services.store.env.MYSQL_USER=store \
    --set services.store.env.MYSQL_DB_NAME=flotilla --set services.store.secret.existingSecret=store-db \
    --set services.store.secret.fileEnv.MYSQL_PASSWORD_FILE=mysql-password \
    --set services.store.jobs.migrate.enabled=true >"$WORK/store-release.log" 2>&1 ||
    { tail -n 5 "$WORK/store-release.log"; fail "helm upgrade with the migration hook failed"; return; }
  note "release with the migration hook: $((SECONDS - t0)) s"
  local tables
  tables=$(mysql_sql 'SHOW TABLES FROM flotilla' | tr '\n' ' ')
  note "tables: $tables"
  [[ -n "$tables" ]] || fail "no tables after the migration"
  kc -n "$NS" get events --field-selector "involvedObject.kind=Job,involvedObject.name=$RELEASE-store-migrate" \
    -o jsonpath='{.items[*].reason}' | grep -q Completed || fail "no Completed event of the migration Job"
  kc -n "$NS" get deploy "$RELEASE-store" -o jsonpath='{.spec.template.spec.containers[0].env}' |
    grep -q '"name":"MIGRATE_ON_START","value":"false"' || fail "store pods still migrate at start"
  [[ "$(kc -n "$NS" get deploy "$RELEASE-store" -o jsonpath='{.status.readyReplicas}')" == 1 ]] || fail "store is not Ready"
}

scenario_store() {
  if ! mysql_start >"$WORK/mysql-start.log" 2>&1; then
    check "MariaDB for store started in the cluster's namespace" fail "$(tail -n 5 "$WORK/mysql-start.log")"
    return
  fi
  check "store: the migration hook Job runs against MariaDB (tables created), store becomes Ready" store_migrated
  release >/dev/null # back to embedded storage
  local pid
  pid=$(mysql_server_pid)
  check "MariaDB, outside the cluster, stops with the tier (the server itself, not only its shell)" mysql_stopped "$pid"
}

mysql_stopped() { # PID: mysql_stop ends the server itself, not only the shell that started it
  if [[ -z "$1" ]] || ! kill -0 "$1" 2>/dev/null; then fail "(control) MariaDB was not running before mysql_stop"; fi
  mysql_stop
  ! kill -0 "$1" 2>/dev/null || fail "mariadbd $1 still runs after mysql_stop"
}
