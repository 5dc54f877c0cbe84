// One headline figure (CPU or RAM): the value, its recent history and a line of detail.

import { formatPercent } from "../format.ts";
import { Sparkline } from "./Sparkline.tsx";

export interface MetricCardProps {
  id: string;
  label: string;
  value: number | null;
  history: readonly number[];
  detail: string;
}

export function MetricCard({ id, label, value, history, detail }: MetricCardProps) {
  return (
    <section className="card metric" aria-labelledby={`${id}-label`}>
      <h2 id={`${id}-label`} className="card-title">
        {label}
      </h2>
      <p className="metric-value" data-testid={`${id}-value`}>
        {formatPercent(value)}
      </p>
      <Sparkline values={history} label={label} />
      <p className="metric-detail">{detail}</p>
    </section>
  );
}
