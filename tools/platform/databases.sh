#!/usr/bin/env bash
# Builds the images of store's databases for the local platform (issue 19), each a single-layer
# image written by deploy/cluster/mkimage.py, no shell and no package manager in any of them:
#   flotilla.local/ferretdb        FerretDB (MongoDB wire protocol, SQLite backend), static Go binary
#   flotilla.local/redis-exporter  oliver006/redis_exporter, static Go binary
#   flotilla.local/mariadb         Debian's mariadbd + exactly the shared libraries it links, the
#                                  bootstrap SQL and error messages, and mariadb-init (Go, this repo)
#                                  as entrypoint: it creates the system tables on an empty volume
#   flotilla.local/redis           Debian's redis-server + its shared libraries
#   flotilla.local/mysqld-exporter Debian's prometheus-mysqld-exporter + libc
#   flotilla.local/mongodb-exporter packages/mongodb-exporter bundled, on the fleet's Node.js + its libraries
# The Debian files come from `apt-get download` of the packages that own the binary and each
# library it links (found through the host's dpkg database, the same versions), unpacked with
# dpkg-deb -x; each image's binary is run once in a chroot of its root filesystem as a check.
# Tarballs: $FLOTILLA_CACHE/platform-images/<name>.tar. Idempotent: keyed by versions and inputs.
#   bash tools/platform/databases.sh            build what is missing, print sizes and build times
#   bash tools/platform/databases.sh --import   also import them into $FLOTILLA_CLUSTER's containerd
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
# shellcheck source=tools/lib/tools.sh
source tools/lib/tools.sh
# shellcheck source=tools/versions/databases.sh
source tools/versions/databases.sh
OUT=$FLOTILLA_CACHE/platform-images
DEBS=$FLOTILLA_CACHE/debs
mkdir -p "$OUT" "$DEBS"

# --- binaries --------------------------------------------------------------------------------
go_module_build redis_exporter github.com/oliver006/redis_exporter "$REDIS_EXPORTER_VERSION" . \
  -ldflags "-s -w -X main.BuildVersion=$REDIS_EXPORTER_VERSION"
# FerretDB panics at start unless build/version/version.txt (made by its release tooling, absent
# from the module zip) names the version (scripts/store-servers.sh builds it the same way).
GO_MODULE_PREPARE="printf $FERRETDB_VERSION >build/version/version.txt" \
  go_module_build ferretdb github.com/FerretDB/FerretDB "$FERRETDB_VERSION" ./cmd/ferretdb -ldflags "-s -w"
go_local_build mariadb-init tools/platform/mariadb-init -ldflags "-s -w"
apt_need mariadb-server-core redis-server prometheus-mysqld-exporter

# --- Debian root filesystems -------------------------------------------------------------------
deb_check() { # package expected-version: the host's package is the pinned one
  local have
  have=$(dpkg-query -W -f='${Version}' "$1")
  [[ "$have" == "$2" ]] ||
    _tools_die "$1 is $have, tools/versions/databases.sh pins $2: update the pin and the image tag (and the manifests)"
}

# deb_stage STAGE FILE...: unpacks into STAGE the Debian package of each FILE (as the host's
# dpkg database names them), downloaded into $DEBS at the version apt installs today; lists them
# in $fs.packages (the caller's FS)
deb_stage() {
  local stage=$1 pkgs p f
  shift
  # dpkg -S of /lib/x86_64-linux-gnu/X (usrmerge: the packages own /lib/..., ldd may say /usr/lib/...)
  pkgs=$(for f in "$@"; do dpkg -S "$(readlink -f "$f" | sed 's|^/usr/lib/|/lib/|')" 2>/dev/null ||
    dpkg -S "$(readlink -f "$f")"; done | cut -d: -f1 | sort -u)
  for p in $pkgs; do
    # the version apt installs today (the three servers' own packages are checked against the
    # pins by deb_check; a library's installed build may have left the archive already)
    local v deb
    v=$(apt-cache policy "$p" | awk '$1 == "Candidate:" { print $2 }')
    deb=$DEBS/${p}_${v/:/%3a}_$(dpkg --print-architecture).deb
    [[ -f "$deb" ]] || deb=$DEBS/${p}_${v/:/%3a}_all.deb
    if [[ ! -f "$deb" ]]; then
      (cd "$DEBS" && apt-get -o APT::Sandbox::User=root download -qq "$p=$v") || return 1
      deb=$(ls "$DEBS/${p}_${v/:/%3a}_"*.deb) || return 1
    fi
    dpkg-deb -x "$deb" "$stage" || return 1
    echo "  $p $v" >>"$fs.packages"
  done
}

# linked_libs BINARY: the shared libraries it links, one path per line (the loader's too)
linked_libs() { ldd "$1" | awk '$3 ~ /^\// { print $3 } $1 ~ /^\/lib64\// { print $1 }'; }

