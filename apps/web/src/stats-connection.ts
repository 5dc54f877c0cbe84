// Keeps the dashboard fed with samples: Server-Sent Events first, polling `GET /stats` as a
// fallback when the stream cannot work (no EventSource, or a proxy that breaks streaming while
// the API answers), and reconnects with jittered backoff after any failure. It owns all timers,
// so the React side only renders the status it reports.

import { backoffDelay } from "./backoff.ts";
import { parseStats, type StatsSample } from "./stats.ts";

export type ConnectionState = "connecting" | "live" | "reconnecting" | "offline";
export type Transport = "stream" | "poll";

export interface ConnectionStatus {
  state: ConnectionState;
  transport: Transport | null;
  /** Consecutive failed attempts. */
  failures: number;
  /** When the next attempt is due (epoch ms), while reconnecting/offline. */
  retryAt: number | null;
}

/** The part of EventSource this module uses, so tests can drive it. */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: MessageEvent) => void): void;
  onerror: ((event: Event) => void) | null;
  close(): void;
}

export interface StatsConnectionOptions {
  statsUrl: string;
  streamUrl: string;
  onSample: (sample: StatsSample) => void;
  onStatus: (status: ConnectionStatus) => void;
  /** null: the browser has no EventSource, poll only. */
  createEventSource?: ((url: string) => EventSourceLike) | null;
  fetch?: typeof fetch;
  now?: () => number;
  random?: () => number;
  /** Failures in a row after which "reconnecting" becomes "offline". */
  offlineAfter?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Polling period until a sample says otherwise (`intervalMs`). */
  pollIntervalMs?: number;
  /** How long to poll before trying a stream that failed while the API answered. */
  streamRetryAfterMs?: number;
  requestTimeoutMs?: number;
}

const defaultEventSource = (url: string): EventSourceLike => new EventSource(url);

