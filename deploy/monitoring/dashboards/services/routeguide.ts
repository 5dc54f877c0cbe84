// routeguide's own signals: what happens to the features it hands to the persistence backend.
import { type Section, timeseries } from "../panels.ts";

export const routeguideSections: Section[] = [
  {
    title: "Persistence backend",
    panels: [
      timeseries(
        "Feature saves by result",
        "Served features handed to the backend per second: saved, failed after retries, dropped.",
        "ops",
        [
          {
            expr: 'sum by (result, reason) (rate(routeguide_feature_saves_total{service="routeguide"}[$__rate_interval]))',
            legend: "{{result}} {{reason}}",
          },
        ],
        8,
      ),
      timeseries(
        "Save queue depth",
        "Features waiting to be saved; a queue that stays full means drops.",
        "none",
        [{ expr: 'routeguide_save_queue_depth{service="routeguide"}', legend: "{{instance}}" }],
        8,
      ),
      timeseries(
        "Save retries and chat failures",
        "Save attempts retried, and RouteChat calls to the backend that failed, per second.",
        "ops",
        [
          { expr: 'sum(rate(routeguide_feature_save_retries_total{service="routeguide"}[$__rate_interval]))', legend: "save retries" },
          {
            expr: 'sum by (operation) (rate(routeguide_notes_backend_failures_total{service="routeguide"}[$__rate_interval]))',
            legend: "chat {{operation}} failures",
          },
        ],
        8,
      ),
    ],
  },
];
