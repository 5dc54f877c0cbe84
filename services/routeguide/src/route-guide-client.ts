import * as grpc from "@grpc/grpc-js";
import type { Feature, Point, Rectangle, RouteNote, RouteSummary } from "./messages.ts";
import { protos } from "./protos.ts";
import { type ClientTlsOptions, clientCredentials } from "./tls.ts";

export interface RouteGuideClientOptions {
  address: string;
  tls?: ClientTlsOptions;
  tlsServerName?: string;
  /** Per-call deadline. */
  timeoutMs?: number;
  /** Wait (up to the deadline) for the server to become reachable instead of failing at once:
   * a Job's pod may start before a NetworkPolicy enforcer admits it. */
  waitForReady?: boolean;
}

type AnyClient = Record<string, (...args: unknown[]) => unknown>;

/** Promise-shaped wrapper over the canonical RouteGuide client (the CLI, tests and bench use it). */
export class RouteGuideClient {
  readonly raw: grpc.Client;
  readonly #timeoutMs: number;
  readonly #waitForReady: boolean;

  constructor(options: RouteGuideClientOptions) {
    this.raw = new (protos().RouteGuideClient)(
      options.address,
      clientCredentials(options.tls),
      options.tlsServerName ? { "grpc.ssl_target_name_override": options.tlsServerName } : {},
    );
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#waitForReady = options.waitForReady ?? false;
  }

  #metadata(): grpc.Metadata {
    return new grpc.Metadata({ waitForReady: this.#waitForReady });
  }

  #deadline(): grpc.CallOptions {
    return { deadline: Date.now() + this.#timeoutMs };
  }

  #method(name: string) {
    return ((this.raw as unknown as AnyClient)[name] as (...args: unknown[]) => unknown).bind(this.raw);
  }

  getFeature(point: Point): Promise<Feature> {
    return new Promise((resolve, reject) => {
      this.#method("GetFeature")(point, this.#metadata(), this.#deadline(), (error: grpc.ServiceError | null, feature: Feature) =>
        error ? reject(error) : resolve(feature),
      );
    });
  }

  listFeatures(rect: Rectangle): Promise<Feature[]> {
    return new Promise((resolve, reject) => {
      const call = this.#method("ListFeatures")(rect, this.#metadata(), this.#deadline()) as grpc.ClientReadableStream<Feature>;
      const features: Feature[] = [];
      call.on("data", (feature: Feature) => features.push(feature));
      call.on("error", reject);
      call.on("end", () => resolve(features));
    });
  }

  recordRoute(points: Point[]): Promise<RouteSummary> {
    return new Promise((resolve, reject) => {
      const call = this.#method("RecordRoute")(
        this.#metadata(),
        this.#deadline(),
        (error: grpc.ServiceError | null, summary: RouteSummary) => (error ? reject(error) : resolve(summary)),
      ) as grpc.ClientWritableStream<Point>;
      for (const point of points) call.write(point);
      call.end();
    });
  }

  /** Opens a chat; the caller writes notes and ends it. */
  routeChat(): grpc.ClientDuplexStream<RouteNote, RouteNote> {
    return this.#method("RouteChat")(this.#metadata(), this.#deadline()) as grpc.ClientDuplexStream<RouteNote, RouteNote>;
  }

  /** Sends the notes, half-closes, and collects everything the server sent back. */
  chat(notes: Array<RouteNote>): Promise<RouteNote[]> {
    return new Promise((resolve, reject) => {
      const call = this.routeChat();
      const received: RouteNote[] = [];
      call.on("data", (note: RouteNote) => received.push(note));
      call.on("error", reject);
      call.on("end", () => resolve(received));
      for (const note of notes) call.write(note);
      call.end();
    });
  }

  close(): void {
    this.raw.close();
  }
}
