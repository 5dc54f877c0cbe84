# shellcheck shell=bash
# The API server on the host's loopback: socat listens on 127.0.0.1:<port> and, per connection,
# connects from inside the namespace. So kubectl, helm and `kubectl port-forward` run on the
# host (port-forward then binds the host's loopback) without any link, route or iptables rule
# between the host and the cluster's namespace. The port is free at the first `up` (or
# FLOTILLA_CLUSTER_API_PORT) and kept for the instance's life.

api_forward_start() {
  local port
  port=$(cat "$API_FORWARD_PORT_FILE" 2>/dev/null) || port=${FLOTILLA_CLUSTER_API_PORT:-$(
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
  )}
  echo "$port" >"$API_FORWARD_PORT_FILE"
  cat >"$STATE/api-connect" <<SH
#!/bin/sh
exec nsenter --net=/run/netns/$NETNS -- socat STDIO TCP:$NODE_IP:$API_PORT
SH
  chmod 755 "$STATE/api-connect"
  proc_start api-forward --host "$(command -v socat)" "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" \
    "EXEC:$STATE/api-connect"
  pki_host_kubeconfig "$port"
}

api_forward_port() { cat "$API_FORWARD_PORT_FILE" 2>/dev/null; }
