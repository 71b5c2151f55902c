import { describe, expect, it } from "vitest";
import { rollingAverage, sparklineParts, sparklinePoints, splitPartial, soFarKey, toChartRows, topSeries } from "@/lib/charts/prepare";
import { catalogColors, colorFor, modelColors, PALETTE, toolColors } from "@/lib/charts/colors";
import { formatChange, formatCompact, formatPct, formatTooltip, formatUsd } from "@/lib/charts/format";
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

  it("draws partial sparkline buckets as dashed ends joined to the solid line", () => {
    const parts = sparklineParts([0, 5, 10, 2], [true, false, false, true], 100, 20);
    const xy = sparklinePoints([0, 5, 10, 2], 100, 20).split(" ");
    expect(parts.solid).toBe(xy.slice(1, 3).join(" "));
    expect(parts.dashed).toEqual([xy.slice(0, 2).join(" "), xy.slice(2).join(" ")]);
    expect(sparklineParts([1, 2], undefined, 10, 10).dashed).toEqual([]);
  });

  it("moves partial buckets to a dashed twin that joins the last complete one", () => {
    const rows = splitPartial(toChartRows(["a", "b", "c"], [{ key: "x", label: "X", values: [1, 2, 0.5] }]), ["x"], [false, false, true]);
    expect(rows.map((r) => [r.x, r[soFarKey("x")]])).toEqual([
      [1, null],
      [2, 2],
      [null, 0.5],
    ]);
  });

  it("averages over a full trailing window only", () => {
    // 6 lead days, then a constant week: the average is flat from the first day.
    expect(rollingAverage([7, 7, 7, 7, 7, 7, 7, 7, 7], 7, 6)).toEqual([7, 7, 7]);
    // weekday rhythm 10 × 5, 0 × 2: the sawtooth becomes a flat line
    const week = [10, 10, 10, 10, 10, 0, 0];
    expect(rollingAverage([...week, ...week], 7, 6)).toEqual(Array(8).fill(7.1));
    expect(rollingAverage([1, 2, 3], 7, 0)).toEqual([null, null, null]);
    expect(rollingAverage([1, 1, 1, 1, 1, 1, null, 1], 7, 6)).toEqual([null, null]);
  });
});

describe("colours and numbers", () => {
  it("gives each tool one colour whatever set a chart shows", () => {
    const a = toolColors(["claude-code", "codex"]);
    const b = toolColors(["gemini-cli", "copilot", "in-house", "codex", "claude-code"]);
    expect(a["codex"]).toBe(b["codex"]);
    expect(a["claude-code"]).toBe(b["claude-code"]);
    expect(new Set(Object.values(b)).size).toBe(5);
    expect(PALETTE).toContain(b["in-house"]);
  });

  it("gives models and compared teams distinct colours by their place in the catalogue", () => {
    const m = modelColors(["gpt-4.1", "claude-haiku", "gemini-2.5-pro"]);
    expect(m["claude-haiku"]).toBe(PALETTE[0]);
    expect(new Set(Object.values(m)).size).toBe(3);
    const ten = catalogColors(Array.from({ length: 10 }, (_, i) => `team-${i}`));
    expect(new Set(Object.values(ten)).size).toBe(10);
    expect(colorFor("payments")).toBe(colorFor("payments"));
  });

  it("keeps neighbouring palette colours apart for protan and deutan readers", () => {
    // Machado et al. (2009) full-severity simulations in linear RGB; distance in sRGB 0–255.
    const PROTAN = [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]];
    const DEUTAN = [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]];
    const toLin = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    const toSrgb = (c: number) => {
      const x = Math.min(1, Math.max(0, c));
      return 255 * (x <= 0.0031308 ? 12.92 * x : 1.055 * x ** (1 / 2.4) - 0.055);
    };
    const seen = (hex: string, m: number[][]) => {
      const l = [1, 3, 5].map((i) => toLin(parseInt(hex.slice(i, i + 2), 16) / 255));
      return m.map((row) => toSrgb(row[0] * l[0] + row[1] * l[1] + row[2] * l[2]));
    };
    const dist = (a: number[], b: number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    for (let i = 1; i < PALETTE.length; i++) {
      for (const m of [PROTAN, DEUTAN]) {
        expect(dist(seen(PALETTE[i - 1], m), seen(PALETTE[i], m)), `${PALETTE[i - 1]} vs ${PALETTE[i]}`).toBeGreaterThan(100);
      }
    }
  });

  it("formats for humans", () => {
    expect(formatCompact(1_234_567)).toBe("1.2M");
    expect(formatCompact(null)).toBe("—");
    expect(formatPct(66.66)).toBe("66.7%");
    expect(formatChange(12.5)).toBe("+12.5%");
    expect(formatChange(-3)).toBe("−3.0%");
    expect(formatUsd(1234.5)).toBe("$1,234.50");
  });

  it("names the unit in tooltips, in the axis' scale", () => {
    expect(formatTooltip("tokens")(2_555_171)).toBe("2.56M tokens");
    expect(formatTooltip("percent")(42.25)).toBe("42.3%");
  });
});
