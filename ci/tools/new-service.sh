#!/usr/bin/env bash
# Tools of tier new-service: what it needs to render and validate the chart (tools/k8s.sh),
# to build and run the image and check the compose entry (tools/containers.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/k8s.sh
bash tools/containers.sh
