// The service's configuration, declared once; README's table is generated from these texts.
import { commonEnv, intVar, listVar, z } from "@flotilla/service-kit";

/** An origin is scheme://host[:port] exactly, as browsers send it in `Origin`. */
function originProblem(value: string): string | null {
  if (value === "*") return null;
  try {
    const url = new URL(value);
    if ((url.protocol === "http:" || url.protocol === "https:") && url.origin === value) return null;
  } catch {
    // fall through
  }
  return `"${value}" is not an origin like https://dash.example.com (scheme://host[:port], no path or trailing slash) or *`;
}

const absolutePath = (fallback: string) => z.string().regex(/^\//, "must be an absolute path").default(fallback);

export const configSchema = z.object({
  ...commonEnv({ port: 8080 }),
  STATS_SAMPLE_INTERVAL_MS: intVar(100, 60_000, 1000).describe(
    "How often CPU and memory are sampled; `cpu` is the utilisation over this interval. The first sample exists one interval after start.",
  ),
  STATS_MAX_STREAMS: intVar(1, 100_000, 500).describe("Most concurrent `GET /stats/stream` clients; beyond it new streams get 503."),
  STATS_SSE_HEARTBEAT_MS: intVar(1000, 300_000, 15_000).describe(
    "Interval of the comment line sent on every stream so proxies do not close it as idle.",
  ),
  CORS_ORIGINS: listVar(",", [])
    .superRefine((origins, ctx) => {
      for (const origin of origins) {
        const problem = originProblem(origin);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }
    })
    .describe(
      "Comma-separated origins allowed to read the API from a browser (e.g. `https://dash.example.com`). Empty: no CORS headers, same-origin only. `*`: any origin.",
    ),
  STATS_PROC_ROOT: absolutePath("/proc").describe("Where procfs is mounted (tests point it at a fake tree)."),
  STATS_CGROUP_ROOT: absolutePath("/sys/fs/cgroup").describe(
    "Where the cgroup filesystem is mounted (v2 unified, or the v1 controller directories).",
  ),
});

export type Config = z.infer<typeof configSchema>;
