// A fixed-size SVG line of recent percentages. The y axis is always 0–100 % so the line does not
// jump when the range changes, and the box never changes size (no layout shift).

import { HISTORY_LENGTH } from "../history.ts";

const WIDTH = 240;
const HEIGHT = 48;

export interface SparklineProps {
  values: readonly number[];
  /** What is plotted, for the accessible description ("CPU", "RAM"). */
  label: string;
}

export function sparklinePoints(values: readonly number[], slots = HISTORY_LENGTH): string {
  const step = WIDTH / (slots - 1);
  // Right-aligned: the newest sample is always at the right edge.
  const offset = slots - values.length;
  return values
    .map((v, i) => {
      const x = (offset + i) * step;
      const y = HEIGHT - (Math.min(100, Math.max(0, v)) / 100) * HEIGHT;
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(" ");
}

export function Sparkline({ values, label }: SparklineProps) {
  const points = sparklinePoints(values);
  const first = points.split(" ")[0]?.split(",")[0];
  const description =
    values.length === 0
      ? `${label} history: no samples yet`
      : `${label} over the last ${values.length} samples: min ${Math.min(...values).toFixed(1)} %, max ${Math.max(...values).toFixed(1)} %`;
  return (
    <svg className="sparkline" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={description}>
      <line className="sparkline-grid" x1="0" x2={WIDTH} y1={HEIGHT / 2} y2={HEIGHT / 2} />
      {values.length > 1 && (
        <>
          <polygon className="sparkline-area" points={`${first},${HEIGHT} ${points} ${WIDTH},${HEIGHT}`} />
          <polyline className="sparkline-line" points={points} />
        </>
      )}
    </svg>
  );
}
