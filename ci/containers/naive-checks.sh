# shellcheck shell=bash
# The yardstick: deploy/docker/naive.Dockerfile (one stage, whole repo, all node_modules),
# built in the same run so the size ratio printed is measured, not remembered.

MIN_RATIO=3 # the hardened image must be at least this many times smaller, compressed

check_naive_build() {
  "$DOCKER" image rm -f "flotilla/hello-naive:$IMAGE_TAG" >/dev/null 2>&1 || true
  docker_build -f deploy/docker/naive.Dockerfile --build-arg SERVICE=hello -t "flotilla/hello-naive:$IMAGE_TAG" . \
    >"$WORK/naive-build.log" 2>&1 || { tail -n 30 "$WORK/naive-build.log" >&2; return 1; }
}

check_ratio() {
  awk -v n="$NAIVE_GZ" -v h="${SIZE_GZ_OF[hello]}" -v m="$MIN_RATIO" 'BEGIN { exit !(n / h >= m) }' \
    || fail "only $(awk -v n="$NAIVE_GZ" -v h="${SIZE_GZ_OF[hello]}" 'BEGIN { printf "%.1f", n / h }')x smaller"
}

naive_checks() {
  gate "naive: single-stage image builds" check_naive_build || return 0
  image_sizes "flotilla/hello-naive:$IMAGE_TAG"
  NAIVE_RAW=$SIZE_RAW NAIVE_GZ=$SIZE_GZ
  echo "  size  naive hello: $(human_mb "$NAIVE_RAW") uncompressed, $(human_mb "$NAIVE_GZ") compressed"
  echo "  ratio naive/hardened: $(awk -v a="$NAIVE_RAW" -v b="${SIZE_RAW_OF[hello]}" 'BEGIN { printf "%.1f", a / b }')x uncompressed, $(awk -v a="$NAIVE_GZ" -v b="${SIZE_GZ_OF[hello]}" 'BEGIN { printf "%.1f", a / b }')x compressed"
  check "naive: hardened hello is >= ${MIN_RATIO}x smaller compressed" check_ratio
}
