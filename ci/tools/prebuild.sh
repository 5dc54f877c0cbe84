#!/usr/bin/env bash
# Builds every tier's tools in the background while the first tiers run (.ci/run starts it), so
# a cold machine compiles while it also tests. A tier's tools are tools/<tier>.sh (what the
# product's commands also use) or, for tools only tests need, ci/tools/<tier>.sh; each installs
# idempotently under per-tool locks (tools/lib/tools.sh): a tier that starts before its tools are
# ready runs the same script and waits on the lock. Order: FLOTILLA_PREBUILD_ORDER (the order the
# tiers run), then every other installer.
set -uo pipefail
cd "$(dirname "$0")/../.."
order=(${FLOTILLA_PREBUILD_ORDER:-})
for f in tools/*.sh ci/tools/*.sh; do
  n=$(basename "$f" .sh)
  [[ "$n" == prebuild ]] && continue
  [[ " ${order[*]} " == *" $n "* ]] || order+=("$n")
done
status=0
for n in "${order[@]}"; do
  for script in "ci/tools/$n.sh" "tools/$n.sh"; do
    [[ -f "$script" ]] || continue
    t0=$SECONDS
    if bash "$script"; then
      echo "prebuild: $script ready ($((SECONDS - t0)) s)"
    else
      echo "prebuild: $script FAILED ($((SECONDS - t0)) s); the tier will retry and report" >&2
      status=1
    fi
    break
  done
done
exit $status
