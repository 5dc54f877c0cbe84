// Browser end-to-end tier: the real stats and hello services behind the real nginx config,
// the built dashboard in Debian's Chromium (playwright-core). Run by ci/tier-e2e.sh, which
// installs the tools, builds the dashboard and renders the nginx config; this script owns the
// processes so it can kill and restart stats in the middle.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type StartedService, startService, waitFor } from "@flotilla/test-support";
import { type Browser, chromium, type Page } from "playwright-core";

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run ci/tier-e2e.sh)`);
  return v;
};

const ROOT = env("E2E_REPO_ROOT");
const WORK = env("E2E_WORK_DIR");
const STATS_PORT = env("E2E_STATS_PORT");
const HELLO_PORT = env("E2E_HELLO_PORT");
const WEB = env("E2E_WEB_ORIGIN");
const NGINX_PREFIX = env("E2E_NGINX_PREFIX");
const SCREENSHOT = env("E2E_SCREENSHOT");
const RESULT = env("E2E_RESULT");
const CHROMIUM = process.env.E2E_CHROMIUM ?? "/usr/bin/chromium";

const EXPECTED_CSP =
  "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
const MESSAGES = ["Hello from Flotilla!", "Ahoy, platform engineers"];

// ---------------------------------------------------------------- checks bookkeeping
let passed = 0;
let failed = 0;

async function check(name: string, fn: () => Promise<void> | void): Promise<boolean> {
  const started = Date.now();
  try {
    await fn();
    passed += 1;
    console.log(`  ok    ${name} (${Date.now() - started} ms)`);
    return true;
  } catch (err) {
    failed += 1;
    console.log(`  FAIL  ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return false;
  }
}

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  return waitFor(fn, { what, timeoutMs, intervalMs: 200 });
}

// ---------------------------------------------------------------- processes
const npm = process.env.npm_execpath ? process.execPath : "npm";
const npmArgs = (ws: string): string[] => (process.env.npm_execpath ? [process.env.npm_execpath, "start", "-w", ws] : ["start", "-w", ws]);

/** stats from source (npm start, its own process group), until /readyz answers 200 (its first sample). */
function startStats(): Promise<StartedService> {
  return startService({
    command: npm,
    args: npmArgs("services/stats"),
    cwd: ROOT,
    logFile: join(WORK, "stats.log"),
    env: { PORT: STATS_PORT, HOST: "127.0.0.1", STATS_SAMPLE_INTERVAL_MS: "500", LOG_LEVEL: "warn" },
    readyUrl: `http://127.0.0.1:${STATS_PORT}/readyz`,
    timeoutMs: 90_000,
  });
}

function startHello(): Promise<StartedService> {
  return startService({
    command: npm,
    args: npmArgs("services/hello"),
    cwd: ROOT,
    logFile: join(WORK, "hello.log"),
    env: { PORT: HELLO_PORT, HOST: "127.0.0.1", MESSAGES: MESSAGES.join("|"), LOG_LEVEL: "warn" },
    readyUrl: `http://127.0.0.1:${HELLO_PORT}/readyz`,
    timeoutMs: 90_000,
  });
}

function startNginx(): Promise<StartedService> {
  const nginxArgs = ["-p", NGINX_PREFIX, "-c", join(NGINX_PREFIX, "nginx.conf"), "-e", "stderr", "-g", "daemon off;"];
  // As root (CI), drop to nobody like the container's uid 101: proves no root-only path is needed.
  const asRoot = process.getuid?.() === 0;
  const [command, args] = asRoot
    ? ["setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", "nginx", ...nginxArgs]]
    : ["nginx", nginxArgs];
  return startService({ command, args: args as string[], logFile: join(WORK, "nginx.log"), readyUrl: `${WEB}/healthz`, timeoutMs: 20_000 });
}

// ---------------------------------------------------------------- page helpers
interface Reading {
  state: string;
  cpu: string;
  ram: string;
  sampledAt: string;
  cpuPoints: number;
}

async function read(page: Page): Promise<Reading> {
  return page.evaluate(() => {
    const text = (id: string) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? "";
    const poly = document.querySelector('[aria-labelledby="cpu-label"] polyline');
    return {
      state: text("connection-state"),
      cpu: text("cpu-value"),
      ram: text("ram-value"),
      sampledAt: document.querySelector('[data-testid="sampled-at"]')?.getAttribute("data-sampled-at") ?? "",
      cpuPoints: (poly?.getAttribute("points") ?? "").split(" ").filter(Boolean).length,
    };
  });
}

