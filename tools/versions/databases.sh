# shellcheck shell=bash
# Store's databases on the local platform (tools/platform/databases.sh,
# deploy/flux/infrastructure/local/databases). The Go ones come from the Go module proxy; MariaDB,
# Redis and the MySQL exporter from Debian bookworm's packages (the exact versions apt offers: a
# Debian security update changes them, and the build then stops and names the new version to put
# here and in the manifests' image tags).
FERRETDB_VERSION=v1.24.2                 # github.com/FerretDB/FerretDB (SQLite backend)
REDIS_EXPORTER_VERSION=v1.74.0           # github.com/oliver006/redis_exporter
MARIADB_DEB_VERSION=1:10.11.19-0+deb12u1 # mariadb-server-core
REDIS_DEB_VERSION=5:7.0.15-1~deb12u10    # redis-server
MYSQLD_EXPORTER_DEB_VERSION=0.14.0-3+b5  # prometheus-mysqld-exporter (v0.17 is not served by the Go module proxy)

# Image tags (flotilla.local/<name>:<tag>, imagePullPolicy: Never in the manifests)
MARIADB_TAG=10.11.19
REDIS_TAG=7.0.15
MYSQLD_EXPORTER_TAG=0.14.0
FERRETDB_TAG=$FERRETDB_VERSION
REDIS_EXPORTER_TAG=$REDIS_EXPORTER_VERSION
# this repository's exporter (packages/mongodb-exporter): its package.json version
MONGODB_EXPORTER_TAG=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' \
  "$(dirname "${BASH_SOURCE[0]}")/../../packages/mongodb-exporter/package.json")
