# shellcheck shell=bash
# A git server for tier gitops: git's own smart-HTTP CGI (git-http-backend) behind Debian's nginx
# and fcgiwrap, with basic auth, as a git host serves source-controller. It runs inside a network
# namespace (the cluster's), on its loopback, as the unprivileged user nobody; the tier pushes to
# the bare repository on disk, as a developer's push would land. Sourced; defines:
#   git_server_start DIR NETNS PORT USER PASSWORD   serves DIR/repos/*.git at http://127.0.0.1:PORT/
#   git_server_stop DIR
# Needs nginx, fcgiwrap, git (tools/gitops.sh), openssl (the password hash), setpriv.

git_server_start() {
  local dir=$1 netns=$2 port=$3 user=$4 password=$5
  mkdir -p "$dir/repos" "$dir/nginx/tmp" "$dir/run"
  chmod 755 "$dir" "$dir/repos"
  chown nobody:nogroup "$dir/nginx/tmp" "$dir/run"
  printf '%s:%s\n' "$user" "$(openssl passwd -apr1 "$password")" >"$dir/nginx/htpasswd"
  cat >"$dir/nginx/nginx.conf" <<EOF
worker_processes 1;
user nobody nogroup;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log;
events { worker_connections 64; }
http {
  access_log $dir/nginx/access.log;
  client_body_temp_path $dir/nginx/tmp/body;
  proxy_temp_path $dir/nginx/tmp/proxy;
  fastcgi_temp_path $dir/nginx/tmp/fastcgi;
  uwsgi_temp_path $dir/nginx/tmp/uwsgi;
  scgi_temp_path $dir/nginx/tmp/scgi;
  server {
    listen 127.0.0.1:$port;
    # read-only: clone and fetch only (no push over HTTP)
    location ~ /git-receive-pack\$ { return 403; }
    location / {
      auth_basic "flotilla git";
      auth_basic_user_file $dir/nginx/htpasswd;
      include /etc/nginx/fastcgi_params;
      fastcgi_pass unix:$dir/run/fcgiwrap.sock;
      fastcgi_param SCRIPT_FILENAME /usr/lib/git-core/git-http-backend;
      fastcgi_param GIT_PROJECT_ROOT $dir/repos;
      fastcgi_param GIT_HTTP_EXPORT_ALL "";
      fastcgi_param PATH_INFO \$uri;
      fastcgi_param REMOTE_USER \$remote_user;
      # the repositories belong to root; nobody only reads them
      fastcgi_param GIT_CONFIG_COUNT 1;
      fastcgi_param GIT_CONFIG_KEY_0 safe.directory;
      fastcgi_param GIT_CONFIG_VALUE_0 *;
    }
  }
}
EOF
  # fcgiwrap makes its socket as nobody, so nginx's nobody worker can connect to it; its own
  # session, so stopping it stops its children too
  setsid env -i PATH=/usr/bin:/bin HOME="$dir/run" setpriv --reuid=nobody --regid=nogroup --clear-groups \
    "$(command -v fcgiwrap)" -c 2 -s "unix:$dir/run/fcgiwrap.sock" >"$dir/fcgiwrap.log" 2>&1 &
  echo $! >"$dir/fcgiwrap.pid"
  ip netns exec "$netns" nginx -c "$dir/nginx/nginx.conf" -e "$dir/nginx/error.log" ||
    { echo "nginx did not start: $(tail -n 3 "$dir/nginx/error.log")" >&2; git_server_stop "$dir"; return 1; }
  for _ in $(seq 50); do
    [[ -S "$dir/run/fcgiwrap.sock" && -s "$dir/nginx/nginx.pid" ]] && return 0
    sleep 0.1
  done
  echo "git server did not start: $(tail -n 3 "$dir/fcgiwrap.log" "$dir/nginx/error.log")" >&2
  git_server_stop "$dir"
  return 1
}

git_server_stop() {
  local dir=$1
  [[ -s "$dir/nginx/nginx.pid" ]] && kill "$(cat "$dir/nginx/nginx.pid")" 2>/dev/null
  [[ -s "$dir/fcgiwrap.pid" ]] && kill -- "-$(cat "$dir/fcgiwrap.pid")" 2>/dev/null
  return 0
}
