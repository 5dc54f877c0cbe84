# shellcheck shell=bash
# Tier observability, databases: MariaDB + Redis + FerretDB (scripts/store-servers.sh) and their
# exporters (Debian's mysqld and redis exporters, packages/mongodb-exporter), each exporter with
# its own least-privilege account.

scenario_databases() {
  require "MariaDB, Redis, FerretDB started (scripts/store-servers.sh)" store_start "$W/servers"
  store_versions | sed 's/^/  /'
  EXPORTER_MYSQL_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  require "MariaDB: the exporter's own account (PROCESS, REPLICATION CLIENT, SELECT)" exporter_account
  printf '[client]\nuser=exporter\npassword=%s\nhost=127.0.0.1\nport=%s\n' "$EXPORTER_MYSQL_PASSWORD" "$STORE_MYSQL_PORT" >"$W/exporter.my.cnf"
  chmod 600 "$W/exporter.my.cnf"

  bg mysqld-exporter prometheus-mysqld-exporter --config.my-cnf="$W/exporter.my.cnf" --web.listen-address="127.0.0.1:$P_MYSQLD_EXP"
  REDIS_PASSWORD=$(cat "$STORE_DIR/secrets/redis") bg redis-exporter prometheus-redis-exporter \
    --redis.addr="redis://127.0.0.1:$STORE_REDIS_PORT" --web.listen-address="127.0.0.1:$P_REDIS_EXP"
  MONGODB_URI="mongodb://127.0.0.1:$STORE_MONGO_PORT/admin" LISTEN_ADDRESS="127.0.0.1:$P_MONGO_EXP" \
    bg mongodb-exporter "$NODE" packages/mongodb-exporter/src/main.ts
}

# The exporters' own least-privilege accounts (never the service's or root).
exporter_account() {
  # store_start exported MYSQL_HOST/MYSQL_PORT for the service; the client would follow them.
  env -u MYSQL_HOST -u MYSQL_PORT mariadb --no-defaults --socket="$STORE_DIR/mysql-run/mysql.sock" -uroot <<SQL && return 0
CREATE USER 'exporter'@'127.0.0.1' IDENTIFIED BY '$EXPORTER_MYSQL_PASSWORD' WITH MAX_USER_CONNECTIONS 3;
GRANT PROCESS, REPLICATION CLIENT, SELECT ON *.* TO 'exporter'@'127.0.0.1';
SQL
  tail -n 20 "$STORE_DIR/mysql-run/mysql.log"
  return 1
}
