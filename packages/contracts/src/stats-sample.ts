// One sample of the stats service: the body of `GET /stats` and the data of each `/stats/stream`
// event. Declared once: the stats service validates and serialises what it publishes with it,
// its OpenAPI document is generated from it, and the dashboard parses what it receives with it.
// services/stats/README.md explains the semantics of every field. zod/mini (functional checks,
// tree-shakable): the dashboard bundles it, so it must stay small there.
import * as z from "zod/mini";

const described = <T extends z.ZodMiniType>(schema: T, text: string): T => schema.check(z.describe(text)) as T;
const percent = z.number().check(z.minimum(0), z.maximum(100));
const bytes = z.int().check(z.minimum(0));
const nullableNumber = z.nullable(z.number());

export const memorySchema = z.object({
  source: described(z.enum(["proc", "cgroup-v2", "cgroup-v1"]), "where totalBytes/availableBytes came from"),
  totalBytes: bytes,
  availableBytes: bytes,
  usedBytes: described(bytes, "totalBytes - availableBytes"),
  hostTotalBytes: described(bytes, "/proc/meminfo MemTotal"),
  hostAvailableBytes: described(bytes, "/proc/meminfo MemAvailable"),
});

export const cgroupSchema = z.object({
  version: z.union([z.literal(1), z.literal(2)]),
  path: described(z.string(), "the process's cgroup path from /proc/self/cgroup"),
  memory: z.object({
    maxBytes: described(nullableNumber, "null: unlimited"),
    currentBytes: nullableNumber,
    workingSetBytes: described(nullableNumber, "currentBytes - inactive_file"),
  }),
  cpu: z.object({
    quotaMicros: described(nullableNumber, "null: unlimited"),
    periodMicros: nullableNumber,
    limitCores: described(nullableNumber, "quotaMicros / periodMicros; null: unlimited"),
    usageSeconds: nullableNumber,
    usagePercent: described(nullableNumber, "cgroup CPU time over the last interval, of its limit (or of every CPU)"),
  }),
});

export const statsSampleSchema = z.object({
  ram: described(percent, "psutil virtual_memory().percent of the memory the process can use"),
  cpu: described(percent, "psutil cpu_percent(): host CPU busy over the last sampling interval"),
  cpuCount: z.int().check(z.minimum(1)),
  loadAverage: described(z.tuple([z.number(), z.number(), z.number()]), "1, 5, 15 minutes"),
  uptimeSeconds: z.number(),
  memory: memorySchema,
  cgroup: described(z.nullable(cgroupSchema), "null when the process's cgroup cannot be read"),
  sampledAt: described(z.iso.datetime(), "when this sample was taken"),
  intervalMs: described(z.int(), "STATS_SAMPLE_INTERVAL_MS: what `cpu` covers"),
  seq: described(z.int().check(z.minimum(1)), "sample number, 1-based; also the SSE event id"),
});

export type StatsSample = z.infer<typeof statsSampleSchema>;
export type MemorySource = StatsSample["memory"]["source"];
