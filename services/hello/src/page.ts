import { createHash } from "node:crypto";
import type { ServedBy } from "./served-by.ts";

const STYLE = `
:root{color-scheme:light dark;--fg:#1b1f24;--muted:#57606a;--bg:#f6f8fa;--card:#fff;--accent:#0b6bcb}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9da7b3;--bg:#0d1117;--card:#161b22;--accent:#58a6ff}}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:40rem;margin:3rem auto;padding:0 1rem}
h1{font-size:1.1rem;color:var(--muted);font-weight:600;letter-spacing:.02em;margin:0 0 1rem}
.messages{list-style:none;padding:0;margin:0 0 2rem}
.messages li{background:var(--card);border-left:4px solid var(--accent);border-radius:6px;padding:1rem 1.25rem;margin:0 0 .75rem;font-size:1.5rem;font-weight:600}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;background:var(--card);border-radius:6px;padding:1rem 1.25rem;margin:0}
dt{color:var(--muted)}dd{margin:0;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;overflow-wrap:anywhere}
`;

/** The page's Content-Security-Policy allows exactly its one inline stylesheet, by hash. */
export const PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash("sha256").update(STYLE).digest("base64")}'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`;

const LABELS: Array<[keyof ServedBy, string]> = [
  ["pod", "Pod"],
  ["namespace", "Namespace"],
  ["node", "Node"],
  ["image", "Image"],
  ["hostname", "Host"],
  ["version", "Version"],
];

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderPage(messages: readonly string[], served: ServedBy): string {
  const items = messages.map((m) => `<li>${escapeHtml(m)}</li>`).join("");
  const rows = LABELS.filter(([key]) => served[key] !== undefined)
    .map(([key, label]) => `<dt>${label}</dt><dd>${escapeHtml(String(served[key]))}</dd>`)
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Flotilla hello</title><style>${STYLE}</style></head>
<body><main><h1>Flotilla · hello</h1><ul class="messages">${items}</ul>
<section aria-label="Served by"><dl>${rows}</dl></section></main></body></html>
`;
}
