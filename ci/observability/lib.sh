# shellcheck shell=bash
# Helpers of tier observability (sourced by ci/tier-observability.sh after ci/lib/harness.sh): the
# monitoring folder and the collector's configurations, as the offline checks validate them.

# shellcheck disable=SC2034 # the declarations below are read by the scenario files
MON=deploy/monitoring
# The collector's two file-based pipelines (npm start's and compose's logs, traces to a file), with
# the environment they expand; nothing listens there: `validate` only reads them.
VL=http://127.0.0.1:9428
COLLECTOR_ENV=(FLOTILLA_LOG_GLOB="$W/logs/*.log" VICTORIALOGS_URL="$VL" OTLP_HTTP_ENDPOINT="127.0.0.1:4318" FLOTILLA_TRACES_FILE="$W/traces.jsonl")
COLLECTOR_CONFIG=(--config="$MON/otelcol/logs-files.yaml" --config="$MON/otelcol/traces-file.yaml")
