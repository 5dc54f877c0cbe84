// JSON Schema of the GET /stats body (the same object is each SSE event's data). README.md
// documents the meaning of every field; keep the two in step.
const nullableNumber = { type: ["number", "null"] } as const;
const percentSchema = { type: "number", minimum: 0, maximum: 100 } as const;

export const statsSampleSchema = {
  type: "object",
  required: ["ram", "cpu", "cpuCount", "loadAverage", "uptimeSeconds", "memory", "cgroup", "sampledAt", "intervalMs", "seq"],
  properties: {
    ram: percentSchema,
    cpu: percentSchema,
    cpuCount: { type: "integer" },
    loadAverage: { type: "array", items: { type: "number" }, minItems: 3, maxItems: 3 },
    uptimeSeconds: { type: "number" },
    memory: {
      type: "object",
      required: ["source", "totalBytes", "availableBytes", "usedBytes", "hostTotalBytes", "hostAvailableBytes"],
      properties: {
        source: { type: "string", enum: ["proc", "cgroup-v2", "cgroup-v1"] },
        totalBytes: { type: "integer" },
        availableBytes: { type: "integer" },
        usedBytes: { type: "integer" },
        hostTotalBytes: { type: "integer" },
        hostAvailableBytes: { type: "integer" },
      },
    },
    cgroup: {
      type: ["object", "null"],
      required: ["version", "path", "memory", "cpu"],
      properties: {
        version: { type: "integer", enum: [1, 2] },
        path: { type: "string" },
        memory: {
          type: "object",
          properties: { maxBytes: nullableNumber, currentBytes: nullableNumber, workingSetBytes: nullableNumber },
        },
        cpu: {
          type: "object",
          properties: {
            quotaMicros: nullableNumber,
            periodMicros: nullableNumber,
            limitCores: nullableNumber,
            usageSeconds: nullableNumber,
            usagePercent: nullableNumber,
          },
        },
      },
    },
    sampledAt: { type: "string", format: "date-time" },
    intervalMs: { type: "integer" },
    seq: { type: "integer" },
  },
} as const;

export const errorSchema = {
  type: "object",
  required: ["error"],
  properties: { error: { type: "string" } },
} as const;
