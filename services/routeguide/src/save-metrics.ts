import type { Logger } from "@flotilla/service-kit";
import { Counter, Gauge, type Registry } from "prom-client";
import { formatPoint } from "./geo.ts";
import type { Feature } from "./messages.ts";
import type { SaveQueueEvents } from "./save-queue.ts";

const DROP_LOG_INTERVAL_MS = 5_000;

/** What the server's save path reports: outcomes, retries, queue depth, RouteChat backend errors. */
export function createSaveMetrics(registry: Registry, log: Logger) {
  const saves = new Counter({
    name: "routeguide_feature_saves_total",
    help: "Served features handed to the backend, by result: saved, failed (after retries) or dropped (queue full or shutdown).",
    labelNames: ["result", "reason"] as const,
    registers: [registry],
  });
  const retries = new Counter({
    name: "routeguide_feature_save_retries_total",
    help: "Feature save attempts that failed and were retried.",
    registers: [registry],
  });
  const notesFailures = new Counter({
    name: "routeguide_notes_backend_failures_total",
    help: "RouteChat calls to the backend that failed (the chat stream then ends with UNAVAILABLE), by operation.",
    labelNames: ["operation"] as const,
    registers: [registry],
  });
  for (const result of ["saved", "failed"]) saves.inc({ result, reason: "" }, 0);
  for (const reason of ["queue_full", "shutdown"]) saves.inc({ result: "dropped", reason }, 0);
  for (const operation of ["list", "save"]) notesFailures.inc({ operation }, 0);

  // A flood of drops must not become a flood of log lines: one summary per interval.
  let droppedSinceLog = 0;
  let lastDropLog = 0;

  const events: SaveQueueEvents<Feature> = {
    saved: () => saves.inc({ result: "saved", reason: "" }),
    retry: () => retries.inc(),
    failed: (feature, attempts, error) => {
      saves.inc({ result: "failed", reason: "" });
      const err = error as { code?: number; details?: string; message?: string };
      log.warn(
        {
          feature: feature.name,
          at: feature.location ? formatPoint(feature.location) : undefined,
          attempts,
          grpcCode: err.code,
          reason: err.details ?? err.message,
        },
        "feature not saved to backend",
      );
    },
    dropped: (feature, reason) => {
      saves.inc({ result: "dropped", reason });
      droppedSinceLog++;
      const now = Date.now();
      if (now - lastDropLog >= DROP_LOG_INTERVAL_MS) {
        log.warn({ dropped: droppedSinceLog, reason, lastFeature: feature.name }, "features dropped before saving");
        droppedSinceLog = 0;
        lastDropLog = now;
      }
    },
  };

  return {
    events,
    notesFailed: (operation: "list" | "save") => notesFailures.inc({ operation }),
    watchDepth(depth: () => number) {
      new Gauge({
        name: "routeguide_save_queue_depth",
        help: "Served features waiting to be saved to the backend.",
        registers: [registry],
        collect() {
          this.set(depth());
        },
      });
    },
  };
}
