#!/usr/bin/env bash
# Tier pipelines: the three CI wrappers of the delivery pipeline (Jenkinsfile + pipeline/jenkins,
# .github/workflows, .circleci) checked by the field's own tools, zero findings, each check with a
# negative control (ci/pipelines/negative/), and the pull-request workflow run for real by act, as
# the non-root user `runner` with passwordless sudo, like GitHub's hosted runners.
# No Jenkins, GitHub or CircleCI is reachable here: what is proven is what their own parsers and
# linters accept, plus the GitHub workflow executing on this host. Prints
# `tier pipelines: N passed, M failed`.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
source ci/lib/harness.sh
source tools/lib/tools.sh
tier_begin pipelines
WORK=$(mktemp -d /tmp/tier-pipelines.XXXXXX)
# act's image job builds images: a Docker engine, started here when none answers (a CI machine
# starts with none; the containers tier stops the one it started).
source tools/lib/docker-engine.sh
RUNNER_WORK=""
trap 'stop_engine; rm -rf "$WORK" ${RUNNER_WORK:+"$RUNNER_WORK"}' EXIT
N=ci/pipelines/negative
GROOVY_JAR=$FLOTILLA_CACHE/groovy.jar # ci/tools/pipelines.sh
export PATH="$FLOTILLA_CACHE/venv-pipelines/bin:$PATH"

phase "tools"
gate "tools installed (ci/tools/pipelines.sh)" bash ci/tools/pipelines.sh || { tier_end; exit 1; }
gate "a Docker engine answers" start_engine || { tier_end; exit 1; }
for t in actionlint act shellcheck zizmor check-jsonschema java; do
  check "$t on PATH" command -v "$t"
done
echo "  $(tools_built act); $(tools_built actionlint); $(zizmor --version); $(shellcheck --version | sed -n 's/^version: /shellcheck /p')"

mapfile -t WORKFLOWS < <(ls .github/workflows/*.yml .github/workflows/*.yaml 2>/dev/null)
# expect_fail DESC CMD...: a negative control; CMD must fail.
expect_fail() { ! "$@"; }

phase "GitHub Actions"
check "actionlint (+ shellcheck): ${#WORKFLOWS[@]} workflows, no finding" actionlint -shellcheck "$(command -v shellcheck)"
check "actionlint rejects a job needing a missing job" expect_fail actionlint "$N/workflow-graph.yml"
parser() { node --import ./ci/pipelines/json-loader.mjs ci/pipelines/validate-workflows.mjs "$@"; }
check "GitHub's parser (@actions/workflow-parser) accepts every workflow" parser "${WORKFLOWS[@]}"
check "GitHub's parser rejects the broken job graph" expect_fail parser "$N/workflow-graph.yml"
check "GitHub workflow schema (check-jsonschema) accepts every workflow" \
  check-jsonschema --builtin-schema vendor.github-workflows "${WORKFLOWS[@]}"
check "zizmor --offline: no finding" zizmor --offline --no-progress .github/workflows/
check "zizmor rejects tag-pinned actions, persisted credentials, template injection" \
  expect_fail zizmor --offline --no-progress "$N/workflow-insecure.yml"
pinned() { # every third-party action is pinned to a full commit SHA
  local bad
  bad=$(grep -hoE '^\s*-?\s*uses:\s*[^ #]+' "${WORKFLOWS[@]}" | sed 's/.*uses:\s*//' | grep -v '^\./' | grep -vE '@[0-9a-f]{40}$')
  [[ -z "$bad" ]] || fail "not pinned to a commit SHA: $bad"
}
check "every third-party action is pinned to a commit SHA" pinned

phase "CircleCI"
check "CircleCI schema (check-jsonschema vendor.circle-ci)" check-jsonschema --builtin-schema vendor.circle-ci .circleci/config.yml
check "CircleCI schema rejects a bad job" expect_fail check-jsonschema --builtin-schema vendor.circle-ci "$N/circleci-schema.yml"
check "CircleCI's config parser accepts the config" node ci/pipelines/circleci-parse.cjs .circleci/config.yml
check "the schema accepts a workflow requiring an undefined job..." \
  check-jsonschema --builtin-schema vendor.circle-ci "$N/circleci-undefined.yml"
check "...CircleCI's parser rejects it" expect_fail node ci/pipelines/circleci-parse.cjs "$N/circleci-undefined.yml"

