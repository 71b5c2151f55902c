import { describe, expect, it } from "vitest";
import { comparable, growth, rankMove, reasonText } from "@/lib/queries/growth";
import { previousPeriod, resolvePeriod } from "@/lib/time/period";

const now = new Date("2026-11-29T12:00:00Z");
const week = resolvePeriod("7d", { tz: "UTC", now }); // 22–28 Nov
const prev = previousPeriod(week); // 15–21 Nov
const ctx = (firstDay: string | null, period = week) => ({ period, previous: previousPeriod(period), firstDay });

describe("growth rules", () => {
  it("compares complete periods when the data covers the whole previous one", () => {
    expect(growth(150_000, 100_000, ctx("2026-10-01"))).toEqual({ pct: 50, reason: null });
    expect(growth(100_000, 100_000, ctx(prev.from))).toEqual({ pct: 0, reason: null });
  });

  it("is empty, with the reason, when the data starts inside the previous period", () => {
    const c = ctx("2026-11-18");
    expect(growth(700_000, 10_000, c)).toEqual({ pct: null, reason: "no-history" });
    expect(reasonText("no-history", c)).toMatch(/Data starts 18 Nov 2026, inside the previous period \(15 Nov – 21 Nov 2026\)/);
  });

  it("never compares a period that is still running", () => {
    const today = resolvePeriod("today", { tz: "UTC", now });
    expect(growth(10, 100_000, ctx("2026-01-01", today))).toEqual({ pct: null, reason: "in-progress" });
    const thisWeek = resolvePeriod("2026-W48", { tz: "UTC", now });
    expect(comparable(ctx("2026-01-01", thisWeek))).toBe("in-progress");
  });

  it("needs a minimum base (no “+21383.8 % vs $0.20”)", () => {
    expect(growth(43, 0.2, ctx("2026-01-01"), "usd")).toEqual({ pct: null, reason: "small-base" });
    expect(growth(2_000_000, 9_000, ctx("2026-01-01"))).toEqual({ pct: null, reason: "small-base" });
    expect(growth(5, 0, ctx("2026-01-01"))).toEqual({ pct: null, reason: "no-previous" });
    expect(growth(0, 0, ctx("2026-01-01"))).toEqual({ pct: null, reason: "no-usage" });
    expect(growth(0, 0, ctx(null))).toEqual({ pct: null, reason: "no-usage" });
  });

  it("moves ranks only for units with a value now, history, and a value before", () => {
    const full = ctx("2026-01-01");
    expect(rankMove(2, 5, { hasValue: true, hadValue: true, ctx: full })).toMatchObject({ change: 3, status: "moved" });
    // A team with 0 tokens never climbs (ties at the bottom used to show ▲24).
    expect(rankMove(20, 44, { hasValue: false, hadValue: false, ctx: full })).toMatchObject({ change: null, status: "none" });
    expect(rankMove(20, 44, { hasValue: false, hadValue: true, ctx: full })).toMatchObject({ change: null, status: "none" });
    // Usage now, none before: new. No usage in either period: not new.
    expect(rankMove(3, 40, { hasValue: true, hadValue: false, ctx: full })).toMatchObject({ change: null, status: "new" });
    // Data starting inside the previous period: no rank change.
    expect(rankMove(3, 10, { hasValue: true, hadValue: true, ctx: ctx("2026-11-18") })).toMatchObject({ change: null, status: "none", reason: "no-history" });
    expect(rankMove(3, 10, { hasValue: true, hadValue: true, ctx: ctx("2026-01-01", resolvePeriod("today", { tz: "UTC", now })) })).toMatchObject({ change: null, reason: "in-progress" });
  });
});
