import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { commonEnv, loadConfig } from "../config.ts";
import { createService, type Service } from "../kit.ts";
import type { FaultRule } from "./file.ts";

type Line = Record<string, unknown>;

let app: Service | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await app?.close();
  app = undefined;
});

function faultsFile(rules: unknown, dir = mkdtempSync(join(tmpdir(), "kit-faults-"))): string {
  const file = join(dir, "faults.json");
  replace(file, typeof rules === "string" ? rules : JSON.stringify({ rules }));
  return file;
}

/** Writes the file whole at once (rename), as kubelet and editors do: a read never sees half of it. */
function replace(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

/** A service named "test" with FAULTS_FILE (when given), two routes, and its log lines parsed. */
async function service(file: string | undefined): Promise<{ app: Service; logs: Line[]; handled: string[] }> {
  const logs: Line[] = [];
  const handled: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const env: Record<string, string> = { LOG_LEVEL: "info", ...(file ? { FAULTS_FILE: file } : {}) };
  app = await createService({
    name: "test",
    version: "1.0.0",
    config: loadConfig(z.object(commonEnv({ port: 0 })), env),
    logDestination: destination as never,
  });
  app.get("/items/:id", { schema: { params: z.object({ id: z.string() }) } }, async (request) => {
    handled.push(`GET ${request.url}`);
    return { id: request.params.id };
  });
  app.post("/items", async () => {
    handled.push("POST /items");
    return { created: true };
  });
  await app.ready();
  return { app, logs, handled };
}

const get = (s: Service, id = "1") => s.inject({ method: "GET", url: `/items/${id}` });
const accessLines = (logs: Line[]) => logs.filter((l) => l.msg === "request" && l.route !== "/metrics");
const injected = async (s: Service) =>
  [...(await s.inject({ method: "GET", url: "/metrics" })).body.matchAll(/^faults_injected_total\{(.*)\} (\d+)$/gm)].map(
    ([, labels, n]) => `${labels} ${n}`,
  );

describe("the fault switch on HTTP", () => {
  it("answers a rule's status on its route only, counts it and marks the log line", async () => {
    const s = await service(faultsFile([{ route: "/items/:id", method: "GET", status: 503, share: 1 }]));
    const faulted = await get(s.app);
    expect(faulted.statusCode).toBe(503);
    expect(faulted.json()).toEqual({ error: "injected fault: 503 (drill)" });
    expect(faulted.headers["x-request-id"]).toBeDefined(); // the kit's headers come first
    // another method of the route, and another route: untouched
    expect((await s.app.inject({ method: "POST", url: "/items" })).statusCode).toBe(200);
    expect(s.handled).toEqual(["POST /items"]);

    expect(await injected(s.app)).toEqual(['route="/items/:id",kind="error",service="test" 1']);
    const [faultedLine, plainLine] = accessLines(s.logs);
    expect(faultedLine).toMatchObject({ route: "/items/:id", status: 503, fault: "error" });
    expect(plainLine).toMatchObject({ route: "/items", status: 200 });
    expect(plainLine).not.toHaveProperty("fault");
  });

  it("share 0 never injects, share 1 always does", async () => {
    const s = await service(
      faultsFile([
        { route: "/items/:id", status: 500, share: 0 },
        { route: "/items", status: 500, share: 1 },
      ]),
    );
    for (let i = 0; i < 20; i++) {
      expect((await get(s.app, String(i))).statusCode).toBe(200);
      expect((await s.app.inject({ method: "POST", url: "/items" })).statusCode).toBe(500);
    }
    expect(await injected(s.app)).toEqual(['route="/items",kind="error",service="test" 20']);
  });

  it("draws the share per request", async () => {
    const s = await service(faultsFile([{ route: "/items/:id", status: 502, share: 0.4 }]));
    const draws = [0.1, 0.5, 0.39, 0.4, 0.99];
    vi.spyOn(Math, "random").mockImplementation(() => draws.shift() ?? 1);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await get(s.app)).statusCode);
    expect(statuses).toEqual([502, 200, 502, 200, 200]);
  });

  it("adds latency before the handler, and before a status", async () => {
    const s = await service(
      faultsFile([
        { route: "/items/:id", latencyMs: 60, share: 1 },
        { route: "/items", status: 504, latencyMs: 60, share: 1 },
      ]),
    );
    let started = performance.now();
    const slow = await get(s.app);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect(slow.statusCode).toBe(200);
    expect(s.handled).toEqual(["GET /items/1"]);

    started = performance.now();
    const both = await s.app.inject({ method: "POST", url: "/items" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect(both.statusCode).toBe(504);
    expect(s.handled).toEqual(["GET /items/1"]); // the POST handler never ran

    expect(accessLines(s.logs).map((l) => [l.status, l.fault])).toEqual([
      [200, "latency"],
      [504, "error+latency"],
    ]);
    expect(accessLines(s.logs).every((l) => (l.durationMs as number) >= 55)).toBe(true);
    expect(await injected(s.app)).toEqual([
      'route="/items/:id",kind="latency",service="test" 1',
      'route="/items",kind="error+latency",service="test" 1',
    ]);
  });

  it("applies only the rules for this service (or for every service)", async () => {
    const s = await service(
      faultsFile([
        { service: "other", route: "/items/:id", status: 500, share: 1 },
        { service: "test", route: "/items", status: 429, share: 1 },
      ]),
    );
    expect(s.app.faults.rules).toEqual([{ service: "test", route: "/items", status: 429, share: 1 }]);
    expect((await get(s.app)).statusCode).toBe(200);
    expect((await s.app.inject({ method: "POST", url: "/items" })).statusCode).toBe(429);
  });

  it("warns when a rule for this service names a route it does not serve (a path, not the pattern)", async () => {
    const s = await service(faultsFile([{ service: "test", route: "/items/7", status: 500, share: 1 }]));
    expect(s.logs).toContainEqual(
      expect.objectContaining({ level: "warn", msg: expect.stringMatching(/route \/items\/7 is not a route pattern of test/) }),
    );
  });

  it("is off without FAULTS_FILE: no hook, no metric, no field", async () => {
    const s = await service(undefined);
    expect(s.app.faults.on).toBe(false);
    expect((await get(s.app)).statusCode).toBe(200);
    expect((await s.app.inject({ method: "GET", url: "/metrics" })).body).not.toMatch(/^faults_/m);
    expect(accessLines(s.logs)[0]).not.toHaveProperty("fault");
  });
});

describe("the fault file, hot-reloaded", () => {
  const rule = (status: number): FaultRule[] => [{ route: "/items/:id", status, share: 1 }];

  it("applies a change without a restart, refuses a malformed file keeping the rules in force, and turns off when removed", async () => {
    const file = faultsFile(rule(503));
    const s = await service(file);
    expect((await get(s.app)).statusCode).toBe(503);
    expect(s.logs).toContainEqual(expect.objectContaining({ msg: "faults file loaded: 1 rule(s) in force" }));

    replace(file, JSON.stringify({ rules: rule(500) }));
    await vi.waitFor(async () => expect((await get(s.app)).statusCode).toBe(500), { timeout: 5_000, interval: 50 });
    expect(await s.app.inject({ method: "GET", url: "/metrics" }).then((r) => r.body)).toMatch(
      /^faults_rules_active\{service="test"\} 1$/m,
    );

    replace(file, JSON.stringify({ rules: [{ route: "/items/:id", status: 200, share: 2, latency: 5 }] }));
    const refused = await vi.waitFor(
      () => {
        const line = s.logs.find((l) => String(l.msg).startsWith("faults file refused"));
        expect(line).toBeDefined();
        return line as Line;
      },
      { timeout: 5_000, interval: 50 },
    );
    expect(refused.level).toBe("error");
    expect(refused.problems).toEqual([
      expect.stringMatching(/^rules\[0\]\.status: /),
      expect.stringMatching(/^rules\[0\]\.share: /),
      "rules[0].latency: unknown field",
    ]);
    expect(refused.msg).toMatch(/rules\[0\]\.status: .*; keeping the 1 rule in force$/);
    expect((await get(s.app)).statusCode).toBe(500); // the last good setting stays

    rmSync(file);
    await vi.waitFor(async () => expect((await get(s.app)).statusCode).toBe(200), { timeout: 5_000, interval: 50 });
    expect(s.app.faults.rules).toEqual([]);
    expect(s.logs).toContainEqual(expect.objectContaining({ msg: "faults file removed: every fault off" }));
  });

  it("starts with no fault when the file is missing or malformed, and takes it once it is good", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kit-faults-"));
    const file = join(dir, "faults.json");
    const s = await service(file);
    expect((await get(s.app)).statusCode).toBe(200);
    replace(file, "{ not json");
    await vi.waitFor(() => expect(s.logs).toContainEqual(expect.objectContaining({ problems: [expect.stringMatching(/^not JSON/)] })), {
      timeout: 5_000,
      interval: 50,
    });
    expect((await get(s.app)).statusCode).toBe(200);
    replace(file, JSON.stringify({ rules: rule(503) }));
    await vi.waitFor(async () => expect((await get(s.app)).statusCode).toBe(503), { timeout: 5_000, interval: 50 });
  });

  it("follows a ConfigMap volume's symlink swap", async () => {
    // Kubernetes: faults.json -> ..data/faults.json, ..data -> ..<timestamp>; an update swaps ..data.
    const dir = mkdtempSync(join(tmpdir(), "kit-faults-cm-"));
    for (const [version, status] of [
      ["..v1", 503],
      ["..v2", 418],
    ] as const) {
      mkdirSync(join(dir, version));
      faultsFile(rule(status), join(dir, version));
    }
    symlinkSync("..v1", join(dir, "..data"));
    symlinkSync("..data/faults.json", join(dir, "faults.json"));
    const s = await service(join(dir, "faults.json"));
    expect((await get(s.app)).statusCode).toBe(503);
    symlinkSync("..v2", join(dir, "..data_tmp"));
    renameSync(join(dir, "..data_tmp"), join(dir, "..data"));
    await vi.waitFor(async () => expect((await get(s.app)).statusCode).toBe(418), { timeout: 5_000, interval: 50 });
  });
});
