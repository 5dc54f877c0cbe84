// Host figures behind the headline numbers: memory in bytes, load, uptime.

import { formatBytes, formatDuration, PLACEHOLDER } from "../format.ts";
import type { StatsSample } from "../stats.ts";

export function HostPanel({ sample }: { sample: StatsSample | null }) {
  const load = sample?.loadAverage?.length ? sample.loadAverage.map((n) => n.toFixed(2)).join(" · ") : PLACEHOLDER;
  return (
    <section className="card panel" aria-labelledby="host-label">
      <h2 id="host-label" className="card-title">
        Host
      </h2>
      <dl className="facts">
        <dt>Memory used</dt>
        <dd>
          {formatBytes(sample?.memory?.usedBytes)} <span className="muted">of</span> {formatBytes(sample?.memory?.totalBytes)}
        </dd>
        <dt>CPUs</dt>
        <dd>{sample?.cpuCount ?? PLACEHOLDER}</dd>
        <dt>
          Load <abbr title="1, 5 and 15 minute averages">avg</abbr>
        </dt>
        <dd>{load}</dd>
        <dt>Uptime</dt>
        <dd>{formatDuration(sample?.uptimeSeconds)}</dd>
      </dl>
    </section>
  );
}
