# shellcheck shell=bash
# etcd (Debian's, plain HTTP on the namespace's loopback) and the instance's own containerd,
# with the pause image and the add-ons' images imported (nothing is ever pulled).

etcd_start() {
  mkdir -p "$STATE/etcd"
  proc_start etcd "$DEBROOT/usr/bin/etcd" --name "$NODE_NAME" --data-dir "$STATE/etcd" \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster "$NODE_NAME=http://127.0.0.1:2380" --listen-metrics-urls http://127.0.0.1:2381 \
    --snapshot-count 10000 --quota-backend-bytes 2147483648
}

containerd_start() {
  mkdir -p "$STATE/containerd/certs.d" "$STATE/cni/net.d" "$RUN"
  local RUNC
  RUNC=$(command -v runc) || { echo "cluster: runc is not installed (apt-get install runc)" >&2; return 1; }
  render_to "$CLUSTER_DIR/templates/containerd.toml" "$STATE/containerd/config.toml"
  render_to "$CLUSTER_DIR/templates/cni.conflist" "$STATE/cni/net.d/10-$CLUSTER.conflist"
  proc_start containerd "$(command -v containerd)" --config "$STATE/containerd/config.toml"
  wait_for 30 "containerd" ctr --address "$CTRD_SOCK" version
}

# images_import TAR...: into the CRI's namespace, skipping images already there.
images_import() {
  local have tar ref
  have=$(ctr --address "$CTRD_SOCK" -n k8s.io images ls -q)
  for tar in "$@"; do
    ref=$(tar -xOf "$tar" manifest.json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["RepoTags"][0])')
    grep -qxF "$ref" <<<"$have" && continue
    ctr --address "$CTRD_SOCK" -n k8s.io images import --no-unpack=false "$tar" >/dev/null || return 1
  done
}
