#!/usr/bin/env bash
# Tools of tier new-service: what it needs to render and validate the chart (ci/tools/k8s.sh),
# to build and run the image and check the compose entry (ci/tools/containers.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash ci/tools/k8s.sh
bash ci/tools/containers.sh
