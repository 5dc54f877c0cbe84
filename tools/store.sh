#!/usr/bin/env bash
# Tools of tier store: MariaDB and Redis from Debian, FerretDB built from its Go module, once per
# machine (scripts/store-servers.sh's store_install, through tools/lib/tools.sh), and the bench's tools
# (tools/bench.sh: wrk, ghz...), since the tier runs bench/store.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/store-servers.sh
store_install
bash tools/bench.sh >/dev/null
