// An image of a dashboard's layout, drawn from its JSON (gridPos of every row and panel), for
// docs/observability.md: Grafana itself cannot run here, so this shows what it would lay out.
import type { Dashboard, Panel } from "@grafana/grafana-foundation-sdk/dashboard";

const COL = 40; // px per grid column (Grafana's grid is 24 columns wide)
const ROW = 22; // px per grid unit of height
const PAD = 4;

function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function clip(text: string, px: number): string {
  const max = Math.max(4, Math.floor(px / 7));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

interface Box {
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  detail: string;
  exprs: string[];
}

export function layoutSvg(d: Dashboard): string {
  const boxes: Box[] = (d.panels ?? []).map((p) => {
    const panel = p as Omit<Panel, "targets"> & { targets?: Array<{ expr?: string }> };
    const g = panel.gridPos ?? { x: 0, y: 0, w: 24, h: 1 };
    const queries = panel.targets?.length ?? 0;
    const unit = panel.fieldConfig?.defaults?.unit;
    return {
      type: panel.type,
      title: panel.title ?? "",
      gridPos: { x: g.x ?? 0, y: g.y ?? 0, w: g.w ?? 24, h: g.h ?? 1 },
      detail: panel.type === "row" ? "" : `${panel.type} · ${queries} quer${queries === 1 ? "y" : "ies"}${unit ? ` · ${unit}` : ""}`,
      exprs: (panel.targets ?? []).map((t) => t.expr ?? ""),
    };
  });
  const height = Math.max(...boxes.map((b) => (b.gridPos.y + b.gridPos.h) * ROW), ROW) + 50;
  const width = 24 * COL;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#111217"/>`,
    `<text x="${PAD * 2}" y="28" font-size="18" fill="#ccccdc">${esc(d.title ?? "")}</text>`,
  ];
  for (const b of boxes) {
    const x = b.gridPos.x * COL + PAD;
    const y = b.gridPos.y * ROW + 44;
    const w = b.gridPos.w * COL - 2 * PAD;
    if (b.type === "row") {
      parts.push(`<text x="${x}" y="${y + 18}" font-size="14" font-weight="bold" fill="#ccccdc">▾ ${esc(clip(b.title, w))}</text>`);
      continue;
    }
    const h = b.gridPos.h * ROW - 2 * PAD;
    parts.push(
      `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="3" fill="#181b1f" stroke="#2c3235"/>`,
      `<text x="${x + 8}" y="${y + 18}" font-size="13" fill="#ccccdc">${esc(clip(b.title, w - 16))}</text>`,
      `<text x="${x + 8}" y="${y + 34}" font-size="11" fill="#8e8e8e">${esc(clip(b.detail, w - 16))}</text>`,
      ...b.exprs
        .slice(0, Math.max(0, Math.floor((h - 44) / 14)))
        .map(
          (e, i) =>
            `<text x="${x + 8}" y="${y + 52 + i * 14}" font-size="10" font-family="monospace" fill="#6e9fff">${esc(clip(e, w - 16))}</text>`,
        ),
    );
  }
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
