// What the exporter reads on each scrape, as metrics named like the Percona exporter's
// compatible mode (mongodb_up, mongodb_connections{state}, mongodb_op_counters_total{type},
// mongodb_memory{type}, mongodb_instance_uptime_seconds), so the same alerts and dashboards work
// with either, plus serverStatus.metrics.commands (per command, reported by MongoDB and FerretDB
// alike). A field a server does not report is left out, not faked: FerretDB reports no
// connections, opcounters or memory.
import { Counter, Gauge, Registry } from "prom-client";

/** Runs an admin command (the driver's db("admin").command in production, a stub in tests). */
export type AdminCommand = (command: Record<string, unknown>) => Promise<Record<string, unknown>>;

type Doc = Record<string, unknown>;

function num(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  // BSON Long / Int32 / Double wrappers
  if (v && typeof v === "object" && "toNumber" in v && typeof (v as { toNumber: unknown }).toNumber === "function") {
    return (v as { toNumber: () => number }).toNumber();
  }
  return undefined;
}

function section(doc: Doc, key: string): Doc {
  const v = doc[key];
  return v && typeof v === "object" ? (v as Doc) : {};
}

export function createCollector(run: AdminCommand, log: (msg: string) => void = () => {}) {
  const registry = new Registry();
  const registers = [registry];
  const up = new Gauge({ name: "mongodb_up", help: "1 when the last ping to the server succeeded, 0 when it failed.", registers });
  const info = new Gauge({
    name: "mongodb_version_info",
    help: "The server's version (buildInfo), as a label.",
    labelNames: ["version"],
    registers,
  });
  const connections = new Gauge({
    name: "mongodb_connections",
    help: "Client connections to the server, by state (serverStatus.connections).",
    labelNames: ["state"],
    registers,
  });
  const ops = new Counter({
    name: "mongodb_op_counters_total",
    help: "Operations since the server started, by type (serverStatus.opcounters).",
    labelNames: ["type"],
    registers,
  });
  const memory = new Gauge({
    name: "mongodb_memory",
    help: "Memory of the server process in MiB, by type (serverStatus.mem).",
    labelNames: ["type"],
    registers,
  });
  const commands = new Counter({
    name: "mongodb_commands_total",
    help: "Commands run since the server started, by command (serverStatus.metrics.commands.<name>.total).",
    labelNames: ["command"],
    registers,
  });
  const commandsFailed = new Counter({
    name: "mongodb_commands_failed_total",
    help: "Commands that failed since the server started, by command (serverStatus.metrics.commands.<name>.failed).",
    labelNames: ["command"],
    registers,
  });
  const uptime = new Gauge({
    name: "mongodb_instance_uptime_seconds",
    help: "Seconds since the server started (serverStatus.uptime).",
    registers,
  });
  const scrapeErrors = new Counter({ name: "mongodb_exporter_scrape_errors_total", help: "Scrapes where a command failed.", registers });

  async function collect(): Promise<void> {
    info.reset();
    connections.reset();
    ops.reset();
    memory.reset();
    commands.reset();
    commandsFailed.reset();
    uptime.reset();
    try {
      await run({ ping: 1 });
      up.set(1);
    } catch (error) {
      up.set(0);
      scrapeErrors.inc();
      log(`ping failed: ${(error as Error).message}`);
      return;
    }
    try {
      const build = await run({ buildInfo: 1 });
      if (typeof build.version === "string") info.set({ version: build.version }, 1);
      const status = await run({ serverStatus: 1 });
      for (const [state, v] of Object.entries(section(status, "connections"))) {
        const n = num(v);
        if (n !== undefined) connections.set({ state }, n);
      }
      for (const [type, v] of Object.entries(section(status, "opcounters"))) {
        const n = num(v);
        if (n !== undefined) ops.inc({ type }, n);
      }
      for (const type of ["resident", "virtual"]) {
        const n = num(section(status, "mem")[type]);
        if (n !== undefined) memory.set({ type }, n);
      }
      for (const [command, v] of Object.entries(section(section(status, "metrics"), "commands"))) {
        const doc = v && typeof v === "object" ? (v as Doc) : {};
        const total = num(doc.total);
        const failed = num(doc.failed);
        if (total !== undefined) commands.inc({ command }, total);
        if (failed !== undefined) commandsFailed.inc({ command }, failed);
      }
      const secs = num(status.uptime);
      if (secs !== undefined) uptime.set(secs);
    } catch (error) {
      scrapeErrors.inc();
      log(`serverStatus failed: ${(error as Error).message}`);
    }
  }

  return { registry, collect };
}
