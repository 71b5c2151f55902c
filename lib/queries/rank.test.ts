import { describe, expect, it } from "vitest";
import { competitionRank, rankChange } from "@/lib/queries/rank";
import { adoptionPct, growthPct, metricValue, perEngineer, ZERO } from "@/lib/queries/metrics";

describe("competition ranking", () => {
  it("ranks 1, 2, 2, 4 with ties listed by slug", () => {
    const ranked = competitionRank([
      { slug: "delta", value: 5 },
      { slug: "charlie", value: 7 },
      { slug: "alpha", value: 9 },
      { slug: "bravo", value: 7 },
    ]);
    expect(ranked.map((r) => [r.slug, r.rank])).toEqual([
      ["alpha", 1],
      ["bravo", 2],
      ["charlie", 2],
      ["delta", 4],
    ]);
  });

  it("puts items without a value last, unranked, by slug", () => {
    const ranked = competitionRank([
      { slug: "b", value: null },
      { slug: "a", value: null },
      { slug: "c", value: 0 },
      { slug: "d", value: 0 },
    ]);
    expect(ranked.map((r) => [r.slug, r.rank])).toEqual([
      ["c", 1],
      ["d", 1],
      ["a", null],
      ["b", null],
    ]);
  });

  it("measures rank change as previous minus current", () => {
    expect(rankChange(2, 5)).toBe(3);
    expect(rankChange(5, 2)).toBe(-3);
    expect(rankChange(1, null)).toBeNull();
  });
});

describe("metric definitions", () => {
  it("leaves adoption and per-engineer figures empty when headcount is 0", () => {
    expect(adoptionPct(3, 0)).toBeNull();
    expect(perEngineer(100, 0)).toBeNull();
    expect(adoptionPct(2, 3)).toBe(66.7);
    expect(perEngineer(1000, 3)).toBe(333.3);
  });

  it("leaves growth empty when the previous value is 0", () => {
    expect(growthPct(10, 0)).toBeNull();
    expect(growthPct(15, 10)).toBe(50);
    expect(growthPct(5, 10)).toBe(-50);
  });

  it("takes growth from tokens", () => {
    const cur = { ...ZERO, tokens: 300, invocations: 1, headcount: 1 };
    const prev = { ...ZERO, tokens: 200, invocations: 10, headcount: 1 };
    expect(metricValue("growth", cur, prev)).toBe(50);
    expect(metricValue("invocations", cur)).toBe(1);
  });
});
