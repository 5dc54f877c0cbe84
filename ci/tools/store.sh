#!/usr/bin/env bash
# Tools of tier store: MariaDB and Redis from Debian, FerretDB built from its Go module, once per
# machine (ci/store/servers.sh's store_install, through ci/lib/tools.sh), and the bench's tools
# (ci/tools/bench.sh: wrk, ghz...), since the tier runs bench/store.ts.
set -euo pipefail
cd "$(dirname "$0")/../.."
source ci/store/servers.sh
store_install
bash ci/tools/bench.sh >/dev/null
