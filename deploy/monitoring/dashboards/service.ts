// One dashboard per service of the fleet: its golden signals, then what only it measures.
import type { Dashboard, Panel } from "@grafana/grafana-foundation-sdk/dashboard";
import { goldenSignals } from "./golden-signals.ts";
import { buildDashboard, type Section } from "./panels.ts";
import { routeguideSections } from "./services/routeguide.ts";
import { statsSections } from "./services/stats.ts";
import { storeSections } from "./services/store.ts";

/** Panels only some services have; a service without an entry gets the golden signals alone. */
const own: Record<string, Section[]> = { stats: statsSections, routeguide: routeguideSections, store: storeSections };

export function serviceDashboard(service: string, protocol: "http" | "grpc", description: string): Dashboard {
  return buildDashboard(`flotilla-${service}`, `Flotilla / ${service}`, description, [
    ...goldenSignals(service, protocol),
    ...(own[service] ?? []),
  ]);
}
