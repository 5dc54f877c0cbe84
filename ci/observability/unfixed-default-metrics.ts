// prom-client's default metrics as they come, without the service kit's fix
// (packages/service-kit/src/default-metric-names.ts): the bad input of tier observability's
// negative control for `promtool check metrics`.
import { collectDefaultMetrics, register } from "prom-client";

collectDefaultMetrics();
console.log(await register.metrics());