export class StatsConnection {
  readonly #o: Required<Omit<StatsConnectionOptions, "createEventSource">> & {
    createEventSource: ((url: string) => EventSourceLike) | null;
  };
  #status: ConnectionStatus = { state: "connecting", transport: null, failures: 0, retryAt: null };
  #source: EventSourceLike | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #watchdog: ReturnType<typeof setTimeout> | null = null;
  #abort: AbortController | null = null;
  #intervalMs: number;
  #gotDataOnThisStream = false;
  #streamFailuresWithoutData = 0;
  /** Set when a poll succeeded after stream failures: the service is up, so the stream gets one more try. */
  #apiAnswered = false;
  #streamBrokenUntil = 0;
  #stopped = true;

  constructor(options: StatsConnectionOptions) {
    this.#o = {
      createEventSource:
        options.createEventSource === undefined
          ? typeof EventSource === "undefined"
            ? null
            : defaultEventSource
          : options.createEventSource,
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      now: options.now ?? Date.now,
      random: options.random ?? Math.random,
      offlineAfter: options.offlineAfter ?? 5,
      baseDelayMs: options.baseDelayMs ?? 1_000,
      maxDelayMs: options.maxDelayMs ?? 15_000,
      pollIntervalMs: options.pollIntervalMs ?? 2_000,
      streamRetryAfterMs: options.streamRetryAfterMs ?? 30_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
      statsUrl: options.statsUrl,
      streamUrl: options.streamUrl,
      onSample: options.onSample,
      onStatus: options.onStatus,
    };
    this.#intervalMs = this.#o.pollIntervalMs;
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#attempt();
  }

  stop(): void {
    this.#stopped = true;
    this.#teardown();
  }

  /** Skip the remaining backoff (the "Reconnect now" button, the browser going online). */
  reconnectNow(): void {
    if (this.#stopped || this.#status.state === "live") return;
    this.#teardown();
    this.#attempt();
  }

  #setStatus(patch: Partial<ConnectionStatus>): void {
    this.#status = { ...this.#status, ...patch };
    this.#o.onStatus(this.#status);
  }

  #teardown(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    if (this.#watchdog !== null) clearTimeout(this.#watchdog);
    this.#timer = null;
    this.#watchdog = null;
    this.#source?.close();
    this.#source = null;
    this.#abort?.abort();
    this.#abort = null;
  }

  #attempt(): void {
    if (this.#stopped) return;
    const es = this.#o.createEventSource;
    const streamUsable = es !== null && this.#o.now() >= this.#streamBrokenUntil;
    if (streamUsable && this.#streamBrokenUntil !== 0) {
      // Polling period over: one stream try, and straight back to polling if it still fails.
      this.#streamBrokenUntil = 0;
      this.#apiAnswered = true;
    }
    // After repeated stream failures without a single sample, alternate with a poll: it tells a
    // service that is down (both fail) from a stream that is broken (the poll answers).
    const probe = this.#streamFailuresWithoutData >= 3 && this.#streamFailuresWithoutData % 2 === 1;
    if (streamUsable && !probe) this.#openStream(es);
    else void this.#poll();
  }

  #openStream(create: (url: string) => EventSourceLike): void {
    this.#gotDataOnThisStream = false;
    let source: EventSourceLike;
    try {
      source = create(this.#o.streamUrl);
    } catch {
      this.#streamFailed();
      return;
    }
    this.#source = source;
    const onData = (event: MessageEvent): void => {
      if (this.#source !== source) return;
      const sample = this.#parse(event.data);
      if (sample === null) return;
      this.#gotDataOnThisStream = true;
      this.#streamFailuresWithoutData = 0;
      this.#apiAnswered = false;
      this.#received(sample, "stream");
      this.#armWatchdog();
    };
    source.addEventListener("stats", onData);
    source.addEventListener("message", onData);
    // EventSource would retry on its own, but gives up for good on an HTTP error (a 502 from the
    // proxy while stats restarts); owning the retry keeps the state shown truthful.
    source.onerror = () => {
      if (this.#source === source) this.#streamFailed();
    };
    this.#armWatchdog();
  }

  /** A stream that stays open but silent (a stuck proxy) counts as failed. */
  #armWatchdog(): void {
    if (this.#watchdog !== null) clearTimeout(this.#watchdog);
    const limit = Math.max(10_000, this.#intervalMs * 5);
    this.#watchdog = setTimeout(() => {
      this.#watchdog = null;
      if (this.#source !== null) this.#streamFailed();
    }, limit);
  }

  #streamFailed(): void {
    this.#source?.close();
    this.#source = null;
    if (this.#watchdog !== null) clearTimeout(this.#watchdog);
    this.#watchdog = null;
    if (!this.#gotDataOnThisStream) {
      if (this.#apiAnswered) {
        // The API answers but the stream does not: poll for a while instead of failing.
        this.#apiAnswered = false;
        this.#streamFailuresWithoutData = 0;
        this.#streamBrokenUntil = this.#o.now() + this.#o.streamRetryAfterMs;
        this.#schedule(0);
        return;
      }
      this.#streamFailuresWithoutData += 1;
    }
    this.#failed();
  }

  async #poll(): Promise<void> {
    const abort = new AbortController();
    this.#abort = abort;
    const timeout = setTimeout(() => abort.abort(), this.#o.requestTimeoutMs);
    let sample: StatsSample | null = null;
    try {
      const res = await this.#o.fetch(this.#o.statsUrl, {
        cache: "no-store",
        headers: { accept: "application/json" },
        signal: abort.signal,
      });
      if (res.ok) sample = parseStats(await res.json());
    } catch {
      sample = null;
    } finally {
      clearTimeout(timeout);
    }
    if (this.#stopped || this.#abort !== abort) return;
    this.#abort = null;
    if (sample === null) {
      if (this.#streamFailuresWithoutData > 0) this.#streamFailuresWithoutData += 1;
      this.#failed();
      return;
    }
    this.#received(sample, "poll");
    if (this.#streamFailuresWithoutData > 0) {
      // The service is up again: give the stream one more chance right away.
      this.#apiAnswered = true;
      this.#streamFailuresWithoutData = 0;
      this.#schedule(0);
    } else {
      this.#schedule(this.#intervalMs);
    }
  }

  #parse(data: unknown): StatsSample | null {
    if (typeof data !== "string") return null;
    try {
      return parseStats(JSON.parse(data));
    } catch {
      return null;
    }
  }

  #received(sample: StatsSample, transport: Transport): void {
    if (sample.intervalMs !== undefined && sample.intervalMs >= 250) this.#intervalMs = sample.intervalMs;
    if (this.#status.state !== "live" || this.#status.transport !== transport || this.#status.failures !== 0) {
      this.#setStatus({ state: "live", transport, failures: 0, retryAt: null });
    }
    this.#o.onSample(sample);
  }

  #failed(): void {
    const failures = this.#status.failures + 1;
    const delay = backoffDelay(failures - 1, {
      baseMs: this.#o.baseDelayMs,
      maxMs: this.#o.maxDelayMs,
      random: this.#o.random,
    });
    this.#setStatus({
      state: failures >= this.#o.offlineAfter ? "offline" : "reconnecting",
      transport: null,
      failures,
      retryAt: this.#o.now() + delay,
    });
    this.#schedule(delay);
  }

  #schedule(delayMs: number): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#attempt();
    }, delayMs);
  }
}
