import { commonEnv, intVar, listVar, z } from "@flotilla/service-kit";

export const DEFAULT_MESSAGES = ["Hello from Flotilla!"];

export const configSchema = z.object({
  ...commonEnv({ port: 8090 }),
  MESSAGES: listVar("|", DEFAULT_MESSAGES).describe(
    "Messages shown on `/`, separated by `|` (e.g. `Hello|Bonjour`). Ignored while `MESSAGES_FILE` holds good messages.",
  ),
  MESSAGES_FILE: z
    .string()
    .optional()
    .describe(
      "Path of a file with one message per line (blank lines and `#` comments ignored), e.g. a mounted ConfigMap. Watched: edits show without a restart; a broken file keeps the last good messages.",
    ),
  MESSAGES_RELOAD_MS: intVar(100, 3_600_000, 2_000).describe(
    "How often `MESSAGES_FILE` is re-read in addition to file-system events (ConfigMap updates swap a symlink, which some watchers miss).",
  ),
  TMPDIR: z.string().min(1).default("/tmp").describe("Directory for temporary data (`/scratch`); must be writable for readiness."),
  SCRATCH_MAX_BYTES: intVar(1, 100 * 1024 * 1024, 1024 * 1024).describe("Largest body `POST /scratch` accepts."),
  POD_NAME: z.string().optional().describe("Pod name (Kubernetes downward API `metadata.name`); shown on `/`."),
  POD_NAMESPACE: z.string().optional().describe("Namespace (downward API `metadata.namespace`); shown on `/`."),
  NODE_NAME: z.string().optional().describe("Node name (downward API `spec.nodeName`); shown on `/`."),
  CONTAINER_IMAGE: z.string().optional().describe("Image reference the pod runs; shown on `/`."),
});

export type Config = z.infer<typeof configSchema>;