const pct = (n: number): string => `${n.toFixed(1)} %`;

async function getJson(path: string): Promise<{ status: number; headers: Headers; body: unknown }> {
  const res = await fetch(`${WEB}${path}`, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(5_000) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // left as text for the assertion message
  }
  return { status: res.status, headers: res.headers, body };
}

// ---------------------------------------------------------------- the run
const procs: StartedService[] = [];
let stats: StartedService | null = null;
let browser: Browser | null = null;

async function cleanup(): Promise<void> {
  await browser?.close().catch(() => {});
  for (const p of [stats, ...procs]) if (p) await p.stop();
}

for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    void cleanup().finally(() => process.exit(130));
  });
}

async function main(): Promise<void> {
  const [started, hello] = await Promise.all([startStats(), startHello()]);
  stats = started;
  procs.push(hello);
  procs.push(await startNginx());

  // --- HTTP contract of the front, checked on the wire
  let assetPath = "";
  await check("nginx serves index.html with security headers, no-cache and no version", async () => {
    const res = await fetch(`${WEB}/`);
    const html = await res.text();
    assert(res.status === 200, `status ${res.status}`);
    assert(res.headers.get("content-security-policy") === EXPECTED_CSP, `CSP ${res.headers.get("content-security-policy")}`);
    assert(res.headers.get("x-content-type-options") === "nosniff", "X-Content-Type-Options");
    assert(res.headers.get("x-frame-options") === "DENY", "X-Frame-Options");
    assert(res.headers.get("referrer-policy") === "no-referrer", "Referrer-Policy");
    assert(res.headers.get("cache-control") === "no-cache", `Cache-Control ${res.headers.get("cache-control")}`);
    assert(res.headers.get("server") === "nginx", `Server header reveals "${res.headers.get("server")}"`);
    assert(!/<script(?![^>]*\bsrc=)[^>]*>/i.test(html), "index.html has an inline script");
    assert(!/<style|style="/i.test(html), "index.html has inline styles");
    assetPath = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1] ?? "";
    assert(assetPath !== "", "no hashed script in index.html");
  });

  await check("hashed assets: gzip and a one-year immutable cache; a missing one is 404", async () => {
    const res = await fetch(`${WEB}${assetPath}`, { headers: { "accept-encoding": "gzip" } });
    await res.arrayBuffer();
    assert(res.status === 200, `status ${res.status}`);
    assert(res.headers.get("content-encoding") === "gzip", `Content-Encoding ${res.headers.get("content-encoding")}`);
    assert(res.headers.get("cache-control") === "public, max-age=31536000, immutable", `Cache-Control ${res.headers.get("cache-control")}`);
    assert(res.headers.get("content-security-policy") === EXPECTED_CSP, "CSP missing on assets");
    const missing = await fetch(`${WEB}/assets/nope-123.js`);
    await missing.arrayBuffer();
    assert(missing.status === 404, `missing asset answered ${missing.status}`);
  });

  await check("/config.json is rendered from the environment", async () => {
    const { status, body, headers } = await getJson("/config.json");
    assert(status === 200, `status ${status}`);
    assert(headers.get("cache-control") === "no-cache", "config.json must not be cached");
    const expected = { statsUrl: "/stats", streamUrl: "/stats/stream", helloUrl: "/hello/" };
    assert(JSON.stringify(body) === JSON.stringify(expected), `got ${JSON.stringify(body)}`);
  });

  await check("/stats and /hello/ are proxied", async () => {
    const s = await getJson("/stats");
    assert(s.status === 200 && typeof (s.body as { cpu?: unknown }).cpu === "number", `stats: ${s.status}`);
    const h = await getJson("/hello/");
    assert(h.status === 200, `hello: ${h.status}`);
    assert(JSON.stringify((h.body as { messages?: unknown }).messages) === JSON.stringify(MESSAGES), "messages");
  });

  await check("/stats/stream passes events through unbuffered", async () => {
    const abort = new AbortController();
    const res = await fetch(`${WEB}/stats/stream`, { signal: abort.signal });
    try {
      assert(res.headers.get("content-type")?.startsWith("text/event-stream"), "content-type");
      assert(res.headers.get("content-encoding") === null, "stream must not be compressed");
      const reader = res.body?.getReader();
      assert(reader, "no body");
      const decoder = new TextDecoder();
      let seen = "";
      let events = 0;
      const deadline = Date.now() + 3_000;
      // Two events 500 ms apart arriving within 3 s: a buffering proxy would hold them back.
      while (events < 2 && Date.now() < deadline) {
        const chunk = await Promise.race([
          reader.read(),
          new Promise<never>((_, rej) => setTimeout(() => rej(new Error("no event within 3 s")), 3_000)),
        ]);
        if (chunk.done) break;
        seen += decoder.decode(chunk.value, { stream: true });
        events = (seen.match(/^event: stats$/gm) ?? []).length;
      }
      assert(events >= 2, `saw ${events} events in 3 s`);
    } finally {
      abort.abort();
    }
  });

  // --- the dashboard in Chromium
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 680 }, deviceScaleFactor: 1 });
  // Record CSP violations and layout shifts from the first byte (init scripts are exempt from CSP).
  await context.addInitScript(() => {
    const w = window as unknown as { __csp: string[]; __cls: number };
    w.__csp = [];
    w.__cls = 0;
    document.addEventListener("securitypolicyviolation", (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as Array<PerformanceEntry & { value: number; hadRecentInput: boolean }>) {
        if (!entry.hadRecentInput) w.__cls += entry.value;
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => consoleErrors.push(e.message));

  await check("dashboard loads and goes live", async () => {
    await page.goto(`${WEB}/`, { waitUntil: "load" });
    await eventually("Live", async () => ((await read(page)).state === "Live" ? true : undefined), 15_000);
    const r = await read(page);
    assert(/^\d+\.\d %$/.test(r.cpu), `CPU shows "${r.cpu}"`);
    assert(/^\d+\.\d %$/.test(r.ram), `RAM shows "${r.ram}"`);
    assert((await page.title()).includes("Flotilla"), "title");
  });

  await check("CPU and RAM values change over time and the chart grows", async () => {
    const first = await read(page);
    const figures = new Set<string>([`${first.cpu}|${first.ram}`]);
    const stamps = new Set<string>([first.sampledAt]);
    let last = first;
    // A saturated host can show 100.0 % CPU for a while, so either figure changing counts.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && (figures.size < 2 || stamps.size < 4)) {
      await page.waitForTimeout(400);
      last = await read(page);
      figures.add(`${last.cpu}|${last.ram}`);
      stamps.add(last.sampledAt);
    }
    assert(stamps.size >= 4, `only ${stamps.size} distinct samples shown`);
    assert(figures.size >= 2, `CPU|RAM stayed at ${[...figures].join(", ")}`);
    assert(last.cpuPoints > first.cpuPoints, `sparkline points ${first.cpuPoints} -> ${last.cpuPoints}`);
  });

  await check("the values shown agree with GET /stats", async () => {
    // Read the page, then the API; when both are the same sample the figures must match exactly.
    for (let i = 0; i < 40; i += 1) {
      const shown = await read(page);
      const api = (await getJson("/stats")).body as { cpu: number; ram: number; sampledAt: string };
      if (api.sampledAt === shown.sampledAt) {
        assert(shown.cpu === pct(api.cpu), `CPU: page ${shown.cpu}, API ${pct(api.cpu)}`);
        assert(shown.ram === pct(api.ram), `RAM: page ${shown.ram}, API ${pct(api.ram)}`);
        return;
      }
      await page.waitForTimeout(100);
    }
    throw new Error("never caught the page and /stats on the same sample");
  });

  await check("hello's messages are shown", async () => {
    const region = page.getByRole("region", { name: "Messages from hello" });
    await region.getByText(MESSAGES[1] as string).waitFor({ timeout: 10_000 });
    for (const m of MESSAGES) assert((await region.getByText(m).count()) === 1, `message "${m}"`);
  });

  await check("no layout shift while values update", async () => {
    await page.evaluate(() => {
      (window as unknown as { __cls: number }).__cls = 0;
    });
    await page.waitForTimeout(4_000);
    const cls = await page.evaluate(() => (window as unknown as { __cls: number }).__cls);
    console.log(`       cumulative layout shift over 4 s of updates: ${cls}`);
    assert(cls < 0.001, `CLS ${cls}`);
  });

  await check("the page satisfies its CSP and logs no errors", async () => {
    const violations = await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
    assert(violations.length === 0, `CSP violations: ${violations.join("; ")}`);
    assert(consoleErrors.length === 0, `console errors: ${consoleErrors.join("; ")}`);
  });

  await check("accessible structure: landmarks, headings, live status, labelled charts", async () => {
    assert((await page.getByRole("heading", { level: 1, name: "Flotilla" }).count()) === 1, "h1");
    assert((await page.getByRole("main").count()) === 1, "main landmark");
    assert((await page.getByRole("status").count()) === 1, "status region");
    for (const name of ["CPU", "RAM", "Host", "Container limits", "Messages from hello"]) {
      assert((await page.getByRole("region", { name }).count()) === 1, `region "${name}"`);
    }
    assert((await page.getByRole("img", { name: /^CPU over the last \d+ samples/ }).count()) === 1, "CPU chart label");
  });

  // Let the charts fill a little before the picture for the README.
  await page.waitForTimeout(12_000);
  await check(`screenshot saved to ${SCREENSHOT.replace(`${ROOT}/`, "")}`, async () => {
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    assert(readFileSync(SCREENSHOT).subarray(1, 4).toString() === "PNG", "not a PNG");
  });

  await check("responsive: no horizontal scrolling on a 360 px phone", async () => {
    const phone = await browser?.newContext({ viewport: { width: 360, height: 740 } });
    assert(phone, "no browser");
    const p = await phone.newPage();
    await p.goto(`${WEB}/`);
    await eventually("Live", async () => ((await read(p)).state === "Live" ? true : undefined), 15_000);
    const width = await p.evaluate(() => document.documentElement.scrollWidth);
    await phone.close();
    assert(width <= 360, `page is ${width} px wide`);
  });

  // --- stats crashes and comes back
  const crashedAt = Date.now();
  await stats.stop("SIGKILL");
  await check("stats killed: the page says reconnecting and the proxy answers JSON 502", async () => {
    await eventually(
      "Reconnecting/Offline",
      async () => (/^(Reconnecting…|Offline)$/.test((await read(page)).state) ? true : undefined),
      15_000,
    );
    console.log(`       state changed ${Date.now() - crashedAt} ms after the kill`);
    const res = await getJson("/stats");
    assert(res.status === 502, `status ${res.status}`);
    assert(typeof (res.body as { error?: unknown }).error === "string", `body ${JSON.stringify(res.body)}`);
  });

  await check("while disconnected, Tab reaches the Reconnect now button", async () => {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => document.activeElement?.textContent ?? "");
    assert(focused === "Reconnect now", `focus on "${focused}"`);
  });

  const restartedAt = Date.now();
  const restarting = startStats();
  await check("stats restarted: the page is live again on its own, with new samples", async () => {
    const before = (await read(page)).sampledAt;
    stats = await restarting;
    await eventually("Live", async () => ((await read(page)).state === "Live" ? true : undefined), 60_000);
    await eventually("a new sample", async () => ((await read(page)).sampledAt !== before ? true : undefined), 10_000);
    console.log(`       live again ${Date.now() - restartedAt} ms after the restart began`);
  });

  await check(
    "a caller's plain x-request-id goes through nginx to stats and into nginx's log; an unsafe one is replaced (control)",
    async () => {
      const ask = async (id: string) => {
        const res = await fetch(`${WEB}/stats`, { headers: { "x-request-id": id }, signal: AbortSignal.timeout(5_000) });
        await res.arrayBuffer();
        return res.headers.get("x-request-id") ?? "";
      };
      const kept = await ask("e2e-kept.1:abc");
      assert(kept === "e2e-kept.1:abc", `stats answered with x-request-id ${kept}`);
      const replaced = await ask("e2e bad<id>");
      assert(/^[0-9a-f]{32}$/.test(replaced), `an unsafe id came back as ${replaced}, not nginx's own`);
      const ids = readFileSync(join(WORK, "nginx.log"), "utf8")
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => (JSON.parse(l) as { request_id?: string }).request_id);
      assert(ids.includes("e2e-kept.1:abc"), "no access log line with the caller's request id");
      assert(ids.includes(replaced), "no access log line with nginx's id for the unsafe request");
    },
  );

  await check("nginx writes one JSON object per request", () => {
    const lines = readFileSync(join(WORK, "nginx.log"), "utf8")
      .split("\n")
      .filter((l) => l.startsWith("{"));
    assert(lines.length > 5, `only ${lines.length} access log lines`);
    for (const line of lines) {
      const entry = JSON.parse(line) as { status?: unknown; uri?: unknown };
      assert(typeof entry.status === "number" && typeof entry.uri === "string", `bad entry ${line}`);
    }
  });
}

try {
  await main();
} catch (err) {
  failed += 1;
  console.log(`  FAIL  setup: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
} finally {
  await cleanup();
  writeFileSync(RESULT, JSON.stringify({ passed, failed }));
}
process.exit(failed === 0 ? 0 : 1);
