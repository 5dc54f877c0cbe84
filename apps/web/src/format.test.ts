import { describe, expect, it } from "vitest";
import { formatBytes, formatCores, formatDuration, formatPercent, PLACEHOLDER } from "./format.ts";

describe("format", () => {
  it("percentages keep one decimal so the width is stable", () => {
    expect(formatPercent(12)).toBe("12.0 %");
    expect(formatPercent(99.95)).toBe("100.0 %");
    expect(formatPercent(null)).toBe(PLACEHOLDER);
  });

  it("bytes in binary units", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(536_870_912)).toBe("512.0 MiB");
    expect(formatBytes(25_275_863_040)).toBe("23.5 GiB");
    expect(formatBytes(undefined)).toBe(PLACEHOLDER);
  });

  it("durations", () => {
    expect(formatDuration(59.9)).toBe("0m 59s");
    expect(formatDuration(3_725)).toBe("1h 2m");
    expect(formatDuration(90_061)).toBe("1d 1h 1m");
  });

  it("cores", () => {
    expect(formatCores(0.5)).toBe("0.5 cores");
    expect(formatCores(1)).toBe("1 core");
    expect(formatCores(null)).toBe("unlimited");
  });
});
