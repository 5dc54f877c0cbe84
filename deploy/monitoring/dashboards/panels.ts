// The building blocks every Flotilla dashboard uses: Prometheus queries on the dashboard's
// `datasource` variable, time series and stat panels with the fleet's conventions.

import type { Builder } from "@grafana/grafana-foundation-sdk/cog";
import { LegendDisplayMode, LegendPlacement, VizLegendOptionsBuilder } from "@grafana/grafana-foundation-sdk/common";
import {
  type Dashboard,
  DashboardBuilder,
  DatasourceVariableBuilder,
  type Panel as GrafanaPanel,
  RowBuilder,
} from "@grafana/grafana-foundation-sdk/dashboard";
import { DataqueryBuilder } from "@grafana/grafana-foundation-sdk/prometheus";
import { PanelBuilder as StatPanel } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as TimeseriesPanel } from "@grafana/grafana-foundation-sdk/timeseries";

/** Every query names the dashboard's datasource variable, so one dashboard serves any Prometheus. */
export const datasource = { type: "prometheus", uid: "${datasource}" };

export interface Query {
  expr: string;
  legend?: string;
}

export type Panel = Builder<GrafanaPanel>;

function target(q: Query, refId: string) {
  return new DataqueryBuilder()
    .datasource(datasource)
    .expr(q.expr)
    .legendFormat(q.legend ?? "__auto")
    .refId(refId);
}

/** A time series panel; `span` is its width in Grafana's 24-column grid. */
export function timeseries(title: string, description: string, unit: string, queries: Query[], span = 12): Panel {
  const panel = new TimeseriesPanel()
    .title(title)
    .description(description)
    .datasource(datasource)
    .unit(unit)
    .min(0)
    .span(span)
    .height(8)
    .legend(new VizLegendOptionsBuilder().showLegend(true).displayMode(LegendDisplayMode.List).placement(LegendPlacement.Bottom));
  queries.forEach((q, i) => {
    panel.withTarget(target(q, String.fromCharCode(65 + i)));
  });
  return panel;
}

/** A single-number panel (the last value), e.g. how many targets are up. */
export function stat(title: string, description: string, unit: string, q: Query, span = 6): Panel {
  return new StatPanel()
    .title(title)
    .description(description)
    .datasource(datasource)
    .unit(unit)
    .span(span)
    .height(4)
    .withTarget(target(q, "A"));
}

export interface Section {
  title: string;
  panels: Panel[];
}

/** A dashboard of rows, with the `datasource` variable and the fleet's tags. */
export function buildDashboard(uid: string, title: string, description: string, sections: Section[]): Dashboard {
  const builder = new DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags(["flotilla", "generated"])
    .refresh("30s")
    .time({ from: "now-1h", to: "now" })
    .timezone("utc")
    .readonly()
    .withVariable(new DatasourceVariableBuilder("datasource").label("Prometheus").type("prometheus"));
  for (const section of sections) {
    builder.withRow(new RowBuilder(section.title));
    for (const panel of section.panels) builder.withPanel(panel);
  }
  const built = builder.build();
  // Unique panel ids (rows included): Grafana keys links and panel state on them.
  built.panels?.forEach((p, i) => {
    p.id = i + 1;
  });
  return built;
}
