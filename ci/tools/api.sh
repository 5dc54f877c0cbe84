#!/usr/bin/env bash
# Tools of tier api: schemathesis (PyPI, every dependency pinned in ci/api/requirements.txt) in
# $FLOTILLA_CACHE/venv-api; grpcurl for the gRPC half comes from tools/routeguide.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/lib/tools.sh
pip_venv api ci/api/requirements.txt
st --version
