// store's own signals and its three databases, through their exporters (jobs mysql, redis, mongodb).
import { type Section, stat, timeseries } from "../panels.ts";

export const storeSections: Section[] = [
  {
    title: "Databases",
    panels: [
      stat("MySQL up", "mysql_up from mysqld_exporter: 1 when it can query MySQL.", "none", { expr: "max(mysql_up)", legend: "MySQL" }),
      stat("Redis up", "redis_up from redis_exporter: 1 when it can reach Redis.", "none", { expr: "max(redis_up)", legend: "Redis" }),
      stat("MongoDB up", "mongodb_up from the MongoDB exporter: 1 when a ping succeeds.", "none", {
        expr: "max(mongodb_up)",
        legend: "MongoDB",
      }),
      stat("User cache hit ratio", "Share of GET /users/:id answered from Redis over the last 5 minutes.", "percentunit", {
        expr: 'sum(rate(store_user_cache_requests_total{service="store",result="hit"}[5m])) / sum(rate(store_user_cache_requests_total{service="store"}[5m]))',
        legend: "hit ratio",
      }),
      timeseries(
        "User cache lookups",
        "GET /users/:id cache lookups per second: hit, miss, error (Redis down), disabled.",
        "ops",
        [{ expr: 'sum by (result) (rate(store_user_cache_requests_total{service="store"}[$__rate_interval]))', legend: "{{result}}" }],
        8,
      ),
      // MongoDB's connection count is alerted on (MongoDBConnectionsSaturated) where the server
      // reports it; FerretDB does not, so it is no panel every deployment can fill.
      timeseries(
        "Database connections",
        "Open client connections: MySQL threads, Redis clients.",
        "none",
        [
          { expr: "sum(mysql_global_status_threads_connected)", legend: "MySQL threads" },
          { expr: "sum(redis_connected_clients)", legend: "Redis clients" },
        ],
        8,
      ),
      timeseries(
        "Database operations",
        "Statements/commands/operations per second as each database counts them.",
        "ops",
        [
          { expr: "sum(rate(mysql_global_status_queries[$__rate_interval]))", legend: "MySQL queries" },
          { expr: "sum(rate(redis_commands_processed_total[$__rate_interval]))", legend: "Redis commands" },
          // opcounters where the server has them (MongoDB), else its per-command counts (FerretDB)
          {
            expr: "sum(rate(mongodb_op_counters_total[$__rate_interval])) or sum(rate(mongodb_commands_total[$__rate_interval]))",
            legend: "MongoDB operations",
          },
        ],
        8,
      ),
      timeseries(
        "Readiness checks",
        "store's readiness checks, 1 passing, 0 failing (users = MySQL, posts = MongoDB, sessions = Redis; StoreDependencyNotReady).",
        "none",
        [{ expr: 'min by (check) (readiness_check_passing{service="store"})', legend: "{{check}}" }],
        8,
      ),
      timeseries(
        "Redis memory",
        "Memory Redis uses for data (sessions, the users cache).",
        "bytes",
        [{ expr: "sum(redis_memory_used_bytes)", legend: "used" }],
        8,
      ),
      timeseries(
        "MySQL slow queries",
        "Queries slower than long_query_time, per second.",
        "ops",
        [{ expr: "sum(rate(mysql_global_status_slow_queries[$__rate_interval]))", legend: "slow queries" }],
        8,
      ),
    ],
  },
];