phase "Jenkins"
JENKINS_FILES=(Jenkinsfile pipeline/jenkins/vars/*.groovy)
groovyc() { java -cp "$GROOVY_JAR" ci/pipelines/JenkinsfileCheck.java "$@"; }
check "Groovy $(cat "$GROOVY_JAR.version") (Jenkins' own) compiles the Jenkinsfile and its library (${#JENKINS_FILES[@]} files); declarative skeleton" \
  groovyc "${JENKINS_FILES[@]}"
check "the Groovy compiler rejects a syntax error" expect_fail groovyc "$N/Jenkinsfile.syntax"
check "the skeleton check rejects a pipeline without agent and a stage without steps" expect_fail groovyc "$N/Jenkinsfile.skeleton"
# npm-groovy-lint starts a JVM (CodeNarc): one run over the real files and the negative control,
# then each verdict read from its JSON report.
ci/pipelines/node_modules/.bin/npm-groovy-lint --noserver --failon info --output json \
  --config ci/pipelines/groovylintrc.json "${JENKINS_FILES[@]}" "$N/lint-error.groovy" >"$WORK/groovylint.json" 2>"$WORK/groovylint.err"
groovylint_findings() { # FILE...: prints "file: severity rule (line)" for each finding in those files
  python3 ci/pipelines/groovylint-findings.py "$WORK/groovylint.json" "$@"
}
lint_clean() { local f; f=$(groovylint_findings "$@") || return 1; [[ -z "$f" ]] || fail "$f"; }
lint_flags() { groovylint_findings "$1" | grep -q "$2" || fail "no $2 finding in $1"; }
check "npm-groovy-lint 16.2.0: no finding, info level included" lint_clean "${JENKINS_FILES[@]}"
check "npm-groovy-lint flags an empty catch block" lint_flags "$N/lint-error.groovy" EmptyCatchBlock

phase "wrappers call pipeline only"
steps_only() { python3 ci/pipelines/steps-only.py --jenkins-lib pipeline/jenkins/vars "$@"; }
check "every stage and step of every wrapper runs a pipeline script" steps_only Jenkinsfile "${WORKFLOWS[@]}" .circleci/config.yml
check "rejects a Jenkins stage with its own shell command" expect_fail steps_only "$N/Jenkinsfile.logic"
check "rejects a workflow step with its own shell command" expect_fail steps_only "$N/workflow-logic.yml"
check "rejects a CircleCI step with its own shell command" expect_fail steps_only "$N/circleci-logic.yml"
mapfile -t SCRIPTS < <(grep -l -d skip '^#!/usr/bin/env bash' pipeline/*)
check "shellcheck: pipeline, the shared image recipe, the delivery and pipelines tiers" \
  shellcheck -x pipeline/lib.sh pipeline/lib-images.sh "${SCRIPTS[@]}" ci/delivery/*.sh ci/pipelines/act-run.sh ci/pipelines/hosted-runner.sh \
  ci/tier-delivery.sh ci/tier-pipelines.sh

# one_line_error EXPECTED STEP ARGS...: the step fails with one line on stderr naming the problem
one_line_error() {
  local want=$1 err
  shift
  if env -u REGISTRY -u COSIGN_KEY FLOTILLA_OUT="$WORK/out" "$@" >/dev/null 2>"$WORK/err"; then
    fail "$* succeeded"
    return 1
  fi
  err=$(cat "$WORK/err")
  [[ "$(wc -l <"$WORK/err")" -eq 1 && "$err" == *"$want"* ]] || fail "stderr was: $err"
}
phase "steps: bad input gets a one-line error"
check "an unknown service" one_line_error "unknown service 'nosuch'" pipeline/build-images nosuch
check "build-images without a Docker engine" one_line_error "no Docker engine answers" env DOCKER=/bin/false pipeline/build-images hello
check "push without a registry" one_line_error "REGISTRY is not set" pipeline/push hello
check "sign without a key" one_line_error "COSIGN_KEY is not set" pipeline/sign hello
check "verify refuses a reference by tag" one_line_error "not a digest reference" \
  env COSIGN_PUBLIC_KEY=/dev/null pipeline/verify example.com/flotilla/hello:1.0
check "changed-services with an unknown head" one_line_error "no commit 'no-such-head'" pipeline/changed-services HEAD no-such-head
check "promote with nothing pushed" one_line_error "nothing pushed in this run" pipeline/promote dev
check "roll-ecs without a cluster" one_line_error "ECS_CLUSTER is not set" env -u ECS_CLUSTER pipeline/roll-ecs dev
check "scan with the CVE gate neither on nor off" one_line_error "SCAN_VULNERABILITIES must be 0 or 1, not 'true'" \
  env SCAN_VULNERABILITIES=true pipeline/scan hello

notify_posts() { # the notification reaches a webhook (a loopback stand-in for Slack's)
  local port pid
  coproc SINK { python3 ci/lib/webhook-sink.py "$WORK/notified.json" --once; }
  pid=$SINK_PID # bash unsets SINK_PID once the coprocess ends
  read -r port <&"${SINK[0]}"
  NOTIFY_WEBHOOK_URL="http://127.0.0.1:$port/hook" PIPELINE_NAME=flotilla PIPELINE_RUN="#7" bash pipeline/notify FAILURE || return 1
  wait "$pid"
  python3 ci/lib/json-eval.py '"flotilla #7 ended: FAILURE" in j["body"]["text"]' <"$WORK/notified.json" || fail "webhook got: $(cat "$WORK/notified.json" 2>/dev/null)"
}
check "notify posts the pipeline's result to the webhook" notify_posts

phase "act: the pull-request workflow on this host, as a hosted runner runs it"
source ci/pipelines/hosted-runner.sh
source ci/pipelines/act-run.sh
if gate "the runner user: uid $RUNNER_UID, passwordless sudo, docker group (ci/pipelines/hosted-runner.sh)" runner_user &&
  gate "the runner's tool cache restored from the host's (a hosted runner's cache hit)" runner_seed_tools &&
  gate "the machine's Python on the runner's PATH" runner_python &&
  RUNNER_WORK=$(runner_dir); then
  act_checks
fi

tier_end
