import { describe, expect, it } from "vitest";
import { bucketsOf } from "@/lib/time/buckets";
import {
  formatPeriodParam,
  lastCompleteWeek,
  periodLabel,
  periodOrDefault,
  periodParam,
  previousPeriod,
  resolvePeriod,
} from "@/lib/time/period";

const now = new Date("2026-11-29T02:00:00Z"); // Sunday in UTC, still Saturday in New York

describe("periods", () => {
  it("makes the last N days end today in the reporting zone", () => {
    expect(resolvePeriod("7d", { tz: "UTC", now })).toEqual({ kind: "days", days: 7, from: "2026-11-23", to: "2026-11-29" });
    expect(resolvePeriod("7d", { tz: "America/New_York", now })).toMatchObject({ from: "2026-11-22", to: "2026-11-28" });
    expect(resolvePeriod("1d", { tz: "UTC", now })).toMatchObject({ from: "2026-11-29", to: "2026-11-29" });
  });

  it("reads ISO weeks, including week 53, and custom ranges", () => {
    expect(resolvePeriod("2026-W53", { tz: "UTC", now })).toEqual({ kind: "week", week: "2026-W53", from: "2026-12-28", to: "2027-01-03" });
    expect(resolvePeriod("2026-11-01..2026-11-28", { tz: "UTC", now })).toEqual({ kind: "range", from: "2026-11-01", to: "2026-11-28" });
  });

  it("gives the previous period of equal length", () => {
    expect(previousPeriod(resolvePeriod("30d", { tz: "UTC", now }))).toEqual({ kind: "range", from: "2026-10-01", to: "2026-10-30" });
    expect(previousPeriod(resolvePeriod("2025-W01", { tz: "UTC", now }))).toEqual({ kind: "week", week: "2024-W52", from: "2024-12-23", to: "2024-12-29" });
    expect(previousPeriod(resolvePeriod("2026-11-10..2026-11-12", { tz: "UTC", now }))).toEqual({ kind: "range", from: "2026-11-07", to: "2026-11-09" });
  });

  it("validates the URL parameter with zod and round-trips it", () => {
    for (const ok of ["7d", "90d", "2026-W48", "2026-W53", "2026-01-01..2026-01-31"]) {
      expect(periodParam.safeParse(ok).success).toBe(true);
      expect(formatPeriodParam(resolvePeriod(ok, { tz: "UTC", now }))).toBe(ok);
    }
    for (const bad of ["0d", "999d", "2025-W53", "2026-02-30..2026-03-01", "2026-03-01..2026-02-01", "week", ""]) {
      expect(periodParam.safeParse(bad).success).toBe(false);
    }
    expect(periodOrDefault("nonsense", { tz: "UTC", now })).toMatchObject({ kind: "days", days: 30 });
  });

  it("labels periods for people", () => {
    expect(periodLabel(resolvePeriod("30d", { tz: "UTC", now }))).toBe("Last 30 days");
    expect(periodLabel(resolvePeriod("2026-W48", { tz: "UTC", now }))).toBe("2026-W48 · 23 Nov – 29 Nov 2026");
    expect(lastCompleteWeek({ tz: "UTC", now })).toBe("2026-W47");
  });

  it("buckets a period by day or by clipped ISO week", () => {
    const b = bucketsOf({ from: "2026-11-20", to: "2026-12-01" }, "week");
    expect(b.map((x) => [x.key, x.from, x.to])).toEqual([
      ["2026-11-16", "2026-11-20", "2026-11-22"],
      ["2026-11-23", "2026-11-23", "2026-11-29"],
      ["2026-11-30", "2026-11-30", "2026-12-01"],
    ]);
    expect(b.map((x) => x.label)).toEqual(["2026-W47 (part)", "2026-W48", "2026-W49 (part)"]);
    expect(bucketsOf({ from: "2026-11-20", to: "2026-11-22" }, "day")).toHaveLength(3);
  });
});
