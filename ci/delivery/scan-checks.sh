# shellcheck shell=bash
# The scan gate's failure path: findings planted in a copy of the repository and in an image
# archive must each stop pipeline/scan (and so the pipeline, before anything is pushed). One run
# with all of them planted; every scanner must report its own (the full run's scan of the clean
# tree is the positive control). Sourced by ci/tier-delivery.sh.

# fake_aws_keys: an AWS-shaped key pair made up now (no literal secret sits in this file, which the
# repository scan reads too; AWS's documented EXAMPLE keys are whitelisted by the scanners).
fake_aws_keys() {
  printf 'AWS_ACCESS_KEY_ID=AKIA%s\nAWS_SECRET_ACCESS_KEY=%s\n' "$(openssl rand -hex 8 | tr a-f A-F)" "$(openssl rand -base64 30)"
}

# plant_image_secret TAR: a docker-archive image whose only layer holds a private key and AWS keys.
plant_image_secret() {
  local dir
  dir=$(mktemp -d)
  mkdir -p "$dir/rootfs/app"
  openssl genrsa -traditional 2048 >"$dir/rootfs/app/id_rsa" 2>/dev/null
  fake_aws_keys >"$dir/rootfs/app/.env"
  tar -C "$dir/rootfs" -cf "$dir/layer.tar" app
  printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$(sha256sum "$dir/layer.tar" | cut -d' ' -f1)" >"$dir/config.json"
  printf '[{"Config":"config.json","RepoTags":["planted:1"],"Layers":["layer.tar"]}]' >"$dir/manifest.json"
  tar -C "$dir" -cf "$1" manifest.json config.json layer.tar
  rm -rf "$dir"
}

scan_planted() {
  local copy=$STATE/scan-planted out=$STATE/out-scan-planted log=$STATE/scan-planted.log
  git clone -q --no-local "$CLONE" "$copy" && ln -s "$ROOT/node_modules" "$copy/node_modules" || return 1
  # a secret committed to the repository, a root user in the shared Dockerfile, a secret in an image
  fake_aws_keys >"$copy/services/hello/aws.env"
  printf 'USER root\n' >>"$copy/deploy/docker/node-service.Dockerfile"
  git -C "$copy" add services/hello/aws.env deploy/docker/node-service.Dockerfile && git -C "$copy" -c user.email=ci@flotilla.invalid -c user.name=ci commit -qm planted || return 1
  mkdir -p "$out/images"
  plant_image_secret "$out/images/hello.tar"
  if in_cluster env "${PIPELINE_ENV[@]}" FLOTILLA_OUT="$out" bash "$copy/pipeline/scan" hello >"$log" 2>&1; then
    fail "scan passed with planted findings"
    return 1
  fi
  grep -q 'nothing is pushed' "$log" || fail "no verdict line"
  grep -q 'FINDINGS: deploy/docker/node-service.Dockerfile (hadolint)' "$log" || fail "hadolint did not report USER root"
  grep -q 'FINDINGS: deploy/docker/node-service.Dockerfile (checkov)' "$log" || fail "checkov did not report USER root"
  grep -q 'FINDINGS: secrets in the repository' "$log" || fail "the repository secret was not found"
  grep -q 'FINDINGS: secrets in the images (hello)' "$log" || fail "the image secret was not found"
}

scan_checks() {
  check "scan: planted findings (repository secret, USER root, secret inside an image) each fail the gate" scan_planted
}
