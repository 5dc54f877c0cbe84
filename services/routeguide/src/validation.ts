import { status } from "@grpc/grpc-js";
import type { Point, Rectangle } from "./messages.ts";

export const MAX_LATITUDE_E7 = 900_000_000;
export const MAX_LONGITUDE_E7 = 1_800_000_000;

/** Bad client input: the handlers turn it into INVALID_ARGUMENT with this message. */
export class InvalidArgument extends Error {
  readonly code = status.INVALID_ARGUMENT;
}

/** Returns the point, or throws when it is missing or outside the globe. */
export function checkPoint(point: Point | null | undefined, field: string): Point {
  if (!point) throw new InvalidArgument(`${field} is required`);
  if (!Number.isInteger(point.latitude) || Math.abs(point.latitude) > MAX_LATITUDE_E7) {
    throw new InvalidArgument(`${field}.latitude ${point.latitude} is outside ±${MAX_LATITUDE_E7} (±90° in E7)`);
  }
  if (!Number.isInteger(point.longitude) || Math.abs(point.longitude) > MAX_LONGITUDE_E7) {
    throw new InvalidArgument(`${field}.longitude ${point.longitude} is outside ±${MAX_LONGITUDE_E7} (±180° in E7)`);
  }
  return point;
}

/** Returns [lo, hi]; an inverted rectangle is an error rather than silently swapped. */
export function checkRectangle(rect: Rectangle): [Point, Point] {
  const lo = checkPoint(rect.lo, "lo");
  const hi = checkPoint(rect.hi, "hi");
  if (lo.latitude > hi.latitude) {
    throw new InvalidArgument(`inverted rectangle: lo.latitude ${lo.latitude} > hi.latitude ${hi.latitude}`);
  }
  if (lo.longitude > hi.longitude) {
    throw new InvalidArgument(`inverted rectangle: lo.longitude ${lo.longitude} > hi.longitude ${hi.longitude}`);
  }
  return [lo, hi];
}

export function checkNoteMessage(message: string, maxBytes: number): string {
  const bytes = Buffer.byteLength(message, "utf8");
  if (bytes > maxBytes) throw new InvalidArgument(`note message is ${bytes} bytes; the limit is ${maxBytes}`);
  return message;
}

/** Turns anything thrown by a handler into a gRPC status the client can act on. */
export function toServiceError(error: unknown): { code: status; details: string } {
  if (error instanceof InvalidArgument) return { code: error.code, details: error.message };
  const maybe = error as { code?: unknown; details?: unknown; message?: unknown };
  if (typeof maybe.code === "number" && typeof maybe.details === "string") {
    return { code: maybe.code as status, details: maybe.details };
  }
  return { code: status.INTERNAL, details: "internal error" };
}
