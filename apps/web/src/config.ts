// Runtime configuration: where the API lives is decided when the container starts
// (nginx renders /config.json from the environment), never baked into the bundle.

export interface RuntimeConfig {
  /** JSON snapshot endpoint: `GET` returns one sample. */
  statsUrl: string;
  /** Server-Sent Events endpoint: one `stats` event per sample. */
  streamUrl: string;
  /** hello's JSON endpoint; null hides the messages panel. */
  helloUrl: string | null;
}

export const DEFAULT_CONFIG: RuntimeConfig = {
  statsUrl: "/stats",
  streamUrl: "/stats/stream",
  helloUrl: "/hello/",
};

const text = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);

/** Missing or empty fields fall back to the defaults; `helloUrl: ""` or `null` disables hello. */
export function parseConfig(value: unknown): RuntimeConfig {
  if (typeof value !== "object" || value === null) return { ...DEFAULT_CONFIG };
  const v = value as Record<string, unknown>;
  return {
    statsUrl: text(v.statsUrl) ?? DEFAULT_CONFIG.statsUrl,
    streamUrl: text(v.streamUrl) ?? DEFAULT_CONFIG.streamUrl,
    helloUrl: "helloUrl" in v ? text(v.helloUrl) : DEFAULT_CONFIG.helloUrl,
  };
}

/** A missing or broken /config.json must not keep the dashboard from starting. */
export async function loadConfig(url = "/config.json", fetchFn: typeof fetch = fetch): Promise<RuntimeConfig> {
  try {
    const res = await fetchFn(url, { cache: "no-store", headers: { accept: "application/json" } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return parseConfig(await res.json());
  } catch (err) {
    console.warn(`flotilla: ${url} unavailable (${String(err)}), using same-origin defaults`);
    return { ...DEFAULT_CONFIG };
  }
}
