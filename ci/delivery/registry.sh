# shellcheck shell=bash
# The delivery tier's registry: Debian's docker-registry (distribution 2.8) as a real registry would
# run, with TLS from a local CA and htpasswd (bcrypt) authentication. Sourced; defines functions.
#   registry_up STATE ADDR [SAN...]   CA + server certificate (IP SANs: ADDR's host and each SAN),
#                                     htpasswd user, config, server started; exports REGISTRY_CA,
#                                     REGISTRY_USER, REGISTRY_PASSWORD; waits for /v2/ to ask for auth
#   registry_down                     stops it
# shellcheck source=tools/lib/daemon.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/daemon.sh"

REGISTRY_PID=""
REGISTRY_LAST_STATUS=""
REGISTRY_EXEC=() # a prefix for the server and its probe, e.g. to run them in a network namespace

registry_up() {
  local state=$1 addr=$2
  shift 2
  local host=${addr%:*} sans="IP:${addr%:*}" ip
  for ip in "$@"; do sans+=",IP:$ip"; done
  mkdir -p "$state/data"
  # a CA valid one day, and the registry's certificate signed by it (ECDSA P-256)
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj "/CN=flotilla CI registry CA" \
    -keyout "$state/ca.key" -out "$state/ca.crt" -addext basicConstraints=critical,CA:TRUE \
    -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null || return 1
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$host" \
    -keyout "$state/registry.key" -out "$state/registry.csr" 2>/dev/null || return 1
  openssl x509 -req -in "$state/registry.csr" -CA "$state/ca.crt" -CAkey "$state/ca.key" -CAcreateserial -days 1 \
    -extfile <(printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n' "$sans") \
    -out "$state/registry.crt" 2>/dev/null || return 1
  REGISTRY_USER=flotilla-ci
  REGISTRY_PASSWORD=$(openssl rand -hex 16)
  htpasswd -Bbn "$REGISTRY_USER" "$REGISTRY_PASSWORD" >"$state/htpasswd" 2>/dev/null || return 1
  cat >"$state/config.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $state/data
  delete:
    enabled: true
http:
  addr: $addr
  tls:
    certificate: $state/registry.crt
    key: $state/registry.key
    minimumtls: tls1.2
  headers:
    X-Content-Type-Options: [nosniff]
auth:
  htpasswd:
    realm: flotilla-ci
    path: $state/htpasswd
YAML
  setsid "${REGISTRY_EXEC[@]}" docker-registry serve "$state/config.yml" >"$state/registry.log" 2>&1 &
  REGISTRY_PID=$!
  REGISTRY_CA=$state/ca.crt
  export REGISTRY_CA REGISTRY_USER REGISTRY_PASSWORD
  await_daemon "$REGISTRY_PID" 20 "$state/registry.log" "registry on $addr (/v2/ asking for auth)" registry_asks_auth "$addr" ||
    { echo "last status of https://$addr/v2/: $REGISTRY_LAST_STATUS" >&2; return 1; }
}

# the status is kept for the error message (000: no TLS connection; 200: authentication is off)
registry_asks_auth() {
  REGISTRY_LAST_STATUS=$("${REGISTRY_EXEC[@]}" curl -s -o /dev/null -w '%{http_code}' --cacert "$REGISTRY_CA" "https://$1/v2/")
  [[ "$REGISTRY_LAST_STATUS" == 401 ]]
}

registry_down() {
  [[ -n "$REGISTRY_PID" ]] || return 0
  # setsid made it a process group leader: the group holds the server (behind any exec prefix)
  kill -- -"$REGISTRY_PID" 2>/dev/null || kill "$REGISTRY_PID" 2>/dev/null
  wait "$REGISTRY_PID" 2>/dev/null
  REGISTRY_PID=""
}
