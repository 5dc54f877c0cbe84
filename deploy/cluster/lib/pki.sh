# shellcheck shell=bash
# The cluster's PKI, made with openssl (what kubeadm would make): a CA and a front-proxy CA, a
# serving certificate for the API server, a client certificate per component, the service
# account signing key, and a kubeconfig per client. ECDSA P-256 keys: generated in milliseconds.

PKI=$STATE/pki

_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

_ca() { # name cn
  _key "$PKI/$1.key"
  openssl req -x509 -new -key "$PKI/$1.key" -subj "/CN=$2" -days 3650 -out "$PKI/$1.crt" 2>/dev/null
}

_cert() { # name subject ca server|client [subjectAltName]
  local name=$1 subject=$2 ca=$3 kind=$4 san=${5:-} ext
  _key "$PKI/$name.key"
  openssl req -new -key "$PKI/$name.key" -subj "$subject" -out "$PKI/$name.csr" 2>/dev/null
  ext="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment"
  if [[ $kind == server ]]; then
    ext+=$'\n'"extendedKeyUsage=serverAuth"$'\n'"subjectAltName=$san"
  else
    ext+=$'\n'"extendedKeyUsage=clientAuth"
  fi
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/$ca.crt" -CAkey "$PKI/$ca.key" -CAcreateserial \
    -days 3650 -extfile <(echo "$ext") -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$PKI/$name.csr"
}

_kubeconfig() { # file user server
  cat >"$1" <<KC
apiVersion: v1
kind: Config
clusters:
- name: $CLUSTER
  cluster: {certificate-authority: $PKI/ca.crt, server: "$3"}
users:
- name: $2
  user: {client-certificate: $PKI/$2.crt, client-key: $PKI/$2.key}
contexts:
- name: $CLUSTER
  context: {cluster: $CLUSTER, user: $2}
current-context: $CLUSTER
KC
  chmod 600 "$1"
}

# pki_ensure: creates what is missing (an existing cluster keeps its certificates).
pki_ensure() {
  [[ -f "$PKI/.complete" ]] && return 0
  rm -rf "$PKI" && mkdir -p "$PKI" && chmod 700 "$PKI"
  _ca ca "$CLUSTER-ca"
  _ca front-proxy-ca "$CLUSTER-front-proxy-ca"
  _cert apiserver /CN=kube-apiserver ca server \
    "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,IP:127.0.0.1,IP:$NODE_IP,IP:$API_SERVICE_IP"
  _cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" ca client
  _cert admin "/O=system:masters/CN=flotilla-admin" ca client
  _cert controller-manager /CN=system:kube-controller-manager ca client
  _cert scheduler /CN=system:kube-scheduler ca client
  _cert kubelet "/O=system:nodes/CN=system:node:$NODE_NAME" ca client
  _cert kubelet-serving "/O=system:nodes/CN=system:node:$NODE_NAME" ca server "IP:$NODE_IP,DNS:$NODE_NAME"
  _cert kube-proxy /CN=system:kube-proxy ca client
  _cert netpol /CN=system:flotilla-netpol ca client
  _cert front-proxy-client /CN=front-proxy-client front-proxy-ca client
  _key "$PKI/sa.key" && openssl pkey -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  local c
  for c in controller-manager scheduler kubelet kube-proxy netpol; do
    _kubeconfig "$STATE/$c.kubeconfig" "$c" "https://$NODE_IP:$API_PORT"
  done
  _kubeconfig "$KUBECONFIG_NODE" admin "https://$NODE_IP:$API_PORT"
  touch "$PKI/.complete"
}

# pki_host_kubeconfig PORT: the admin kubeconfig for the host, through the API forward.
pki_host_kubeconfig() { _kubeconfig "$KUBECONFIG_HOST" admin "https://127.0.0.1:$1"; }
