// The MongoDB exporter's process: one client, /metrics collected on demand (each scrape runs
// ping, buildInfo and serverStatus), /healthz and / for probes. Configuration:
//   MONGODB_URI (or MONGODB_URI_FILE, a mounted secret)   e.g. mongodb://exporter:...@mongo:27017/admin
//   LISTEN_ADDRESS                                          default 0.0.0.0:9216 (the Percona exporter's port)
//   MONGODB_TIMEOUT_MS                                      default 1000: how long a scrape waits for the server
// It also takes the flags the chart gives Percona's exporter, so it drops into the chart's
// monitoring.exporters.mongodb: --web.listen-address=[HOST]:PORT (wins over LISTEN_ADDRESS) and
// --compatible-mode (its metric names are always the compatible ones). Any other flag is an error.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { MongoClient } from "mongodb";
import { createCollector } from "./collect.ts";

function config(): { uri: string; host: string; port: number; timeoutMs: number } {
  const errors: string[] = [];
  const file = process.env.MONGODB_URI_FILE;
  let uri = process.env.MONGODB_URI ?? "";
  if (file) {
    try {
      uri = readFileSync(file, "utf8").trim();
    } catch (error) {
      errors.push(`MONGODB_URI_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code})`);
    }
  }
  if (!uri && errors.length === 0) errors.push("MONGODB_URI or MONGODB_URI_FILE: required");
  else if (uri && !/^mongodb(\+srv)?:\/\//.test(uri)) errors.push("MONGODB_URI: must start with mongodb:// or mongodb+srv://");
  let listen = process.env.LISTEN_ADDRESS ?? "0.0.0.0:9216";
  let listenName = "LISTEN_ADDRESS";
  for (const arg of process.argv.slice(2)) {
    if (arg.startsWith("--web.listen-address=")) {
      listen = arg.slice("--web.listen-address=".length);
      listenName = "--web.listen-address";
    } else if (arg !== "--compatible-mode") {
      errors.push(`${arg}: unknown flag (only --web.listen-address=[HOST]:PORT and --compatible-mode)`);
    }
  }
  const m = /^(.*):(\d{1,5})$/.exec(listen);
  if (!m || Number(m[2]) > 65535) errors.push(`${listenName}: "${listen}" is not [host]:port`);
  const timeoutMs = Number(process.env.MONGODB_TIMEOUT_MS ?? "1000");
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 60_000) {
    errors.push(`MONGODB_TIMEOUT_MS: "${process.env.MONGODB_TIMEOUT_MS}" is not an integer from 100 to 60000`);
  }
  if (errors.length > 0) {
    console.error(JSON.stringify({ level: "fatal", msg: "invalid configuration", errors }));
    process.exit(78);
  }
  return { uri, host: m?.[1] || "0.0.0.0", port: Number(m?.[2]), timeoutMs };
}

const { uri, host, port, timeoutMs } = config();
const log = (msg: string) => console.log(JSON.stringify({ level: "warn", time: new Date().toISOString(), msg }));
// Short timeouts: a scrape must answer (with mongodb_up 0) well within Prometheus' scrape timeout,
// or the database's outage would look like the exporter's.
const client = new MongoClient(uri, {
  serverSelectionTimeoutMS: timeoutMs,
  connectTimeoutMS: timeoutMs,
  socketTimeoutMS: 2 * timeoutMs,
  appName: "flotilla-mongodb-exporter",
});
const admin = client.db("admin");
const { registry, collect } = createCollector((command) => admin.command(command), log);

const server = createServer((req, res) => {
  const path = (req.url ?? "/").split("?", 1)[0];
  if (req.method === "GET" && path === "/metrics") {
    collect()
      .then(() => registry.metrics())
      .then((body) => {
        res.writeHead(200, { "content-type": registry.contentType });
        res.end(body);
      })
      .catch((error: Error) => {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: error.message }));
      });
  } else if (req.method === "GET" && path === "/") {
    // the landing page exporters serve (the chart's probes ask for /)
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end('<html><head><title>MongoDB exporter</title></head><body><a href="/metrics">Metrics</a></body></html>\n');
  } else if (req.method === "GET" && path === "/healthz") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"status":"ok"}');
  } else {
    res.writeHead(404, { "content-type": "application/json" });
    res.end('{"error":"not found"}');
  }
});
server.listen(port, host, () =>
  console.log(JSON.stringify({ level: "info", msg: "mongodb exporter listening", address: `${host}:${port}` })),
);

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    server.close();
    void client.close().finally(() => process.exit(0));
  });
}
