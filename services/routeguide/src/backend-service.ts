import type * as grpc from "@grpc/grpc-js";
import type { BackendStore } from "./backend-store.ts";
import type { Feature, Point, RouteNote, StoredFeature } from "./messages.ts";
import { checkNoteMessage, checkPoint, InvalidArgument, toServiceError } from "./validation.ts";

export interface BackendLimits {
  /** Most notes ListNotes returns (the newest ones). */
  notesHistoryLimit: number;
  maxNoteBytes: number;
}

/** Handlers of flotilla.routeguide.backend.v1.Backend over the LMDB store. */
export function backendHandlers(store: BackendStore, limits: BackendLimits): grpc.UntypedServiceImplementation {
  return {
    SaveFeature(
      call: grpc.ServerUnaryCall<{ feature: Feature | null }, { stored: StoredFeature }>,
      callback: grpc.sendUnaryData<{ stored: StoredFeature }>,
    ) {
      const run = async () => {
        if (!call.request.feature) throw new InvalidArgument("feature is required");
        const location = checkPoint(call.request.feature.location, "feature.location");
        return { stored: await store.saveFeature({ name: call.request.feature.name, location }) };
      };
      run().then(
        (reply) => callback(null, reply),
        (error: unknown) => callback(toServiceError(error)),
      );
    },

    ListFeatures(call: grpc.ServerWritableStream<{ limit: number }, StoredFeature>) {
      try {
        for (const stored of store.listFeatures(call.request.limit)) {
          if (call.cancelled) return;
          call.write(stored);
        }
        call.end();
      } catch (error) {
        call.destroy(Object.assign(new Error("list failed"), toServiceError(error)));
      }
    },

    SaveNote(
      call: grpc.ServerUnaryCall<{ note: RouteNote | null }, { sequence: number }>,
      callback: grpc.sendUnaryData<{ sequence: number }>,
    ) {
      const run = async () => {
        if (!call.request.note) throw new InvalidArgument("note is required");
        const location = checkPoint(call.request.note.location, "note.location");
        const message = checkNoteMessage(call.request.note.message, limits.maxNoteBytes);
        return { sequence: await store.saveNote({ location, message }) };
      };
      run().then(
        (reply) => callback(null, reply),
        (error: unknown) => callback(toServiceError(error)),
      );
    },

    ListNotes(
      call: grpc.ServerUnaryCall<{ location: Point | null; limit: number }, { notes: RouteNote[] }>,
      callback: grpc.sendUnaryData<{ notes: RouteNote[] }>,
    ) {
      try {
        const location = checkPoint(call.request.location, "location");
        const limit = call.request.limit > 0 ? Math.min(call.request.limit, limits.notesHistoryLimit) : limits.notesHistoryLimit;
        callback(null, { notes: store.listNotes(location, limit) });
      } catch (error) {
        callback(toServiceError(error));
      }
    },
  };
}
