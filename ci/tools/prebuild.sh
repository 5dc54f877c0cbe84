#!/usr/bin/env bash
# Builds every tier's tools in the background while the first tiers run (.ci/run starts it), so
# a cold machine compiles while it also tests. Each ci/tools/<tier>.sh installs one tier's tools
# idempotently under per-tool locks (ci/lib/tools.sh): a tier that starts before its tools are
# ready runs the same script and waits on the lock. Order: the slowest, most-needed builds first.
set -uo pipefail
cd "$(dirname "$0")/../.."
order=(${FLOTILLA_PREBUILD_ORDER:-})
for f in ci/tools/*.sh; do
  n=$(basename "$f" .sh)
  [[ "$n" == prebuild ]] && continue
  [[ " ${order[*]} " == *" $n "* ]] || order+=("$n")
done
status=0
for n in "${order[@]}"; do
  [[ -f "ci/tools/$n.sh" ]] || continue
  t0=$SECONDS
  if bash "ci/tools/$n.sh"; then
    echo "prebuild: tools of tier $n ready ($((SECONDS - t0)) s)"
  else
    echo "prebuild: tools of tier $n FAILED ($((SECONDS - t0)) s); the tier will retry and report" >&2
    status=1
  fi
done
exit $status
