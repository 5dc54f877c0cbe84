// The bench's results as a Markdown table and an SVG chart, both generated from the rows of the
// run (docs/performance.json keeps the latest rows of each bench, so `npm run bench -- hello`
// refreshes hello's and keeps the others').
import { cpus, release } from "node:os";
import { formatStat, type Row } from "./figures.ts";

export interface RunInfo {
  date: string;
  command: string;
  node: string;
  machine: string;
  settings: string;
}

export interface BenchResults {
  /** Per bench (registry member): when and how it ran, and its rows. */
  [bench: string]: { run: RunInfo; rows: Row[] };
}

export function machineInfo(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}, Linux ${release()}`;
}

export function markdownTable(rows: Row[]): string {
  const lines = ["| group | server | req/s | p99 ms | CPU µs/req | load avg | notes |", "|---|---|---|---|---|---|---|"];
  for (const r of rows) {
    lines.push(
      `| ${r.group} | ${r.name} | ${formatStat(r.requestsPerSec)} | ${formatStat(r.p99Ms, 2)} | ${formatStat(r.cpuUsPerRequest, 1)} | ${formatStat(r.load, 1)} | ${r.note ?? ""} |`,
    );
  }
  return lines.join("\n");
}

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * Horizontal bars of the median CPU per request of every row that has one, grouped, each with
 * its spread (min–max) as a whisker. Bars of one group share a scale; groups are stacked.
 */
export function cpuChart(rows: Row[], title: string): string {
  const measured = rows.filter((r) => r.cpuUsPerRequest);
  const groups = [...new Set(measured.map((r) => r.group))];
  const labelW = 330;
  const barW = 420;
  const rowH = 22;
  const width = labelW + barW + 120;
  let y = 40;
  const parts: string[] = [];
  for (const group of groups) {
    const inGroup = measured.filter((r) => r.group === group);
    const max = Math.max(...inGroup.map((r) => r.cpuUsPerRequest?.max ?? 0));
    parts.push(`<text x="10" y="${y + 14}" font-weight="bold">${escape(group)} — server CPU µs per request</text>`);
    y += 24;
    for (const r of inGroup) {
      const s = r.cpuUsPerRequest as NonNullable<Row["cpuUsPerRequest"]>;
      const scale = (v: number) => labelW + (v / max) * barW;
      parts.push(
        `<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${escape(r.name)}</text>`,
        `<rect x="${labelW}" y="${y + 3}" width="${(scale(s.median) - labelW).toFixed(1)}" height="${rowH - 6}" fill="#4c78a8"/>`,
        `<line x1="${scale(s.min).toFixed(1)}" x2="${scale(s.max).toFixed(1)}" y1="${y + rowH / 2}" y2="${y + rowH / 2}" stroke="#222" stroke-width="1.5"/>`,
        `<text x="${(scale(s.max) + 6).toFixed(1)}" y="${y + 15}">${s.median.toFixed(1)}</text>`,
      );
      y += rowH;
    }
    y += 14;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y + 10}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${escape(title)}</text>`,
    ...parts,
    `<text x="10" y="${y}" fill="#555">bar: median of the rounds; line: min–max</text>`,
    "</svg>",
    "",
  ].join("\n");
}
