#!/usr/bin/env bash
# The databases' credentials, generated at install time, never committed. Run it before Flux
# reconciles the databases and the fleet (it creates the two namespaces when absent; Flux then
# adds their labels), or after: the StatefulSets wait in ContainerCreating for their Secret.
# Idempotent: the passwords live in Secret
# databases/credentials and are generated only when it is absent, so a second run (or a new
# fleet namespace) gets the same ones the databases were initialised with.
#   secrets.sh [FLEET_NAMESPACE]   (default flotilla; kubectl from PATH, KUBECONFIG as set)
# Writes, in namespace databases: mariadb-init (init.sql: database, store's and the exporter's
# accounts, applied by mariadbd's --init-file on every start), redis-auth (auth.conf),
# ferretdb-setup (password: store's, FerretDB creates the user on its first start).
# In the fleet's namespace, what the chart reads: store-db (mysql-password, mongo-password, redis-password),
# mysql-exporter (.my.cnf), redis-exporter (password-file.json), mongodb-exporter (uri).
set -euo pipefail
fleet=${1:-flotilla}
KUBECTL=${KUBECTL:-kubectl}

for ns in databases "$fleet"; do
  $KUBECTL get namespace "$ns" >/dev/null 2>&1 || $KUBECTL create namespace "$ns" >/dev/null
done
pw() { LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32 || true; }
if ! $KUBECTL -n databases get secret credentials >/dev/null 2>&1; then
  $KUBECTL -n databases create secret generic credentials \
    --from-literal=mysql-store="$(pw)" --from-literal=mysql-exporter="$(pw)" --from-literal=redis="$(pw)" \
    --from-literal=mongo-store="$(pw)" >/dev/null
fi
get() { $KUBECTL -n databases get secret credentials -o "jsonpath={.data.$1}" | base64 -d; }
mysql_store=$(get mysql-store)
mysql_exporter=$(get mysql-exporter)
redis=$(get redis)
mongo_store=$(get mongo-store)
[[ ${#mysql_store} == 32 && ${#mysql_exporter} == 32 && ${#redis} == 32 && ${#mongo_store} == 32 ]] || { echo "secrets.sh: bad databases/credentials" >&2; exit 1; }

apply() { $KUBECTL apply -f - >/dev/null; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/init.sql" <<SQL
CREATE DATABASE IF NOT EXISTS flotilla CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'store'@'%' IDENTIFIED BY '$mysql_store';
ALTER USER 'store'@'%' IDENTIFIED BY '$mysql_store';
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, REFERENCES ON flotilla.* TO 'store'@'%';
CREATE USER IF NOT EXISTS 'exporter'@'%' IDENTIFIED BY '$mysql_exporter' WITH MAX_USER_CONNECTIONS 3;
ALTER USER 'exporter'@'%' IDENTIFIED BY '$mysql_exporter';
GRANT PROCESS, REPLICATION CLIENT ON *.* TO 'exporter'@'%';
GRANT SELECT ON performance_schema.* TO 'exporter'@'%';
SQL
printf 'requirepass %s\n' "$redis" >"$tmp/auth.conf"
printf '[client]\nuser=exporter\npassword=%s\nhost=mysql.databases.svc\nport=3306\n' "$mysql_exporter" >"$tmp/my.cnf"
printf '{"redis://redis.databases.svc:6379": "%s"}' "$redis" >"$tmp/password-file.json"
printf '%s' "$mysql_store" >"$tmp/mysql-password"
printf '%s' "$redis" >"$tmp/redis-password"
printf '%s' "$mongo_store" >"$tmp/mongo-password"

$KUBECTL -n databases create secret generic mariadb-init --from-file=init.sql="$tmp/init.sql" --dry-run=client -o yaml | apply
$KUBECTL -n databases create secret generic redis-auth --from-file=auth.conf="$tmp/auth.conf" --dry-run=client -o yaml | apply
$KUBECTL -n databases create secret generic ferretdb-setup --from-file=password="$tmp/mongo-password" --dry-run=client -o yaml | apply
$KUBECTL -n "$fleet" create secret generic store-db --from-file=mysql-password="$tmp/mysql-password" \
  --from-file=mongo-password="$tmp/mongo-password" --from-file=redis-password="$tmp/redis-password" \
  --dry-run=client -o yaml | apply
$KUBECTL -n "$fleet" create secret generic mysql-exporter --from-file=.my.cnf="$tmp/my.cnf" --dry-run=client -o yaml | apply
$KUBECTL -n "$fleet" create secret generic redis-exporter --from-file=password-file.json="$tmp/password-file.json" \
  --dry-run=client -o yaml | apply
# for a MongoDB exporter (none works with FerretDB here, docs/platform.md): FerretDB v1 has no roles,
# so it would log in as store
$KUBECTL -n "$fleet" create secret generic mongodb-exporter \
  --from-literal=uri="mongodb://store:$mongo_store@mongodb.databases.svc:27017/flotilla?authSource=flotilla" \
  --dry-run=client -o yaml | apply
echo "secrets.sh: Secrets written in databases and $fleet"
