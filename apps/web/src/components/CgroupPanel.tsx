// The container's limits (cgroup), when the stats service runs inside one.

import { formatBytes, formatCores, formatPercent } from "../format.ts";
import type { StatsSample } from "../stats.ts";

export function CgroupPanel({ sample }: { sample: StatsSample | null }) {
  const cgroup = sample?.cgroup ?? null;
  return (
    <section className="card panel" aria-labelledby="cgroup-label">
      <h2 id="cgroup-label" className="card-title">
        Container limits
      </h2>
      {sample === null ? (
        <p className="muted">Waiting for data…</p>
      ) : cgroup === null ? (
        <p className="muted">No cgroup found: the stats service is not running in a container.</p>
      ) : (
        <dl className="facts" data-testid="cgroup">
          <dt>cgroup</dt>
          <dd className="ellipsis" title={cgroup.path}>
            v{cgroup.version} <span className="muted">{cgroup.path}</span>
          </dd>
          <dt>Memory limit</dt>
          <dd>{cgroup.memory.maxBytes === null ? "unlimited" : formatBytes(cgroup.memory.maxBytes)}</dd>
          <dt>Working set</dt>
          <dd>{formatBytes(cgroup.memory.workingSetBytes)}</dd>
          <dt>CPU limit</dt>
          <dd>{formatCores(cgroup.cpu.limitCores)}</dd>
          <dt>CPU used</dt>
          <dd>
            {formatPercent(cgroup.cpu.usagePercent)}{" "}
            <span className="muted">{cgroup.cpu.limitCores === null ? `of ${sample.cpuCount ?? "all"} CPUs` : "of the limit"}</span>
          </dd>
        </dl>
      )}
    </section>
  );
}
