# shellcheck shell=bash
# Tier observability, fleet: every scraped service as its image runs it (the esbuild bundle, with
# the tracing plugin: tracing must work where no library loads through Node's module loader),
# tracing on, its JSON log lines in the files the collector tails. routeguide runs as server and
# backend, two processes, as the chart runs them.

scenario_fleet() {
  mkdir -p "$W/logs"
  local line name env port=$P_SERVICES t
  for line in "${SCRAPED[@]}"; do
    read -r name _ <<<"$line"
    require "$name: production bundle built (npm run build)" npm run build -w "services/$name" --silent
  done
  TARGETS=()
  for line in "${SCRAPED[@]}"; do
    read -r name _ <<<"$line"
    env=(HOST=127.0.0.1 "PORT=$port" LOG_LEVEL=info SHUTDOWN_DELAY_MS=0 "${OTEL_ENV[@]}")
    case $name in
      # server and backend as two processes, as the chart runs them (sidecar or StatefulSet): the
      # backend is its own service in traces, and scraped as routeguide like the PodMonitor does
      routeguide)
        env+=(ROUTEGUIDE_MODE=server "GRPC_PORT=$P_RG_GRPC" "BACKEND_ADDR=127.0.0.1:$P_RG_BACKEND")
        start_unit routeguide-backend "services/$name/dist/main.mjs" HOST=127.0.0.1 PORT=$P_RG_HTTP LOG_LEVEL=info SHUTDOWN_DELAY_MS=0 \
          "${OTEL_ENV[@]}" OTEL_SERVICE_NAME=routeguide-backend ROUTEGUIDE_MODE=backend BACKEND_PORT=$P_RG_BACKEND DATA_DIR="$W/routeguide"
        TARGETS+=("routeguide=$P_RG_HTTP")
        ;;
      store) env+=(BCRYPT_COST=4 DB_TIMEOUT_MS=1000 MIGRATION_RETRY_MS=500) ;;
    esac
    start_unit "$name" "services/$name/dist/main.mjs" "${env[@]}"
    TARGETS+=("$name=$port")
    eval "PORT_$name=$port"
    port=$((port + 1))
  done
  for t in "${TARGETS[@]}"; do
    check "${t%%=*} ready on 127.0.0.1:${t#*=} (bundle)" eventually 90 healthy "${t#*=}"
  done
}
