#!/usr/bin/env bash
# Builds a local stand-in for nginxinc/nginx-unprivileged, the base image of
# deploy/docker/web.Dockerfile, for machines that cannot pull from any container registry (our CI).
# Same contract as the official image, which is all web.Dockerfile relies on:
#   - nginx in PATH, /etc/nginx/mime.types, /usr/share/nginx/html; curl (health checks), as the
#     official Debian-based image installs it
#   - user nginx, uid/gid 101; USER 101; listens on 8080 (default.conf); pid and temp under /tmp
#   - ENTRYPOINT /docker-entrypoint.sh, CMD nginx -g 'daemon off;' (docker import cannot set
#     STOPSIGNAL: web.Dockerfile sets SIGQUIT itself)
#   - at start, /etc/nginx/templates/**/*.template are envsubst'ed into $NGINX_ENVSUBST_OUTPUT_DIR
#     (default /etc/nginx/conf.d), only variables matching $NGINX_ENVSUBST_FILTER, like the
#     official 20-envsubst-on-templates.sh
# Its nginx is Debian bookworm's (1.22.x), from Debian's apt archive via debootstrap, not the
# nginx.org build the tag names: the label org.flotilla.standin.source says so.
#
# Usage: deploy/docker/base/build-nginx-standin.sh   (idempotent: an existing tag is kept;
#        FORCE=1 rebuilds). Needs root, docker, debootstrap.
set -euo pipefail

DOCKER=${DOCKER:-/usr/bin/docker}
# Keep in step with ARG NGINX_IMAGE in deploy/docker/web.Dockerfile.
TAG=${TAG:-nginxinc/nginx-unprivileged:1.28.0-bookworm}
SUITE=bookworm
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

# Bumped when the contract grows, so an older stand-in is rebuilt (2: curl, for HEALTHCHECK).
CONTRACT=2

# Kept: the real image (pulled where a registry is reachable), or a stand-in of this contract.
if [[ "${FORCE:-0}" != 1 ]] && "$DOCKER" image inspect "$TAG" >/dev/null 2>&1; then
  labels=$("$DOCKER" image inspect "$TAG" --format '{{index .Config.Labels "org.flotilla.standin"}} {{index .Config.Labels "org.flotilla.standin.contract"}}')
  if [[ "$labels" != "true "* || "$labels" == "true $CONTRACT" ]]; then
    echo "base $TAG exists, kept"
    exit 0
  fi
  echo "stand-in $TAG predates contract $CONTRACT, rebuilding"
fi

work=$(mktemp -d /tmp/standin-nginx.XXXXXX)
cleanup() {
  for m in proc sys dev/pts dev; do mountpoint -q "$work/rootfs/$m" 2>/dev/null && umount -l "$work/rootfs/$m" || true; done
  rm -rf "$work"
}
trap cleanup EXIT

started=$SECONDS
echo "building stand-in base $TAG (debootstrap $SUITE + Debian nginx)"
rootfs="$work/rootfs"
debootstrap --variant=minbase --include=nginx,gettext-base,curl "$SUITE" "$rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 \
  || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
nginx_version=$(chroot "$rootfs" dpkg-query -W -f '${Version}' nginx)

# The official image's user: nginx, 101:101, no login.
if chroot "$rootfs" getent passwd 101 >/dev/null || chroot "$rootfs" getent group 101 >/dev/null; then
  echo "uid/gid 101 already taken in the $SUITE base" >&2
  exit 1
fi
echo 'nginx:x:101:101:nginx user:/nonexistent:/usr/sbin/nologin' >>"$rootfs/etc/passwd"
echo 'nginx:x:101:' >>"$rootfs/etc/group"

# The official unprivileged configuration: no `user` directive, everything writable under /tmp.
rm -rf "$rootfs"/etc/nginx/sites-* "$rootfs"/etc/nginx/modules-* "$rootfs"/etc/nginx/snippets
mkdir -p "$rootfs/etc/nginx/conf.d" "$rootfs/usr/share/nginx/html" "$rootfs/docker-entrypoint.d"
cat >"$rootfs/etc/nginx/nginx.conf" <<'EOF'
worker_processes  auto;

error_log  /var/log/nginx/error.log notice;
pid        /tmp/nginx.pid;

events {
    worker_connections  1024;
}

