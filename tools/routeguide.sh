#!/usr/bin/env bash
# Tools of tier routeguide: grpcurl from the Go module proxy, once per machine (tools/lib/tools.sh).
# Tier containers sources this file (after tools/lib/tools.sh) for install_grpcurl: one spec, one
# grpcurl for both tiers.

GRPCURL_VERSION=v1.9.3

install_grpcurl() {
  go_tool grpcurl github.com/fullstorydev/grpcurl/cmd/grpcurl "$GRPCURL_VERSION" -ldflags "-s -w"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  cd "$(dirname "$0")/.."
  source tools/lib/tools.sh
  install_grpcurl
fi
