import { describe, expect, it } from "vitest";
import { createHttpMetrics } from "./metrics.ts";

describe("HTTP RED metrics", () => {
  it("exports counts, cumulative buckets, +Inf, sum and count per method, route and status", async () => {
    const metrics = createHttpMetrics("svc");
    for (const seconds of [0.0005, 0.003, 0.003, 0.2, 30]) metrics.observe("GET", "/items/:id", 200, seconds);
    metrics.observe("POST", "/items", 400, 0.002);
    const text = await metrics.registry.metrics();
    const series = 'method="GET",route="/items/:id",status="200"';
    expect(text).toContain("# TYPE http_requests_total counter");
    expect(text).toContain(`http_requests_total{${series},service="svc"} 5`);
    expect(text).toContain('http_requests_total{method="POST",route="/items",status="400",service="svc"} 1');
    expect(text).toContain("# TYPE http_request_duration_seconds histogram");
    expect(text).toContain(`http_request_duration_seconds_bucket{le="0.001",service="svc",${series}} 1`);
    expect(text).toContain(`http_request_duration_seconds_bucket{le="0.005",service="svc",${series}} 3`);
    expect(text).toContain(`http_request_duration_seconds_bucket{le="0.1",service="svc",${series}} 3`);
    expect(text).toContain(`http_request_duration_seconds_bucket{le="0.25",service="svc",${series}} 4`);
    expect(text).toContain(`http_request_duration_seconds_bucket{le="10",service="svc",${series}} 4`);
    expect(text).toContain(`http_request_duration_seconds_bucket{le="+Inf",service="svc",${series}} 5`);
    expect(text).toContain(`http_request_duration_seconds_sum{service="svc",${series}} 30.2065`);
    expect(text).toContain(`http_request_duration_seconds_count{service="svc",${series}} 5`);
  });

  it("starts over on a registry reset", async () => {
    const metrics = createHttpMetrics("svc");
    metrics.observe("GET", "/", 200, 0.01);
    metrics.registry.resetMetrics();
    expect(await metrics.registry.metrics()).not.toContain('route="/"');
  });
});
