import { readFileSync } from "node:fs";
import { join } from "node:path";
import { assetDir } from "./assets.ts";
import { inRectangle, pointKey } from "./geo.ts";
import type { Feature, Point } from "./messages.ts";
import { checkPoint } from "./validation.ts";

/** The features the server knows, indexed by exact location. Read once at start-up. */
export class FeatureDb {
  readonly features: ReadonlyArray<Feature & { location: Point }>;
  readonly #byLocation: Map<string, Feature & { location: Point }>;

  constructor(features: Array<Feature & { location: Point }>) {
    this.features = features;
    this.#byLocation = new Map(features.map((f) => [pointKey(f.location), f]));
  }

  /** The named feature at this point, or undefined (the RPC then answers with an unnamed one). */
  at(point: Point): (Feature & { location: Point }) | undefined {
    return this.#byLocation.get(pointKey(point));
  }

  *within(lo: Point, hi: Point): Generator<Feature & { location: Point }> {
    for (const feature of this.features) if (inRectangle(feature.location, lo, hi)) yield feature;
  }
}

export function defaultFeaturesFile(): string {
  return join(assetDir("data"), "features.json");
}

/**
 * Loads the canonical route_guide_db.json shape: [{ "name": "...", "location": { "latitude":
 * E7, "longitude": E7 } }]. A bad entry fails start-up with its index, not a later RPC.
 */
export function loadFeatureDb(file: string = defaultFeaturesFile()): FeatureDb {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`cannot read features file ${file}: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new Error(`features file ${file}: expected a JSON array`);
  const features = parsed.map((entry: unknown, index) => {
    const e = entry as { name?: unknown; location?: { latitude?: unknown; longitude?: unknown } };
    if (typeof e?.name !== "string") throw new Error(`features file ${file}: entry ${index} has no string "name"`);
    try {
      const location = checkPoint(e.location as Point | undefined, "location");
      return { name: e.name, location: { latitude: location.latitude, longitude: location.longitude } };
    } catch (error) {
      throw new Error(`features file ${file}: entry ${index}: ${(error as Error).message}`);
    }
  });
  return new FeatureDb(features);
}
