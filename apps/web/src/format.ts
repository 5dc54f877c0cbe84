// Display formatting. Fixed decimals keep the width of a value stable as it updates.

export const PLACEHOLDER = "—";

export function formatPercent(value: number | null | undefined): string {
  return value === null || value === undefined ? PLACEHOLDER : `${value.toFixed(1)} %`;
}

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"] as const;

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return PLACEHOLDER;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return PLACEHOLDER;
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  if (d > 0) return `${d}d ${h}h ${m}m`;
  if (h > 0) return `${h}h ${m}m`;
  return `${m}m ${s % 60}s`;
}

export function formatCores(cores: number | null | undefined): string {
  if (cores === null || cores === undefined) return "unlimited";
  return `${Number(cores.toFixed(2))} ${cores === 1 ? "core" : "cores"}`;
}
