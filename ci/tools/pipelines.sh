#!/usr/bin/env bash
# Tools of tier pipelines (the CI wrappers checked by the field's own tools, and act running the
# pull-request workflow): actionlint + Debian's shellcheck, act, Debian's docker.io (act's image
# job builds images), Debian's sudo (act runs the jobs as the user runner, with passwordless sudo, as
# on a hosted runner: ci/pipelines/hosted-runner.sh), zizmor and check-jsonschema (PyPI), GitHub's and CircleCI's config parsers
# and npm-groovy-lint (the CI-only npm project ci/pipelines/, its own lockfile), and the Groovy
# compiler Jenkins bundles (Maven Central).
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/lib/tools.sh

ACTIONLINT_VERSION=v1.7.12
ACT_VERSION=v0.2.89
GROOVY_VERSION=2.4.21 # the Groovy inside Jenkins' workflow-cps (Jenkins 2.4xx)

apt_need shellcheck openjdk-17-jre-headless maven docker.io sudo
go_tool actionlint github.com/rhysd/actionlint/cmd/actionlint "$ACTIONLINT_VERSION"
go_tool act github.com/nektos/act "$ACT_VERSION" -ldflags "-s -w -X main.version=$ACT_VERSION"
pip_venv pipelines ci/pipelines/requirements.txt

# The npm tools: `npm ci` of ci/pipelines/ whenever its lockfile changed.
npm_dir=ci/pipelines
if ! cmp -s "$npm_dir/package-lock.json" "$npm_dir/node_modules/.package-lock.copy" 2>/dev/null; then
  echo "tools: npm ci in $npm_dir" >&2
  (
    flock 9
    npm ci --prefix "$npm_dir" --no-audit --no-fund --loglevel=error >"$FLOTILLA_CACHE/logs/npm-pipelines.log" 2>&1 ||
      { tail -n 20 "$FLOTILLA_CACHE/logs/npm-pipelines.log" >&2; exit 1; }
    cp "$npm_dir/package-lock.json" "$npm_dir/node_modules/.package-lock.copy"
  ) 9>"$FLOTILLA_CACHE/locks/npm-pipelines.lock"
fi

# Groovy from Maven Central, through a Maven repository of our own (Maven's default, ~/.m2, is
# Java's user.home, which need not be $HOME), copied to $FLOTILLA_CACHE/groovy.jar for the tier.
groovy_jar=$FLOTILLA_CACHE/groovy.jar
if [[ ! -s "$groovy_jar" || "$(cat "$groovy_jar.version" 2>/dev/null)" != "$GROOVY_VERSION" ]]; then
  echo "tools: mvn dependency:get org.codehaus.groovy:groovy:$GROOVY_VERSION" >&2
  m2=$FLOTILLA_CACHE/m2
  mvn -q -B -Dmaven.repo.local="$m2" dependency:get -Dartifact="org.codehaus.groovy:groovy:$GROOVY_VERSION" -Dtransitive=false \
    >"$FLOTILLA_CACHE/logs/groovy.log" 2>&1 || { tail -n 20 "$FLOTILLA_CACHE/logs/groovy.log" >&2; exit 1; }
  downloaded=$m2/org/codehaus/groovy/groovy/$GROOVY_VERSION/groovy-$GROOVY_VERSION.jar
  [[ -s "$downloaded" ]] || { echo "tools: Maven left no $downloaded" >&2; exit 1; }
  cp "$downloaded" "$groovy_jar.tmp" && mv "$groovy_jar.tmp" "$groovy_jar"
  echo "$GROOVY_VERSION" >"$groovy_jar.version"
fi
