#!/usr/bin/env bash
# Tools of `npm run bench`, once per machine (tools/lib/tools.sh): Debian's wrk (the HTTP load
# generator: C, so it does not fight the server for a JavaScript event loop), ghz (the gRPC one,
# from the Go module proxy), the seeds' Go hello (bench/go-hello, gobyexample's http-server) and
# the canonical Go RouteGuide server (google.golang.org/grpc/examples' route_guide/server), the
# comparison points. `npm run bench` runs this first; so does tools/store.sh (tier store runs
# bench/store.ts once, as a smoke test).
# Prints `NAME=PATH` lines for the bench to read.

GHZ_VERSION=v0.121.0
# google.golang.org/grpc/examples has no tags: a pseudo-version pins it. Its go.mod replaces grpc
# with the repository around it (../), which go_module_build drops: grpc comes from the proxy at
# the version the examples require.
GRPC_EXAMPLES_VERSION=v0.0.0-20260825154716-030ee8becb20

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  cd "$(dirname "$0")/.."
  source tools/lib/tools.sh
  apt_need wrk
  go_tool ghz github.com/bojand/ghz/cmd/ghz "$GHZ_VERSION" -ldflags "-s -w" >&2
  go_local_build go-hello bench/go-hello -ldflags "-s -w" >&2
  go_module_build go-routeguide-server google.golang.org/grpc/examples "$GRPC_EXAMPLES_VERSION" ./route_guide/server \
    -ldflags "-s -w" >&2
  echo "wrk=$(command -v wrk)"
  echo "ghz=$TOOLS_BIN/ghz"
  echo "go-hello=$TOOLS_BIN/go-hello"
  echo "go-routeguide-server=$TOOLS_BIN/go-routeguide-server"
fi