# deb_libs FS STAGE BINARY: the shared libraries BINARY links, from STAGE, into FS
deb_libs() {
  local fs=$1 stage=$2 f name src
  mkdir -p "$fs/lib/x86_64-linux-gnu" "$fs/lib64"
  for f in $(linked_libs "$3"); do
    name=$(basename "$f")
    src=$(find "$stage" -name "$name" | head -n1)
    [[ -n "$src" ]] || { echo "no $name in the packages" >&2; return 1; }
    if [[ "$f" == /lib64/* ]]; then cp -L "$src" "$fs/lib64/$name" || return 1
    else cp -L "$src" "$fs/lib/x86_64-linux-gnu/$name" || return 1; fi
  done
}

# deb_rootfs FS BINARY [DATA-PATH...]: BINARY, the libraries it links and DATA-PATHs (files or
# directories of the binary's package) into FS, each from the package that owns it
deb_rootfs() {
  local fs=$1 bin=$2 stage f
  shift 2
  stage=$(mktemp -d /tmp/flotilla-debs.XXXXXX)
  # shellcheck disable=SC2046 # one path per line
  deb_stage "$stage" "$bin" $(linked_libs "$bin") || return 1
  mkdir -p "$fs/$(dirname "$bin")"
  # the file itself (Debian's /usr/bin/redis-server is a link to redis-check-rdb: one binary)
  cp "$stage$(readlink -f "$bin")" "$fs$bin" || return 1
  deb_libs "$fs" "$stage" "$bin" || return 1
  for f in "$@"; do
    mkdir -p "$fs/$(dirname "$f")"
    cp -a "$stage$f" "$fs$f" || return 1
  done
  rm -rf "$stage"
  chroot "$fs" "$bin" --version || _tools_die "$bin does not run in its root filesystem"
}

# node_rootfs FS: the fleet's Node.js (the root package.json's `node` devDependency, the binary the
# services' images run), stripped, at /usr/local/bin/node, with the libraries it links from Debian
node_rootfs() {
  local fs=$1 node stage
  node=$(readlink -f "$ROOT/node_modules/node/bin/node")
  [[ -x "$node" ]] || { echo "no node_modules/node/bin/node: run npm ci first" >&2; return 1; }
  stage=$(mktemp -d /tmp/flotilla-debs.XXXXXX)
  # shellcheck disable=SC2046 # one path per line
  deb_stage "$stage" $(linked_libs "$node") || return 1
  mkdir -p "$fs/usr/local/bin"
  strip --strip-all -o "$fs/usr/local/bin/node" "$node" || return 1
  deb_libs "$fs" "$stage" "$node" || return 1
  rm -rf "$stage"
  chroot "$fs" /usr/local/bin/node --version || _tools_die "node does not run in its root filesystem"
}

base_fs() { # FS: /tmp, and an /etc/passwd naming the non-root users the pods run as
  mkdir -p "$1/tmp" "$1/etc"
  chmod 1777 "$1/tmp"
  printf 'root:x:0:0::/:/nonexistent\nmysql:x:999:999::/var/lib/mysql:/nonexistent\nnonroot:x:65532:65532::/:/nonexistent\n' >"$1/etc/passwd"
  printf 'root:x:0:\nmysql:x:999:\nnonroot:x:65532:\n' >"$1/etc/group"
}

# build_images DIR (tool_tree runs it in an `if`, where set -e does not apply: every step says || return 1)
build_images() {
  local out=$1 w fs
  w=$(mktemp -d /tmp/flotilla-dbimages.XXXXXX)
  # shellcheck disable=SC2064
  trap "rm -rf '$w'" RETURN

  fs=$w/mariadb && base_fs "$fs"
  deb_rootfs "$fs" /usr/sbin/mariadbd /usr/share/mysql/english /usr/share/mysql/charsets \
    /usr/share/mysql/mysql_system_tables.sql /usr/share/mysql/mysql_performance_tables.sql \
    /usr/share/mysql/mysql_system_tables_data.sql /usr/share/mysql/maria_add_gis_sp_bootstrap.sql \
    /usr/share/mysql/mysql_sys_schema.sql || return 1
  mkdir -p "$fs/usr/local/bin" && install -m 0755 "$TOOLS_BIN/mariadb-init" "$fs/usr/local/bin/mariadb-init" || return 1
  mkdir -p "$fs/var/lib/mysql" "$fs/run/mysqld"
  python3 "$ROOT/deploy/cluster/mkimage.py" "flotilla.local/mariadb:$MARIADB_TAG" "$fs" "$out/mariadb.tar" \
    '["/usr/local/bin/mariadb-init","/usr/sbin/mariadbd"]' '["--no-defaults","--datadir=/var/lib/mysql"]' || return 1

  fs=$w/redis && base_fs "$fs"
  deb_rootfs "$fs" /usr/bin/redis-server || return 1
  mkdir -p "$fs/data"
  python3 "$ROOT/deploy/cluster/mkimage.py" "flotilla.local/redis:$REDIS_TAG" "$fs" "$out/redis.tar" \
    '["/usr/bin/redis-server"]' null || return 1

  fs=$w/mysqld-exporter && base_fs "$fs"
  deb_rootfs "$fs" /usr/bin/prometheus-mysqld-exporter || return 1
  python3 "$ROOT/deploy/cluster/mkimage.py" "flotilla.local/mysqld-exporter:$MYSQLD_EXPORTER_TAG" "$fs" \
    "$out/mysqld-exporter.tar" '["/usr/bin/prometheus-mysqld-exporter"]' null || return 1

  fs=$w/ferretdb && base_fs "$fs"
  install -m 0755 "$TOOLS_BIN/ferretdb" "$fs/ferretdb"
  mkdir -p "$fs/state"
  python3 "$ROOT/deploy/cluster/mkimage.py" "flotilla.local/ferretdb:$FERRETDB_TAG" "$fs" "$out/ferretdb.tar" \
    '["/ferretdb"]' null || return 1

  fs=$w/redis-exporter && base_fs "$fs"
  install -m 0755 "$TOOLS_BIN/redis_exporter" "$fs/redis_exporter"
  python3 "$ROOT/deploy/cluster/mkimage.py" "flotilla.local/redis-exporter:$REDIS_EXPORTER_TAG" "$fs" \
    "$out/redis-exporter.tar" '["/redis_exporter"]' null || return 1
  # the MongoDB exporter of this repository (packages/mongodb-exporter; Percona's is not served
  # here, docs/platform.md): its esbuild bundle on the fleet's Node.js, nothing else
  fs=$w/mongodb-exporter && base_fs "$fs"
  node_rootfs "$fs" || return 1
  "$ROOT/node_modules/.bin/esbuild" "$ROOT/packages/mongodb-exporter/src/main.ts" --bundle --platform=node \
    --target=node24 --format=esm --legal-comments=eof --minify-syntax --log-level=warning --outfile="$fs/app/main.mjs" \
    --banner:js="import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" || return 1
  python3 "$ROOT/deploy/cluster/mkimage.py" "flotilla.local/mongodb-exporter:$MONGODB_EXPORTER_TAG" "$fs" \
    "$out/mongodb-exporter.tar" '["/usr/local/bin/node","/app/main.mjs"]' null || return 1
  cat "$w"/*.packages >"$out/databases.packages"
}

deb_check mariadb-server-core "$MARIADB_DEB_VERSION"
deb_check redis-server "$REDIS_DEB_VERSION"
deb_check prometheus-mysqld-exporter "$MYSQLD_EXPORTER_DEB_VERSION"
inputs=$(cat tools/versions/databases.sh tools/platform/databases.sh deploy/cluster/mkimage.py \
  "$TOOLS_BIN"/.{redis_exporter,ferretdb,mariadb-init}.version packages/mongodb-exporter/package.json \
  packages/mongodb-exporter/src/{main,collect}.ts package-lock.json | sha256sum | cut -c1-16)
# tool_tree replaces its whole directory: the images go to one of their own, copied beside the
# other platform areas' tarballs in platform-images/
DATABASE_IMAGES="mariadb redis mysqld-exporter ferretdb redis-exporter mongodb-exporter"
tool_tree database-images "images $inputs" build_images
for n in $DATABASE_IMAGES; do
  cp -p "$FLOTILLA_CACHE/database-images/$n.tar" "$OUT/$n.tar"
done

for t in redis_exporter ferretdb mariadb-init database-images; do
  printf '  %-18s %s (last build: %s s wall, %s s CPU)\n' "$t" "$(tools_built "$t")" \
    "$(cat "$FLOTILLA_CACHE/logs/$t.seconds" 2>/dev/null || echo ?)" "$(cat "$FLOTILLA_CACHE/logs/$t.cpu-seconds" 2>/dev/null || echo ?)"
done
for n in $DATABASE_IMAGES; do
  printf '  %-40s %6s MiB\n' "$OUT/$n.tar" "$(($(stat -c %s "$OUT/$n.tar") / 1048576))"
done

if [[ "${1:-}" == --import ]]; then
  sock=/var/lib/flotilla/clusters/${FLOTILLA_CLUSTER:-flotilla}/run/containerd.sock
  for n in $DATABASE_IMAGES; do
    ctr --address "$sock" -n k8s.io images import "$OUT/$n.tar" >/dev/null
  done
  echo "  imported into $sock"
fi
