// Background sampler: takes a baseline at start, then one measurement per interval, and keeps the
// latest sample (object + its JSON, serialised once) for every reader. Requests never touch /proc.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type StatsSample, statsSampleSchema } from "@flotilla/contracts/stats-sample";
import { z } from "@flotilla/service-kit";
import { type CgroupLocation, locateCgroup, readCgroup } from "./cgroup.ts";
import { readProc } from "./proc.ts";
import { computeSample, type Measurement } from "./sample.ts";

export interface SamplerOptions {
  procRoot: string;
  cgroupRoot: string;
  intervalMs: number;
  /** Called after each successful sample with how long measuring took. */
  onSample?: (sample: StatsSample, durationMs: number) => void;
  /** Called when a measurement fails; the previous sample stays current. */
  onError?: (err: unknown) => void;
}

export interface PublishedSample {
  sample: StatsSample;
  json: string;
}

export type SampleListener = (published: PublishedSample) => void;

export class Sampler {
  readonly #opts: SamplerOptions;
  #location: CgroupLocation | null = null;
  #prev: Measurement | null = null;
  #latest: PublishedSample | null = null;
  #seq = 0;
  #timer: NodeJS.Timeout | null = null;
  #busy = false;
  readonly #listeners = new Set<SampleListener>();

  constructor(opts: SamplerOptions) {
    this.#opts = opts;
  }

  get latest(): PublishedSample | null {
    return this.#latest;
  }

  get cgroupLocation(): CgroupLocation | null {
    return this.#location;
  }

  /** Locates the cgroup and takes the baseline; throws if /proc cannot be read at all. */
  async start(): Promise<void> {
    const selfCgroup = await readFile(join(this.#opts.procRoot, "self", "cgroup"), "utf8").catch(() => "");
    this.#location = await locateCgroup(this.#opts.cgroupRoot, selfCgroup);
    this.#prev = await this.#measure();
    this.#timer = setInterval(() => void this.tick(), this.#opts.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#listeners.clear();
  }

  subscribe(listener: SampleListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  /** One sampling step (the timer calls it; tests may too). Overlapping calls are skipped. */
  async tick(): Promise<void> {
    if (this.#busy || !this.#prev) return;
    this.#busy = true;
    const started = performance.now();
    try {
      const cur = await this.#measure();
      const sample = computeSample(this.#prev, cur, {
        location: this.#location,
        intervalMs: this.#opts.intervalMs,
        seq: ++this.#seq,
      });
      this.#prev = cur;
      // Serialised once per sample, through the contract (so a sample that breaks it is an error
      // counted here, never a body sent): every request and stream then sends this string.
      this.#latest = { sample, json: JSON.stringify(z.encode(statsSampleSchema, sample)) };
      this.#opts.onSample?.(sample, performance.now() - started);
      for (const listener of this.#listeners) {
        try {
          listener(this.#latest);
        } catch (err) {
          this.#opts.onError?.(err);
        }
      }
    } catch (err) {
      this.#opts.onError?.(err);
    } finally {
      this.#busy = false;
    }
  }

  async #measure(): Promise<Measurement> {
    const [proc, cgroup] = await Promise.all([readProc(this.#opts.procRoot), this.#location ? readCgroup(this.#location) : null]);
    return { proc, cgroup, monotonicMs: performance.now(), wallMs: Date.now() };
  }
}
