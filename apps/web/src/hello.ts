// The hello service's greeting, as `GET /` with `Accept: application/json` returns it.

export interface HelloInfo {
  messages: string[];
  /** Where the answer came from (pod, node, image…): shown as given. */
  servedBy: Array<[string, string]>;
}

export function parseHello(value: unknown): HelloInfo | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as Record<string, unknown>;
  if (!Array.isArray(v.messages)) return null;
  const messages = v.messages.filter((m): m is string => typeof m === "string");
  const servedBy: Array<[string, string]> = [];
  if (typeof v.servedBy === "object" && v.servedBy !== null) {
    for (const [key, val] of Object.entries(v.servedBy)) {
      if (typeof val === "string" || typeof val === "number") servedBy.push([key, String(val)]);
    }
  }
  return { messages, servedBy };
}
