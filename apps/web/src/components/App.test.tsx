// @vitest-environment jsdom
// The whole page against a real HTTP server speaking the stats and hello contracts.
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeStatsServer } from "../../test/fake-stats-server.ts";
import type { RuntimeConfig } from "../config.ts";
import { App } from "./App.tsx";

let server: FakeStatsServer;
let config: RuntimeConfig;

beforeEach(async () => {
  server = new FakeStatsServer({ intervalMs: 50 });
  await server.start();
  config = {
    statsUrl: `${server.origin}/stats`,
    streamUrl: `${server.origin}/stats/stream`,
    helloUrl: `${server.origin}/hello/`,
  };
});

afterEach(async () => {
  cleanup();
  await server.stop();
});

// jsdom's Event class and Node's EventSource do not mix, so the page polls here; the stream is
// covered by stats-connection.test.ts (Node) and by the browser tier (tier e2e).
const fast = { baseDelayMs: 30, maxDelayMs: 100, pollIntervalMs: 50, createEventSource: null };
const LIVE = "Live (polling)";
const opts = { timeout: 5_000 };

describe("App", () => {
  it("shows live CPU and RAM, their history, the cgroup limits and hello's messages", async () => {
    render(<App config={config} connection={fast} />);
    expect(screen.getByRole("heading", { level: 1, name: "Flotilla" })).toBeTruthy();
    expect(screen.getByTestId("cpu-value").textContent).toBe("—");
    await waitFor(() => expect(screen.getByRole("status").textContent).toBe(LIVE), opts);
    await waitFor(() => expect(screen.getByTestId("cpu-value").textContent).toMatch(/^\d+\.\d %$/), opts);
    expect(screen.getByTestId("ram-value").textContent).toMatch(/^\d+\.\d %$/);
    await waitFor(() => expect(screen.getByRole("img", { name: /^CPU over the last [3-9]\d* samples/ })).toBeTruthy(), opts);

    const cgroup = within(screen.getByRole("region", { name: "Container limits" }));
    expect(cgroup.getByText("512.0 MiB")).toBeTruthy();
    expect(cgroup.getByText("0.5 cores")).toBeTruthy();

    const hello = within(screen.getByRole("region", { name: "Messages from hello" }));
    await waitFor(() => expect(hello.getByText("Hello from the fleet")).toBeTruthy(), opts);
    expect(hello.getByText("hello-0")).toBeTruthy();
  });

  it("says so when stats goes away and recovers by itself", async () => {
    render(<App config={config} connection={fast} />);
    await waitFor(() => expect(screen.getByRole("status").textContent).toBe(LIVE), opts);
    await server.stop();
    await waitFor(() => expect(screen.getByRole("status").textContent).toMatch(/Reconnecting|Offline/), opts);
    expect(screen.getByRole("region", { name: "Messages from hello" })).toBeTruthy();
    await server.start();
    await waitFor(() => expect(screen.getByRole("status").textContent).toBe(LIVE), opts);
  });

  it("tells that hello is unreachable, and hides the panel when hello is not configured", async () => {
    const { unmount } = render(<App config={{ ...config, helloUrl: "http://127.0.0.1:9/hello/" }} connection={fast} />);
    await waitFor(() => expect(screen.getByText("The hello service is not reachable right now.")).toBeTruthy(), opts);
    unmount();
    render(<App config={{ ...config, helloUrl: null }} connection={fast} />);
    expect(screen.queryByRole("region", { name: "Messages from hello" })).toBeNull();
  });
});