http {
    proxy_temp_path /tmp/proxy_temp;
    client_body_temp_path /tmp/client_temp;
    fastcgi_temp_path /tmp/fastcgi_temp;
    uwsgi_temp_path /tmp/uwsgi_temp;
    scgi_temp_path /tmp/scgi_temp;

    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';

    access_log  /var/log/nginx/access.log  main;

    sendfile        on;
    keepalive_timeout  65;

    include /etc/nginx/conf.d/*.conf;
}
EOF
cat >"$rootfs/etc/nginx/conf.d/default.conf" <<'EOF'
server {
    listen       8080;
    server_name  localhost;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }
}
EOF
[ -f "$rootfs/usr/share/nginx/html/index.html" ] || echo '<!doctype html><title>nginx</title><p>stand-in' \
  >"$rootfs/usr/share/nginx/html/index.html"

# The official entrypoint, reduced to what this contract covers: run /docker-entrypoint.d/*.sh,
# then exec the command.
cat >"$rootfs/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e
if [ "$1" = "nginx" ] || [ "$1" = "nginx-debug" ]; then
    for f in /docker-entrypoint.d/*.sh; do
        [ -e "$f" ] || continue
        echo "$0: Launching $f"
        "$f"
    done
    echo "$0: Configuration complete; ready for start up"
fi
exec "$@"
EOF
# Same semantics as the official 20-envsubst-on-templates.sh.
cat >"$rootfs/docker-entrypoint.d/20-envsubst-on-templates.sh" <<'EOF'
#!/bin/sh
set -e
ME=$(basename "$0")
template_dir="${NGINX_ENVSUBST_TEMPLATE_DIR:-/etc/nginx/templates}"
suffix="${NGINX_ENVSUBST_TEMPLATE_SUFFIX:-.template}"
output_dir="${NGINX_ENVSUBST_OUTPUT_DIR:-/etc/nginx/conf.d}"
filter="${NGINX_ENVSUBST_FILTER:-}"
defined_envs=$(printf '${%s} ' $(awk "END { for (name in ENVIRON) { print ( name ~ /${filter}/ ) ? name : \"\" } }" </dev/null))
[ -d "$template_dir" ] || exit 0
if [ ! -w "$output_dir" ]; then
    echo "$ME: ERROR: $template_dir exists, but $output_dir is not writable" >&2
    exit 0
fi
find "$template_dir" -follow -type f -name "*$suffix" -print | while read -r template; do
    relative_path="${template#"$template_dir/"}"
    output_path="$output_dir/${relative_path%"$suffix"}"
    subdir=$(dirname "$relative_path")
    mkdir -p "$output_dir/$subdir"
    echo "$ME: Running envsubst on $template to $output_path"
    envsubst "$defined_envs" <"$template" >"$output_path"
done
EOF
chmod 0755 "$rootfs/docker-entrypoint.sh" "$rootfs/docker-entrypoint.d/20-envsubst-on-templates.sh"

# Logs to the container's stdout/stderr; the nginx user owns what the official image gives it.
mkdir -p "$rootfs/var/log/nginx" "$rootfs/var/cache/nginx"
ln -sf /dev/stdout "$rootfs/var/log/nginx/access.log"
ln -sf /dev/stderr "$rootfs/var/log/nginx/error.log"
chown -R 101:0 "$rootfs/var/cache/nginx" "$rootfs/etc/nginx"
chmod -R g+w "$rootfs/var/cache/nginx" "$rootfs/etc/nginx"

# Same trimming as the official image: no package caches, lists or docs.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/tmp/* \
  "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/dev/* \
  "$rootfs"/var/www
chmod 1777 "$rootfs/tmp"

tar -C "$rootfs" --numeric-owner -cf - . | "$DOCKER" import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENTRYPOINT ["/docker-entrypoint.sh"]' \
  --change 'CMD ["nginx", "-g", "daemon off;"]' \
  --change 'EXPOSE 8080' \
  --change 'USER 101' \
  --change 'LABEL org.flotilla.standin=true' \
  --change "LABEL org.flotilla.standin.contract=$CONTRACT" \
  --change "LABEL org.flotilla.standin.source=debootstrap-$SUITE+debian-nginx@$nginx_version" \
  - "$TAG" >/dev/null

# The contract web.Dockerfile relies on: uid 101, templating at start, serving on 8080.
got=$("$DOCKER" run --rm -e NGINX_ENVSUBST_OUTPUT_DIR=/tmp -e STANDIN_CHECK=templated --entrypoint /bin/sh "$TAG" -c '
  id -u; mkdir -p /tmp/t && echo "\${STANDIN_CHECK}" >/tmp/t/x.template;
  NGINX_ENVSUBST_TEMPLATE_DIR=/tmp/t /docker-entrypoint.d/20-envsubst-on-templates.sh >/dev/null && cat /tmp/x;
  nginx -t -q && echo config-ok; curl --version | head -n1 | cut -d" " -f1')
echo "$got" | tr '\n' ' '; echo
[[ "$(echo "$got" | sed -n 1p)" == 101 ]] || { echo "stand-in does not run as uid 101" >&2; exit 1; }
[[ "$(echo "$got" | sed -n 2p)" == templated ]] || { echo "stand-in templating broken" >&2; exit 1; }
[[ "$(echo "$got" | sed -n 3p)" == config-ok ]] || { echo "stand-in nginx -t failed" >&2; exit 1; }
[[ "$(echo "$got" | sed -n 4p)" == curl ]] || { echo "stand-in has no curl (the official image ships it)" >&2; exit 1; }
echo "stand-in base $TAG (nginx $nginx_version) built in $((SECONDS - started)) s"
