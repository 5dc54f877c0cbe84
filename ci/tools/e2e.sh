#!/usr/bin/env bash
# Tools of tier e2e: Debian's Chromium, nginx, envsubst, setpriv and a font, once per machine
# (tools/lib/tools.sh); playwright-core drives Chromium from node_modules (npm ci).
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/lib/tools.sh
apt_need chromium nginx gettext-base util-linux fonts-dejavu-core
