// One sample of the stats service: the body of `GET /stats` and the data of each `/stats/stream`
// event. Declared once: the stats service validates and serialises what it publishes with it,
// its OpenAPI document is generated from it, and the dashboard parses what it receives with it.
// services/stats/README.md explains the semantics of every field.
import { z } from "zod";

const percent = z.number().min(0).max(100);
const bytes = z.int().min(0);
const nullableNumber = z.number().nullable();

export const memorySchema = z.object({
  source: z.enum(["proc", "cgroup-v2", "cgroup-v1"]).describe("where totalBytes/availableBytes came from"),
  totalBytes: bytes,
  availableBytes: bytes,
  usedBytes: bytes.describe("totalBytes - availableBytes"),
  hostTotalBytes: bytes.describe("/proc/meminfo MemTotal"),
  hostAvailableBytes: bytes.describe("/proc/meminfo MemAvailable"),
});

export const cgroupSchema = z.object({
  version: z.union([z.literal(1), z.literal(2)]),
  path: z.string().describe("the process's cgroup path from /proc/self/cgroup"),
  memory: z.object({
    maxBytes: nullableNumber.describe("null: unlimited"),
    currentBytes: nullableNumber,
    workingSetBytes: nullableNumber.describe("currentBytes - inactive_file"),
  }),
  cpu: z.object({
    quotaMicros: nullableNumber.describe("null: unlimited"),
    periodMicros: nullableNumber,
    limitCores: nullableNumber.describe("quotaMicros / periodMicros; null: unlimited"),
    usageSeconds: nullableNumber,
    usagePercent: nullableNumber.describe("cgroup CPU time over the last interval, of its limit (or of every CPU)"),
  }),
});

export const statsSampleSchema = z.object({
  ram: percent.describe("psutil virtual_memory().percent of the memory the process can use"),
  cpu: percent.describe("psutil cpu_percent(): host CPU busy over the last sampling interval"),
  cpuCount: z.int().min(1),
  loadAverage: z.tuple([z.number(), z.number(), z.number()]).describe("1, 5, 15 minutes"),
  uptimeSeconds: z.number(),
  memory: memorySchema,
  cgroup: cgroupSchema.nullable().describe("null when the process's cgroup cannot be read"),
  sampledAt: z.iso.datetime().describe("when this sample was taken"),
  intervalMs: z.int().describe("STATS_SAMPLE_INTERVAL_MS: what `cpu` covers"),
  seq: z.int().min(1).describe("sample number, 1-based; also the SSE event id"),
});

export type StatsSample = z.infer<typeof statsSampleSchema>;
export type MemorySource = StatsSample["memory"]["source"];
