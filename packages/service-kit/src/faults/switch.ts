import { Counter, Gauge, type Registry } from "prom-client";
import type { Logger } from "../logger.ts";
import type { ServedRoute } from "../route-table.ts";
import { type FileRead, WatchedFile } from "../watched-file.ts";
import { type FaultRule, GRPC_CODES, parseFaultFile } from "./file.ts";

/** What a fault does: answer an error (an HTTP status or a gRPC code), wait first, or both. */
export type FaultKind = "error" | "latency" | "error+latency";

/** The fault a request gets: already drawn and counted. */
export interface Injection {
  kind: FaultKind;
  /** 0: none. */
  latencyMs: number;
  /** HTTP: the status to answer instead of the handler. */
  status?: number;
  /** gRPC: the status code to end the call with instead of the handler. */
  grpcCode?: number;
}

export interface FaultSwitchOptions {
  service: string;
  /** The fault file (FAULTS_FILE); unset: off, nothing watched, no metrics. */
  file?: string | undefined;
  log: Logger;
  registry: Registry;
  /** The routes the service serves, to warn about a rule for this service that names none of them. */
  servedRoutes?: () => readonly ServedRoute[];
  pollMs?: number;
}

/** How often the file is read besides file-system events (WatchedFile). */
const POLL_MS = 2_000;
const MAX_FILE_BYTES = 64 * 1024;

interface Compiled {
  rule: FaultRule;
  kind: FaultKind;
  injection: Omit<Injection, "kind">;
}

/**
 * The fault switch for drills: rules from a hot-reloaded file (FAULTS_FILE, a ConfigMap on
 * Kubernetes) that make a share of one route's requests fail, wait, or both. The transports ask it
 * per request (`http`, `grpc`): HTTP through the kit's onRequest hook (faults/http.ts), gRPC through
 * the service's interceptor. Every fault it hands out is counted in `faults_injected_total{route,kind}`
 * and the transport marks the request's log line with `fault`. A file that does not parse or
 * validate is refused with one log line naming every bad field, and the rules in force stay; a
 * removed file turns every fault off.
 */
export class FaultSwitch {
  readonly #options: FaultSwitchOptions;
  readonly #watched: WatchedFile | undefined;
  readonly #injected: Counter<"route" | "kind"> | undefined;
  readonly #active: Gauge | undefined;
  #byRoute = new Map<string, Compiled[]>();
  #rules: FaultRule[] = [];

  constructor(options: FaultSwitchOptions) {
    this.#options = options;
    if (!options.file) return;
    this.#watched = new WatchedFile({
      file: options.file,
      pollMs: options.pollMs ?? POLL_MS,
      maxBytes: MAX_FILE_BYTES,
      log: options.log,
      onChange: (read) => this.#apply(read),
    });
    this.#injected = new Counter({
      name: "faults_injected_total",
      help: "Faults the drill switch (FAULTS_FILE) injected, by route (HTTP pattern or gRPC method) and kind (error, latency, error+latency).",
      labelNames: ["route", "kind"] as const,
      registers: [options.registry],
    });
    this.#active = new Gauge({
      name: "faults_rules_active",
      help: "Rules of the fault file (FAULTS_FILE) in force for this service; 0: no fault.",
      registers: [options.registry],
    });
  }

  /** Whether a fault file is configured (FAULTS_FILE): off, the transports add nothing at all. */
  get on(): boolean {
    return this.#watched !== undefined;
  }

  /** The rules in force for this service, in the file's order. */
  get rules(): readonly FaultRule[] {
    return this.#rules;
  }

  /** Reads the file, then watches it (on file-system events, and every 2 s); `stop()` ends that. */
  start(): Promise<void> {
    return this.#watched?.start() ?? Promise.resolve();
  }

  stop(): void {
    this.#watched?.stop();
  }

  /** The fault for an HTTP request to `route` (the pattern, e.g. `/users/:id`), or none. */
  http(method: string, route: string): Injection | undefined {
    return this.#draw(route, method);
  }

  /** The fault for a gRPC call of `path` (`/routeguide.RouteGuide/GetFeature`), or none. */
  grpc(path: string): Injection | undefined {
    return this.#draw(path, undefined);
  }

  #draw(route: string, method: string | undefined): Injection | undefined {
    const candidates = this.#byRoute.get(route);
    if (candidates === undefined) return undefined;
    for (const c of candidates) {
      if (c.rule.method !== undefined && c.rule.method !== method) continue;
      // The first matching rule decides: a request outside its share gets no fault.
      if (!(Math.random() < c.rule.share)) return undefined;
      this.#injected?.inc({ route, kind: c.kind });
      return { kind: c.kind, ...c.injection };
    }
    return undefined;
  }

  #apply(read: FileRead): void {
    const { file, log, service } = this.#options;
    const inForce = `keeping the ${this.#rules.length} rule${this.#rules.length === 1 ? "" : "s"} in force`;
    if (read.error?.code === "ENOENT") {
      log.info({ file }, this.#rules.length > 0 ? "faults file removed: every fault off" : "no faults file: no fault");
      this.#set([]);
      return;
    }
    if (read.error) {
      log.error({ file, err: read.error }, `faults file unreadable; ${inForce}`);
      return;
    }
    const parsed = parseFaultFile(read.text);
    if (parsed.problems) {
      log.error({ file, problems: parsed.problems }, `faults file refused (${parsed.problems.join("; ")}); ${inForce}`);
      return;
    }
    const mine = parsed.rules.filter((rule) => rule.service === undefined || rule.service === service);
    this.#set(mine);
    log.info({ file, rules: mine, ignored: parsed.rules.length - mine.length }, `faults file loaded: ${mine.length} rule(s) in force`);
    this.#warnUnknownRoutes(mine);
  }

  #set(rules: FaultRule[]): void {
    const byRoute = new Map<string, Compiled[]>();
    for (const rule of rules) {
      const key = (rule.route ?? rule.grpcMethod) as string;
      const error = rule.status !== undefined || rule.grpcCode !== undefined;
      const latencyMs = rule.latencyMs ?? 0;
      const kind: FaultKind = error && latencyMs > 0 ? "error+latency" : error ? "error" : "latency";
      const injection: Compiled["injection"] = { latencyMs };
      if (rule.status !== undefined) injection.status = rule.status;
      if (rule.grpcCode !== undefined) injection.grpcCode = GRPC_CODES[rule.grpcCode];
      byRoute.set(key, [...(byRoute.get(key) ?? []), { rule, kind, injection }]);
    }
    this.#byRoute = byRoute;
    this.#rules = rules;
    this.#active?.set(rules.length);
  }

  // A rule that names this service but a route it does not serve would do nothing: say so (a
  // path such as /users/7 where the pattern /users/:id is meant is the likely slip).
  #warnUnknownRoutes(rules: FaultRule[]): void {
    const served = this.#options.servedRoutes?.();
    if (!served) return;
    const patterns = new Set(served.map((r) => r.url));
    for (const rule of rules) {
      if (rule.service !== undefined && rule.route !== undefined && !patterns.has(rule.route)) {
        this.#options.log.warn(
          { file: this.#options.file, route: rule.route, routes: [...patterns] },
          `faults file: route ${rule.route} is not a route pattern of ${this.#options.service}; the rule matches nothing`,
        );
      }
    }
  }
}
