import { describe, expect, it } from "vitest";
import { sparklinePoints, toChartRows, topSeries } from "@/lib/charts/prepare";
import { colorFor, colorsFor, PALETTE } from "@/lib/charts/colors";
import { formatChange, formatCompact, formatPct, formatUsd } from "@/lib/charts/format";
import { ZERO } from "@/lib/queries/metrics";

describe("chart preparation", () => {
  it("makes one row per bucket with a column per series", () => {
    expect(toChartRows(["a", "b"], [{ key: "x", label: "X", values: [1, null] }, { key: "y", label: "Y", values: [3, 4] }])).toEqual([
      { label: "a", x: 1, y: 3 },
      { label: "b", x: null, y: 4 },
    ]);
  });

  it("folds small series into Other and keeps the sums", () => {
    const s = (key: string, tokens: number[]) => ({
      key,
      label: key,
      total: { ...ZERO, tokens: tokens.reduce((a, b) => a + b, 0) },
      points: tokens.map((t) => ({ ...ZERO, tokens: t })),
    });
    const out = topSeries([s("a", [1, 1]), s("b", [5, 5]), s("c", [2, 0]), s("d", [0, 3])], "tokens", 2);
    expect(out).toEqual([
      { key: "b", label: "b", values: [5, 5] },
      { key: "d", label: "d", values: [0, 3] },
      { key: "__other", label: "Other (2)", values: [3, 1] },
    ]);
  });

  it("draws a sparkline inside its box", () => {
    expect(sparklinePoints([0, 5, 10], 100, 20)).toBe("1,19 50,10 99,1");
    expect(sparklinePoints([0, 0], 10, 10)).toBe("1,9 9,9");
    expect(sparklinePoints([], 10, 10)).toBe("");
  });
});

describe("colours and numbers", () => {
  it("gives a key the same colour everywhere and avoids collisions in one chart", () => {
    expect(colorFor("payments")).toBe(colorFor("payments"));
    const many = colorsFor(Array.from({ length: 10 }, (_, i) => `team-${i}`));
    expect(new Set(Object.values(many)).size).toBe(10);
    expect(PALETTE).toContain(many["team-0"]);
  });

  it("formats for humans", () => {
    expect(formatCompact(1_234_567)).toBe("1.2M");
    expect(formatCompact(null)).toBe("—");
    expect(formatPct(66.66)).toBe("66.7%");
    expect(formatChange(12.5)).toBe("+12.5%");
    expect(formatChange(-3)).toBe("−3.0%");
    expect(formatUsd(1234.5)).toBe("$1,234.50");
  });
});
