// Everything deploy/monitoring derives, from the service registry and the one declaration of each
// part, so nothing is a second list: the Prometheus scrape targets for compose and `npm start`,
// the dashboards (built from TypeScript with Grafana's foundation SDK), the images of their
// layouts for docs/observability.md, the chart's copies of the rules and dashboards (Helm
// reads files only from inside the chart), and the local platform's Alertmanager configuration.
//   node scripts/monitoring.ts            writes them (npm run generate runs it with every generator)
//   node scripts/monitoring.ts --check    fails (exit 1) when any is out of date
//   node scripts/monitoring.ts scraped    prints "name protocol" of each member Prometheus scrapes
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { alertmanagerFor } from "../deploy/monitoring/alertmanager/for-cluster.ts";
import { fleetDashboard } from "../deploy/monitoring/dashboards/fleet.ts";
import { layoutSvg } from "../deploy/monitoring/dashboards/layout-svg.ts";
import { serviceDashboard } from "../deploy/monitoring/dashboards/service.ts";
import { applyDerived, type Derived } from "./generated.ts";
import { localPorts, type Member, readRegistry, root } from "./registry.ts";

const MON = "deploy/monitoring";
const CHART_FILES = "deploy/helm/flotilla/files";
// The local platform's Alertmanager (deploy/flux/infrastructure/local/monitoring): its receivers
// post to the alert-sink Service there (a tier's webhook receiver), and a resolved alert is sent
// within 30 s. One file in a folder of hand-written manifests: not an owned folder.
const LOCAL_ALERTMANAGER = {
  file: "deploy/flux/infrastructure/local/monitoring/alertmanager-config.yaml",
  sink: "http://alert-sink.monitoring.svc:9095",
  timings: { group_wait: "10s", group_interval: "30s" },
} as const;

/** Members built on the service kit: they serve /metrics (the web app is nginx, it does not). */
export function scrapedMembers(members = readRegistry()): Member[] {
  return members.filter((m) => m.serviceKit);
}

/** The kit's HTTP port (PORT): a gRPC member serves /metrics beside its gRPC port, on flotilla.env.PORT. */
function metricsPort(m: Member, httpPort: number): number {
  return m.protocol === "grpc" ? Number(m.env.PORT) : httpPort;
}

function fileSd(targets: Array<{ name: string; address: string }>): string {
  return `${JSON.stringify(
    targets.map((t) => ({ targets: [t.address], labels: { service: t.name } })),
    null,
    2,
  )}\n`;
}

function outputs(): Map<string, string> {
  const members = readRegistry();
  const scraped = scrapedMembers(members);
  const local = localPorts(members);
  const out = new Map<string, string>();
  out.set(
    `${MON}/prometheus/targets/compose.json`,
    fileSd(scraped.map((m) => ({ name: m.name, address: `${m.name}:${metricsPort(m, m.port)}` }))),
  );
  out.set(
    `${MON}/prometheus/targets/local.json`,
    fileSd(scraped.map((m) => ({ name: m.name, address: `127.0.0.1:${metricsPort(m, local.get(m.name) ?? m.port)}` }))),
  );
  const dashboards = [
    fleetDashboard(scraped.map((m) => m.name)),
    ...scraped.map((m) => serviceDashboard(m.name, m.protocol, m.description || m.name)),
  ];
  for (const d of dashboards) {
    const json = `${JSON.stringify(d, null, 2)}\n`;
    out.set(`${MON}/grafana/dashboards/${d.uid}.json`, json);
    out.set(`${CHART_FILES}/dashboards/${d.uid}.json`, json);
    out.set(`docs/observability/${d.uid}.svg`, layoutSvg(d));
  }
  for (const f of readdirSync(join(root, MON, "rules"))
    .filter((f) => f.endsWith(".yml"))
    .sort()) {
    out.set(`${CHART_FILES}/rules/${f}`, readFileSync(join(root, MON, "rules", f), "utf8"));
  }
  return out;
}

/** The generated files, and their folders as owned: a file there it no longer writes is a stray. */
export function monitoring(): Derived {
  const files = outputs();
  const owned = [...new Set([...files.keys()].map((f) => dirname(f)))];
  const source = readFileSync(join(root, MON, "alertmanager", "alertmanager.yml"), "utf8");
  files.set(LOCAL_ALERTMANAGER.file, alertmanagerFor(source, LOCAL_ALERTMANAGER.sink, LOCAL_ALERTMANAGER.timings));
  return { files, owned };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv[2] === "scraped") {
    for (const m of scrapedMembers()) console.log(`${m.name} ${m.protocol}`);
    process.exit(0);
  }
  const check = process.argv.includes("--check");
  const derived = monitoring();
  const stale = applyDerived(root, derived, { check, fix: "npm run generate" });
  if (check && stale > 0) process.exit(1);
  if (check) console.log(`monitoring: ${derived.files.size} generated files up to date`);
}
