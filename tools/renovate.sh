#!/usr/bin/env bash
# Renovate's own config validator (renovate-config-validator) from npm, which the pipeline's lint
# step runs on renovate.json; the version is pinned by the small project tools/renovate/ (its own
# lockfile, out of the root one, so the fleet's dependencies stay free of Renovate's 300 MB).
# Installed without install scripts: the validator needs none (re2's native build would fetch Node
# headers and prebuilt binaries from hosts CI cannot reach; Renovate falls back to RegExp).
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/lib/tools.sh
dir=tools/renovate
stamp=$dir/node_modules/.package-lock.copy
cmp -s "$dir/package-lock.json" "$stamp" 2>/dev/null && exit 0
(
  flock 9
  cmp -s "$dir/package-lock.json" "$stamp" 2>/dev/null && exit 0
  echo "tools: npm ci in $dir" >&2
  log=$FLOTILLA_CACHE/logs/npm-renovate.log
  PATH=$PWD/node_modules/.bin:$PATH npm ci --prefix "$dir" --ignore-scripts --no-audit --no-fund --loglevel=error >"$log" 2>&1 ||
    { tail -n 20 "$log" >&2; exit 1; }
  cp "$dir/package-lock.json" "$stamp"
) 9>"$FLOTILLA_CACHE/locks/npm-renovate.lock"
