# shellcheck shell=bash
# The scan gate's failure path: findings planted in a copy of the repository and in an image
# archive must each stop ci/steps/scan (and so the pipeline, before anything is pushed). One run
# with all of them planted; every scanner must report its own. Sourced by ci/tier-delivery.sh.

# plant_image_secret TAR: a docker-archive image whose only layer holds an AWS key pair in a file.
plant_image_secret() {
  python3 - "$1" <<'PY'
import io, json, sys, tarfile
def add(tar, name, data):
    info = tarfile.TarInfo(name); info.size = len(data); tar.addfile(info, io.BytesIO(data))
layer = io.BytesIO()
with tarfile.open(fileobj=layer, mode="w") as t:
    # AWS's documented example key pair: the shape every secret scanner knows
    add(t, "app/.env", b"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n")
config = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": []}}).encode()
with tarfile.open(sys.argv[1], "w") as t:
    add(t, "layer.tar", layer.getvalue())
    add(t, "config.json", config)
    add(t, "manifest.json", json.dumps([{"Config": "config.json", "RepoTags": ["planted:1"], "Layers": ["layer.tar"]}]).encode())
PY
}

scan_clean() {
  run_step "$STATE/out-scan-clean" scan hello >"$STATE/scan-clean.log" 2>&1 || { tail -n 20 "$STATE/scan-clean.log"; fail "the scan of the clean tree failed"; }
}

scan_planted() {
  local copy=$STATE/scan-planted out=$STATE/out-scan-planted log=$STATE/scan-planted.log
  git clone -q --no-local "$CLONE" "$copy" && ln -s "$ROOT/node_modules" "$copy/node_modules" || return 1
  # a secret committed to the repository, a root user in the shared Dockerfile, a secret in an image
  printf 'export const awsSecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";\nexport const awsAccessKeyId = "AKIAIOSFODNN7EXAMPLE";\n' \
    >"$copy/services/hello/src/aws.ts"
  printf 'USER root\n' >>"$copy/deploy/docker/node-service.Dockerfile"
  git -C "$copy" add -A && git -C "$copy" -c user.email=ci@flotilla.invalid -c user.name=ci commit -qm planted || return 1
  mkdir -p "$out/images"
  plant_image_secret "$out/images/hello.tar"
  if in_cluster env "${PIPELINE_ENV[@]}" FLOTILLA_OUT="$out" bash "$copy/ci/steps/scan" hello >"$log" 2>&1; then
    fail "scan passed with planted findings"
    return 1
  fi
  grep -q 'nothing is pushed' "$log" || fail "no verdict line"
  grep -q 'FINDINGS: deploy/docker/node-service.Dockerfile (hadolint)' "$log" || fail "hadolint did not report USER root"
  grep -q 'FINDINGS: deploy/docker/node-service.Dockerfile (checkov)' "$log" || fail "checkov did not report USER root"
  grep -q 'FINDINGS: secrets in the repository' "$log" || fail "the repository secret was not found"
  grep -q 'FINDINGS: secrets in the hello image' "$log" || fail "the image secret was not found"
}

scan_checks() {
  check "scan: the clean tree passes (hadolint, checkov Dockerfile + chart + secrets)" scan_clean
  check "scan: planted findings (repository secret, USER root, secret inside an image) each fail the gate" scan_planted
}
