// @vitest-environment jsdom
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { Sparkline, sparklinePoints } from "./Sparkline.tsx";

afterEach(cleanup);

describe("sparklinePoints", () => {
  it("right-aligns the history and maps 0–100 % onto the fixed box", () => {
    expect(sparklinePoints([0, 50, 100], 3)).toBe("0.0,48.0 120.0,24.0 240.0,0.0");
    expect(sparklinePoints([100], 3)).toBe("240.0,0.0");
  });

  it("clamps out-of-range values", () => {
    expect(sparklinePoints([-5, 150], 2)).toBe("0.0,48.0 240.0,0.0");
  });
});

describe("Sparkline", () => {
  it("describes the data for screen readers", () => {
    render(<Sparkline values={[10, 30, 20]} label="CPU" />);
    expect(screen.getByRole("img", { name: "CPU over the last 3 samples: min 10.0 %, max 30.0 %" })).toBeTruthy();
  });

  it("keeps a fixed viewBox whatever the data", () => {
    const { container, rerender } = render(<Sparkline values={[]} label="RAM" />);
    const box = container.querySelector("svg")?.getAttribute("viewBox");
    expect(screen.getByRole("img", { name: "RAM history: no samples yet" })).toBeTruthy();
    rerender(<Sparkline values={[1, 2, 3, 99]} label="RAM" />);
    expect(container.querySelector("svg")?.getAttribute("viewBox")).toBe(box);
    expect(container.querySelector("polyline")).not.toBeNull();
  });
});
