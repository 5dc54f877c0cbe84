import { Gauge, type Registry } from "prom-client";
import type { Health } from "./health.ts";

/**
 * `readiness_check_passing{check}`: 1 while a readiness check passes, 0 while it fails, one series
 * per registered check, run when Prometheus scrapes (probes running at the same moment share the
 * run). Alerts name the failing dependency from it instead of inferring it from 503s. None while
 * shutting down: readiness is then off on purpose.
 */
export function installReadinessMetrics(registry: Registry, health: Health): void {
  new Gauge({
    name: "readiness_check_passing",
    help: "Whether each readiness check passes (1) or fails (0), run at scrape time.",
    labelNames: ["check"] as const,
    registers: [registry],
    async collect() {
      const { checks } = await health.readiness();
      this.reset();
      for (const [check, result] of Object.entries(checks)) this.set({ check }, result === "ok" ? 1 : 0);
    },
  });
}
