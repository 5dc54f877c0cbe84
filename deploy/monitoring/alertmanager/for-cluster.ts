// An Alertmanager configuration for a cluster of ours, derived from the one declaration of who
// hears about what (alertmanager.yml): the same routes, matchers and inhibitions, every webhook
// receiver's URL moved to one sink (its path kept: .../pager stays /pager), and the top route's
// timings optionally shortened. npm run generate writes the local platform's copy with it
// (scripts/monitoring.ts); nothing else may edit that copy.

export const ROUTE_TIMINGS = ["group_wait", "group_interval", "repeat_interval"] as const;
export type RouteTiming = (typeof ROUTE_TIMINGS)[number];

const RECEIVER_URL = /^(\s*- url: )(\S+)$/gm;
const DURATION = /^(\d+(ms|s|m|h))+$/;

export function alertmanagerFor(source: string, sinkUrl: string, timings: Partial<Record<RouteTiming, string>> = {}): string {
  const sink = sinkUrl.replace(/\/+$/, "");
  if (!RECEIVER_URL.test(source)) throw new Error("alertmanagerFor: no webhook receiver URL in the source");
  RECEIVER_URL.lastIndex = 0;
  let body = source.replace(RECEIVER_URL, (_, lead: string, url: string) => lead + sink + (url.replace(/^[a-z]+:\/\/[^/]+/, "") || "/"));
  const changed: string[] = [];
  for (const [key, value] of Object.entries(timings)) {
    if (!(ROUTE_TIMINGS as readonly string[]).includes(key) || value === undefined || !DURATION.test(value)) {
      throw new Error(`alertmanagerFor: not a route timing: ${key}=${value}`);
    }
    // the top route's own key: two spaces in, under `route:`
    const own = new RegExp(`^(route:\\n(?:  .*\\n)*?  ${key}: )\\S+$`, "m");
    if (!own.test(body)) throw new Error(`alertmanagerFor: the top route has no ${key}`);
    body = body.replace(own, `$1${value}`);
    changed.push(`${key} ${value}`);
  }
  const header =
    "# Written by npm run generate (scripts/monitoring.ts) from deploy/monitoring/alertmanager/\n" +
    `# alertmanager.yml: the same routes and inhibitions, the receivers posting to ${sink}` +
    (changed.length > 0 ? `;\n# top route timings shortened for a test cluster: ${changed.join(", ")}` : "") +
    ".\n";
  return header + body;
}
