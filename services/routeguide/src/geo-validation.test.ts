import { describe, expect, it } from "vitest";
import { distanceMetres, inRectangle } from "./geo.ts";
import { checkPoint, checkRectangle, InvalidArgument } from "./validation.ts";

describe("geo", () => {
  it("haversine: one degree of latitude is about 111.2 km; antipodes half the circumference", () => {
    expect(distanceMetres({ latitude: 0, longitude: 0 }, { latitude: 10_000_000, longitude: 0 })).toBeCloseTo(111_195, 0);
    expect(distanceMetres({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 1_800_000_000 })).toBeCloseTo(Math.PI * 6_371_000, 0);
    expect(distanceMetres({ latitude: 5, longitude: 5 }, { latitude: 5, longitude: 5 })).toBe(0);
  });

  it("rectangles include their edges", () => {
    const lo = { latitude: 0, longitude: 0 };
    const hi = { latitude: 10, longitude: 10 };
    expect(inRectangle(lo, lo, hi)).toBe(true);
    expect(inRectangle(hi, lo, hi)).toBe(true);
    expect(inRectangle({ latitude: 11, longitude: 5 }, lo, hi)).toBe(false);
  });
});

describe("validation", () => {
  it("accepts the poles and the antimeridian, rejects anything beyond", () => {
    expect(checkPoint({ latitude: 900_000_000, longitude: -1_800_000_000 }, "p")).toBeTruthy();
    expect(() => checkPoint({ latitude: 900_000_001, longitude: 0 }, "p")).toThrow(InvalidArgument);
    expect(() => checkPoint(null, "p")).toThrow("p is required");
  });

  it("a degenerate rectangle (one point) is fine; an inverted one is not", () => {
    const p = { latitude: 3, longitude: 3 };
    expect(checkRectangle({ lo: p, hi: p })).toEqual([p, p]);
    expect(() => checkRectangle({ lo: { latitude: 4, longitude: 3 }, hi: p })).toThrow(/inverted rectangle/);
  });
});
