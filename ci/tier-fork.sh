#!/usr/bin/env bash
# Tier fork (light: no Docker, no cluster): what a fork starts from.
#   renovate  renovate.json passes Renovate's own validator (--strict, pinned in tools/renovate/), an
#             invalid or outdated config fails it, and Renovate's own extraction finds every
#             manager's pins and every version the tools installers pin (ci/fork/renovate-covers.py)
#   fork      `npm run fork` on a throwaway copy of the repository: no upstream placeholder left,
#             the static checks of .ci/run still pass there, a second run changes nothing, and a
#             placeholder no entry of fork.json matches makes it fail
# Prints the phase timeline and `tier fork: N passed, M failed` (tier_end, ci/lib/harness.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck source=ci/lib/harness.sh
source ci/lib/harness.sh
tier_begin fork

WORK=$(mktemp -d /tmp/flotilla-fork.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export PATH="$ROOT/node_modules/.bin:$PATH" # Node 24 (the `node` devDependency), which Renovate needs
RENOVATE_BIN=$ROOT/tools/renovate/node_modules/.bin

phase tools
if ! gate "Renovate's config validator installed (tools/renovate.sh)" bash tools/renovate.sh; then
  tier_end
  exit 1
fi
echo "  renovate $("$RENOVATE_BIN/renovate-config-validator" --version 2>/dev/null | tail -n 1)"

phase renovate
validates() { "$RENOVATE_BIN/renovate-config-validator" --strict --no-global "$1" || fail "$1 refused (output above)"; }
refused() { # FILE REASON: the validator must fail, saying REASON
  local out
  if out=$("$RENOVATE_BIN/renovate-config-validator" --strict --no-global "$1" 2>&1); then fail "$1 passed the validator"; fi
  grep -q "$2" <<<"$out" || fail "the validator did not say '$2': $(grep -E 'ERROR|WARN' <<<"$out")"
}
check "renovate.json passes renovate-config-validator --strict" validates renovate.json
# negative controls: an option that does not exist, and one Renovate has renamed (needs migration)
echo '{ "packageRules": [{ "matchManagers": ["github-actions"], "pinTheDigests": true }] }' >"$WORK/unknown-option.json"
check "a config with an unknown option fails the validator" refused "$WORK/unknown-option.json" "Invalid configuration option"
echo '{ "customManagers": [{ "customType": "regex", "fileMatch": ["^x$"], "matchStrings": ["x=(?<currentValue>.+)"],
  "datasourceTemplate": "go", "depNameTemplate": "example.org/x" }] }' >"$WORK/needs-migration.json"
check "a config that needs migrating (fileMatch) fails --strict" refused "$WORK/needs-migration.json" "Config migration necessary"

# extract DIR LOG: Renovate's own extraction (no lookups: nothing leaves the machine) of DIR's git files
extract() {
  (cd "$1" && RENOVATE_BASE_DIR=$WORK/renovate-cache LOG_LEVEL=debug LOG_FORMAT=json "$RENOVATE_BIN/renovate" --platform=local --dry-run=extract \
    --onboarding=false --require-config=ignored >"$2" 2>&1) || fail "renovate extract failed: $(tail -n 5 "$2")"
}
covers() { extract "$1" "$WORK/extract.log" && python3 ci/fork/renovate-covers.py "$WORK/extract.log" "$1"; }
check "Renovate extracts every manager's pins and every tools installer's version" covers "$ROOT"
# negative control: a new tool pinned in an installer without a manager
git clone -q --no-local "$ROOT" "$WORK/unmanaged"
cp renovate.json "$WORK/unmanaged/" # the work tree's config, committed or not
echo 'NEWTOOL_VERSION=v1.2.3' >>"$WORK/unmanaged/tools/k8s.sh"
git -C "$WORK/unmanaged" add -A
uncovered() {
  local out
  if out=$(covers "$WORK/unmanaged" 2>&1); then fail "a pin without a manager passed"; fi
  grep -q "tools/k8s.sh: NEWTOOL_VERSION=v1.2.3 has no Renovate manager" <<<"$out" || fail "not named: $out"
}
check "a tool version pinned without a Renovate manager fails the coverage check" uncovered

phase fork
# The copy: this work tree's files (tracked or new, not ignored) in a repository of their own, with
# node_modules linked (the workspace links copied, so they point into the copy).
copy=$WORK/fork
make_copy() {
  mkdir -p "$copy"
  git ls-files -z --cached --others --exclude-standard | grep -zv '^tools/renovate/node_modules/' |
    xargs -0 cp --parents -P -t "$copy" 2>/dev/null || true
  mkdir "$copy/node_modules"
  local entry
  for entry in node_modules/* node_modules/.[!.]*; do
    if [[ "$entry" == node_modules/@flotilla ]]; then cp -a "$entry" "$copy/node_modules/"; else ln -s "$ROOT/$entry" "$copy/$entry"; fi
  done
  git -C "$copy" init -q -b main && git -C "$copy" add -A &&
    git -C "$copy" -c user.email=ci@flotilla.invalid -c user.name=ci commit -qm copy
}
gate "a throwaway copy of the repository" make_copy || { tier_end; exit 1; }
ARGS=(--org northwind --repo github.com/northwind/flotilla --domain northwind.io --registry ghcr.io/northwind)
upstream_left() { # git grep for fork.json's upstream patterns outside its skip list
  local pattern skip
  pattern=$(python3 ci/fork/placeholders.py pattern "$copy/fork.json") || return 2
  mapfile -t skip < <(python3 ci/fork/placeholders.py skip "$copy/fork.json")
  git -C "$copy" grep -n -I -P "$pattern" -- . "${skip[@]}"
}
forked() {
  (cd "$copy" && npm run --silent fork -- "${ARGS[@]}") || { fail "npm run fork failed"; return 1; }
  # git grep: 1 is "none left"; 0 found some (listed above); anything else is a broken search
  local rc=0
  upstream_left || rc=$?
  ((rc == 1)) || fail "upstream placeholders left, or the search failed (exit $rc, above)"
}
check "npm run fork -- ${ARGS[*]}: no upstream placeholder left (git grep)" forked
static_checks() { (cd "$copy" && bash pipeline/lint && node_modules/.bin/tsc -p ci/tsconfig.json --noEmit) || fail "static checks fail after the fork"; }
check "the static checks of .ci/run pass in the forked copy (pipeline/lint, ci types)" static_checks
twice() {
  git -C "$copy" add -A && git -C "$copy" -c user.email=ci@flotilla.invalid -c user.name=ci commit -qm forked
  (cd "$copy" && npm run --silent fork -- "${ARGS[@]}") >/dev/null || fail "the second run failed"
  [[ -z "$(git -C "$copy" status --porcelain)" ]] || fail "the second run changed: $(git -C "$copy" status --porcelain)"
}
check "a second run with the same arguments changes nothing" twice
# negative control: a placeholder in a shape no fork.json entry matches (not covered)
planted() {
  echo "Status page: https://status.flotilla.example.com" >"$copy/docs/status.md"
  git -C "$copy" add docs/status.md
  local out
  if out=$(cd "$copy" && npm run --silent fork -- "${ARGS[@]}" 2>&1); then fail "fork passed with a placeholder left"; fi
  grep -q "docs/status.md:1:" <<<"$out" || fail "the failure does not name docs/status.md: $out"
}
check "a placeholder no fork.json entry covers makes npm run fork fail, naming it" planted

tier_end
