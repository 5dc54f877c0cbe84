#!/usr/bin/env bash
# Generates the local stack's database passwords, once: one random value per file, for
# compose.yaml's Docker secrets. Existing files are kept (the databases were initialised with
# them: a new password would lock the services out of their data volumes).
#   bash deploy/compose/init-secrets.sh [DIR]   (default: deploy/compose/secrets, gitignored;
#                                                or $FLOTILLA_SECRETS_DIR, as compose.yaml reads)
# The directory is 0700 (only root and its owner reach the files on the host); the files are
# 0444 because the containers' non-root users (65532, the databases' 999) read them through the
# bind mount Compose makes of each file.
set -euo pipefail
cd "$(dirname "$0")/../.."

dir=${1:-${FLOTILLA_SECRETS_DIR:-deploy/compose/secrets}}
mkdir -p "$dir"
chmod 0700 "$dir"
for name in mysql_password mysql_root_password mongo_password mongo_root_password redis_password \
  grafana_admin_password mysql_exporter_password mongo_exporter_password; do
  file="$dir/$name.txt"
  [[ -s "$file" ]] && continue
  # 32 alphanumeric characters (~190 bits): safe in URLs, config files and shell words alike
  value=$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32) || true
  [[ ${#value} == 32 ]] || { echo "could not read /dev/urandom" >&2; exit 1; }
  (umask 0222 && printf '%s' "$value" >"$file")
  echo "wrote $file"
done

# The monitoring profile's exporters take their credentials in their own formats, derived from
# the passwords above (rewritten each run, so they follow them).
write_derived() { # file content
  rm -f "$1"
  (umask 0222 && printf '%s' "$2" >"$1")
}
write_derived "$dir/mysql_exporter.cnf" "[client]
user=exporter
password=$(cat "$dir/mysql_exporter_password.txt")
host=mysql
port=3306
"
write_derived "$dir/redis_exporter_passwords.json" "{\"redis://redis:6379\": \"$(cat "$dir/redis_password.txt")\"}"
write_derived "$dir/mongodb_exporter.env" "MONGODB_URI=mongodb://exporter:$(cat "$dir/mongo_exporter_password.txt")@mongo:27017/admin
"
