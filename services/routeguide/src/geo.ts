import type { Point } from "./messages.ts";

/** Coordinates travel in E7: degrees x 10^7, rounded (the canonical proto's convention). */
export const COORD_FACTOR = 1e7;
const EARTH_RADIUS_M = 6_371_000;

const radians = (e7: number) => (e7 / COORD_FACTOR) * (Math.PI / 180);

/** Great-circle distance between two points in metres (haversine formula). */
export function distanceMetres(a: Point, b: Point): number {
  const lat1 = radians(a.latitude);
  const lat2 = radians(b.latitude);
  const dLat = lat2 - lat1;
  const dLon = radians(b.longitude) - radians(a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1) * Math.cos(lat2) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.atan2(Math.sqrt(h), Math.sqrt(1 - h));
}

/** Inclusive on every edge; the rectangle is already validated (lo <= hi). */
export function inRectangle(p: Point, lo: Point, hi: Point): boolean {
  return p.latitude >= lo.latitude && p.latitude <= hi.latitude && p.longitude >= lo.longitude && p.longitude <= hi.longitude;
}

export function pointKey(p: Point): string {
  return `${p.latitude},${p.longitude}`;
}

export function formatPoint(p: Point): string {
  return `(${p.latitude / COORD_FACTOR}, ${p.longitude / COORD_FACTOR})`;
}
