import { once } from "node:events";
import type { Logger } from "@flotilla/service-kit";
import * as grpc from "@grpc/grpc-js";
import type { BackendClient } from "./backend-client.ts";
import type { FeatureDb } from "./feature-db.ts";
import { distanceMetres } from "./geo.ts";
import type { Feature, Point, Rectangle, RouteNote, RouteSummary } from "./messages.ts";
import { checkNoteMessage, checkPoint, checkRectangle, InvalidArgument, toServiceError } from "./validation.ts";

export interface RouteGuideLimits {
  maxRoutePoints: number;
  maxChatNotes: number;
  maxNoteBytes: number;
  /** How many earlier notes RouteChat replays per incoming note (the newest ones). */
  notesHistoryLimit: number;
  /** Deadline of each backend call RouteChat makes. */
  notesDeadlineMs: number;
}

export interface RouteGuideDeps {
  features: FeatureDb;
  backend: BackendClient;
  /** Non-blocking hand-off of a served feature to the save queue. */
  saveFeature: (feature: Feature) => void;
  limits: RouteGuideLimits;
  log: Logger;
  /** A RouteChat backend call failed (metrics). */
  notesBackendFailed: (operation: "list" | "save") => void;
}

const INT32_MAX = 2 ** 31 - 1;
// RouteChat handles notes in order; past this many unprocessed notes it stops reading the stream.
const CHAT_READ_AHEAD = 16;

class BackendUnavailable extends Error {
  readonly code = grpc.status.UNAVAILABLE;
  readonly details: string;
  constructor(operation: string, cause: unknown) {
    const reason = (cause as { details?: string; message?: string }).details ?? (cause as Error).message;
    super(`route notes backend unavailable (${operation}): ${reason}`);
    this.details = this.message;
  }
}

/** Handlers of the canonical routeguide.RouteGuide service. */
export function routeGuideHandlers(deps: RouteGuideDeps): grpc.UntypedServiceImplementation {
  const { features, backend, limits } = deps;

  return {
    GetFeature(call: grpc.ServerUnaryCall<Point, Feature>, callback: grpc.sendUnaryData<Feature>) {
      let point: Point;
      try {
        point = checkPoint(call.request, "point");
      } catch (error) {
        return callback(toServiceError(error));
      }
      const found = features.at(point);
      // Only named features are saved: an arbitrary probed point is not worth persisting.
      if (found) deps.saveFeature(found);
      callback(null, found ?? { name: "", location: point });
    },

    async ListFeatures(call: grpc.ServerWritableStream<Rectangle, Feature>) {
      try {
        const [lo, hi] = checkRectangle(call.request);
        for (const feature of features.within(lo, hi)) {
          if (call.cancelled) return;
          if (!call.write(feature)) await once(call, "drain");
        }
        call.end();
      } catch (error) {
        call.emit("error", toServiceError(error));
      }
    },

    RecordRoute(call: grpc.ServerReadableStream<Point, RouteSummary>, callback: grpc.sendUnaryData<RouteSummary>) {
      const started = Date.now();
      let pointCount = 0;
      let featureCount = 0;
      let distance = 0;
      let previous: Point | undefined;
      let failed = false;
      call.on("data", (raw: Point) => {
        if (failed) return;
        try {
          pointCount++;
          if (pointCount > limits.maxRoutePoints) throw new InvalidArgument(`route has more than ${limits.maxRoutePoints} points`);
          const point = checkPoint(raw, `point ${pointCount}`);
          if (features.at(point)) featureCount++;
          if (previous) distance += distanceMetres(previous, point);
          previous = point;
        } catch (error) {
          failed = true;
          callback(toServiceError(error));
        }
      });
      call.on("end", () => {
        if (failed) return;
        callback(null, {
          point_count: pointCount,
          feature_count: featureCount,
          distance: Math.min(INT32_MAX, Math.round(distance)),
          elapsed_time: Math.floor((Date.now() - started) / 1000),
        });
      });
    },

    RouteChat(call: grpc.ServerDuplexStream<RouteNote, RouteNote>) {
      let received = 0;
      let pending = 0;
      let failed = false;
      let chain = Promise.resolve();
      const fail = (error: unknown) => {
        if (failed) return;
        failed = true;
        call.emit("error", toServiceError(error));
      };

      // For each note: replay the earlier notes at its location (shared by every replica via
      // the backend), then store it. Notes are handled strictly in order, so a note sent
      // twice to one location sees the first.
      const handle = async (note: RouteNote & { location: Point }) => {
        if (failed || call.cancelled) return;
        let earlier: RouteNote[];
        try {
          earlier = await backend.listNotes(note.location, limits.notesHistoryLimit, limits.notesDeadlineMs);
        } catch (error) {
          deps.notesBackendFailed("list");
          throw new BackendUnavailable("list", error);
        }
        for (const previous of earlier) {
          if (call.cancelled) return;
          if (!call.write(previous)) await once(call, "drain");
        }
        try {
          await backend.saveNote(note, limits.notesDeadlineMs);
        } catch (error) {
          deps.notesBackendFailed("save");
          throw new BackendUnavailable("save", error);
        }
      };

      call.on("data", (raw: RouteNote) => {
        if (failed) return;
        let note: RouteNote & { location: Point };
        try {
          received++;
          if (received > limits.maxChatNotes) throw new InvalidArgument(`chat has more than ${limits.maxChatNotes} notes`);
          note = {
            location: checkPoint(raw.location, `note ${received} location`),
            message: checkNoteMessage(raw.message, limits.maxNoteBytes),
          };
        } catch (error) {
          return fail(error);
        }
        pending++;
        if (pending >= CHAT_READ_AHEAD) call.pause();
        chain = chain
          .then(() => handle(note))
          .catch(fail)
          .finally(() => {
            pending--;
            if (pending < CHAT_READ_AHEAD && call.isPaused()) call.resume();
          });
      });
      call.on("end", () => {
        void chain.then(() => {
          if (!failed) call.end();
        });
      });
      call.on("cancelled", () => {
        failed = true;
      });
    },
  };
}
