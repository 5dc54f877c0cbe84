# shellcheck shell=bash
# Sourced once by the mysql image's entrypoint on an empty data volume (docker-entrypoint-initdb.d;
# not executable, so it is sourced and docker_process_sql, which logs in as root through a
# defaults file, never a command-line password, is at hand): creates the account mysqld_exporter
# (monitoring profile) logs in with, able to read server status only. The password is the Docker
# secret the exporter's my.cnf also carries.
exporter_password=$(cat /run/secrets/mysql_exporter_password)
docker_process_sql --database=mysql <<SQL
CREATE USER 'exporter'@'%' IDENTIFIED BY '${exporter_password}' WITH MAX_USER_CONNECTIONS 3;
GRANT PROCESS, REPLICATION CLIENT, SELECT ON *.* TO 'exporter'@'%';
SQL
unset exporter_password
