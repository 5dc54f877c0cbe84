// Server-Sent Events: framing, and the hub that fans each new sample out to every open stream.
import { PassThrough } from "node:stream";
import type { PublishedSample, Sampler } from "./sampler.ts";

/** One SSE event. `data` may span lines: each becomes its own `data:` line, as the spec wants. */
export function formatEvent(event: { id?: string | number; event?: string; data: string }): string {
  let out = "";
  if (event.id !== undefined) out += `id: ${event.id}\n`;
  if (event.event) out += `event: ${event.event}\n`;
  for (const line of event.data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}

export const HEARTBEAT = ": heartbeat\n\n";

/** A slow reader may fall this far behind before it is dropped (memory stays bounded). */
const MAX_BUFFERED_BYTES = 256 * 1024;

export interface StreamHubOptions {
  maxStreams: number;
  heartbeatMs: number;
  retryMs: number;
  onCountChange?: (open: number) => void;
}

export class StreamHub {
  readonly #streams = new Set<PassThrough>();
  readonly #opts: StreamHubOptions;
  readonly #unsubscribe: () => void;
  readonly #heartbeat: NodeJS.Timeout;
  readonly #sampler: Sampler;

  constructor(sampler: Sampler, opts: StreamHubOptions) {
    this.#sampler = sampler;
    this.#opts = opts;
    // One subscription and one timer for all streams: an event is formatted once, written N times.
    this.#unsubscribe = sampler.subscribe((p) => this.#broadcast(formatSample(p)));
    this.#heartbeat = setInterval(() => this.#broadcast(HEARTBEAT), opts.heartbeatMs);
    this.#heartbeat.unref();
  }

  get size(): number {
    return this.#streams.size;
  }

  get maxStreams(): number {
    return this.#opts.maxStreams;
  }

  get full(): boolean {
    return this.#streams.size >= this.#opts.maxStreams;
  }

  /** Opens a stream; the latest sample goes out at once unless the client already has it. */
  open(lastEventId?: string): PassThrough {
    const stream = new PassThrough();
    this.#streams.add(stream);
    this.#opts.onCountChange?.(this.#streams.size);
    // "close" fires on end, destroy, or the client hanging up (Fastify destroys the payload then).
    stream.once("close", () => {
      if (this.#streams.delete(stream)) this.#opts.onCountChange?.(this.#streams.size);
    });
    stream.write(`retry: ${this.#opts.retryMs}\n\n`);
    const latest = this.#sampler.latest;
    if (latest && String(latest.sample.seq) !== lastEventId) stream.write(formatSample(latest));
    return stream;
  }

  /** Ends every stream (shutdown), so connections can drain instead of waiting for the grace timeout. */
  closeAll(): void {
    for (const stream of this.#streams) stream.end();
  }

  stop(): void {
    clearInterval(this.#heartbeat);
    this.#unsubscribe();
    this.closeAll();
  }

  #broadcast(chunk: string): void {
    for (const stream of this.#streams) {
      if (stream.destroyed || stream.writableEnded) continue;
      if (!stream.write(chunk) && stream.writableLength > MAX_BUFFERED_BYTES) stream.destroy();
    }
  }
}

function formatSample(p: PublishedSample): string {
  return formatEvent({ id: p.sample.seq, event: "stats", data: p.json });
}
