// The dashboard page.

import type { RuntimeConfig } from "../config.ts";
import { formatPercent } from "../format.ts";
import { useHello } from "../use-hello.ts";
import { type ConnectionOverrides, useStats } from "../use-stats.ts";
import { CgroupPanel } from "./CgroupPanel.tsx";
import { ConnectionBadge } from "./ConnectionBadge.tsx";
import { HelloPanel } from "./HelloPanel.tsx";
import { HostPanel } from "./HostPanel.tsx";
import { MetricCard } from "./MetricCard.tsx";

export interface AppProps {
  config: RuntimeConfig;
  /** Tests drive the connection with their own EventSource/fetch; the page uses the browser's. */
  connection?: ConnectionOverrides;
  helloFetch?: typeof fetch;
}

function sampledAtText(iso: string | null | undefined): string {
  if (!iso) return "No sample yet";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "No sample yet" : `Sampled at ${d.toLocaleTimeString()}`;
}

export function App({ config, connection, helloFetch }: AppProps) {
  const view = useStats(config, connection);
  const hello = useHello(config.helloUrl, 30_000, helloFetch);
  const { sample } = view;
  const cg = sample?.cgroup ?? null;
  const cgroupCpu = cg?.cpu.usagePercent ?? null;
  const cpuDetail =
    sample === null
      ? "Host CPU busy time"
      : `Host, ${sample.cpuCount ?? "?"} CPUs${cgroupCpu === null ? "" : ` · cgroup ${formatPercent(cgroupCpu)}`}`;
  const ramDetail =
    sample === null
      ? "Memory in use"
      : (sample.memory?.source ?? "proc") === "proc"
        ? "Host memory in use"
        : `Of the container's limit (${sample.memory?.source})`;

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>Flotilla</h1>
          <p className="subtitle">System stats, live from the stats service</p>
        </div>
        <ConnectionBadge status={view.status} onReconnect={view.reconnectNow} />
      </header>
      <main className="grid">
        <MetricCard id="cpu" label="CPU" value={sample?.cpu ?? null} history={view.cpuHistory} detail={cpuDetail} />
        <MetricCard id="ram" label="RAM" value={sample?.ram ?? null} history={view.ramHistory} detail={ramDetail} />
        <HostPanel sample={sample} />
        <CgroupPanel sample={sample} />
        {config.helloUrl !== null && <HelloPanel view={hello} />}
      </main>
      <footer className="page-footer">
        <p data-testid="sampled-at" data-sampled-at={sample?.sampledAt ?? ""}>
          {sampledAtText(sample?.sampledAt)}
        </p>
      </footer>
    </div>
  );
}
