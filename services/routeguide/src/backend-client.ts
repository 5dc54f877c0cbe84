import * as grpc from "@grpc/grpc-js";
import type { Feature, Point, RouteNote, StoredFeature } from "./messages.ts";
import { protos } from "./protos.ts";
import { type ClientTlsOptions, clientCredentials } from "./tls.ts";

export interface BackendClientOptions {
  address: string;
  tls?: ClientTlsOptions;
  /** TLS name to verify when it differs from the address host (e.g. dialling 127.0.0.1). */
  tlsServerName?: string;
}

/** Codes that say "try again later", not "this request is wrong". */
const RETRYABLE = new Set<number>([
  grpc.status.UNAVAILABLE,
  grpc.status.DEADLINE_EXCEEDED,
  grpc.status.RESOURCE_EXHAUSTED,
  grpc.status.ABORTED,
]);

export function isRetryable(error: unknown): boolean {
  return RETRYABLE.has((error as { code?: number }).code ?? -1);
}

type Unary = (
  request: unknown,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (error: grpc.ServiceError | null, reply: unknown) => void,
) => grpc.ClientUnaryCall;

/** The server's view of the backend: every call carries its own deadline. */
export class BackendClient {
  readonly #client: grpc.Client;

  constructor(options: BackendClientOptions) {
    this.#client = new (protos().BackendClient)(options.address, clientCredentials(options.tls), {
      // The save queue does its own retries with backoff; no hidden retries underneath it.
      "grpc.enable_retries": 0,
      // Notice a restarted backend quickly.
      "grpc.initial_reconnect_backoff_ms": 250,
      "grpc.max_reconnect_backoff_ms": 5_000,
      ...(options.tlsServerName ? { "grpc.ssl_target_name_override": options.tlsServerName } : {}),
    });
  }

  #unary<T>(method: string, request: unknown, deadlineMs: number, signal?: AbortSignal): Promise<T> {
    const fn = (this.#client as unknown as Record<string, Unary>)[method] as Unary;
    return new Promise<T>((resolve, reject) => {
      const call = fn.call(this.#client, request, new grpc.Metadata(), { deadline: Date.now() + deadlineMs }, (error, reply) => {
        signal?.removeEventListener("abort", cancel);
        if (error) reject(error);
        else resolve(reply as T);
      });
      const cancel = () => call.cancel();
      if (signal?.aborted) cancel();
      else signal?.addEventListener("abort", cancel, { once: true });
    });
  }

  async saveFeature(feature: Feature, deadlineMs: number, signal?: AbortSignal): Promise<StoredFeature> {
    const reply = await this.#unary<{ stored: StoredFeature }>("SaveFeature", { feature }, deadlineMs, signal);
    return reply.stored;
  }

  async saveNote(note: RouteNote, deadlineMs: number): Promise<number> {
    const reply = await this.#unary<{ sequence: number }>("SaveNote", { note }, deadlineMs);
    return reply.sequence;
  }

  async listNotes(location: Point, limit: number, deadlineMs: number): Promise<RouteNote[]> {
    const reply = await this.#unary<{ notes: RouteNote[] }>("ListNotes", { location, limit }, deadlineMs);
    return reply.notes;
  }

  listFeatures(limit: number, deadlineMs: number): Promise<StoredFeature[]> {
    return new Promise((resolve, reject) => {
      const stored: StoredFeature[] = [];
      const call = (
        this.#client as unknown as Record<string, (r: unknown, o: grpc.CallOptions) => grpc.ClientReadableStream<StoredFeature>>
      ).ListFeatures?.call(this.#client, { limit }, { deadline: Date.now() + deadlineMs });
      if (!call) return reject(new Error("backend client has no ListFeatures"));
      call.on("data", (item: StoredFeature) => stored.push(item));
      call.on("error", reject);
      call.on("end", () => resolve(stored));
    });
  }

  close(): void {
    this.#client.close();
  }
}
