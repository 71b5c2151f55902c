import { describe, expect, it } from "vitest";
import { bucketsOf } from "@/lib/time/buckets";
import {
  formatPeriodParam,
  inFuture,
  inProgress,
  lastCompleteWeek,
  periodLabel,
  periodOrDefault,
  periodParam,
  previousPeriod,
  resolvePeriod,
} from "@/lib/time/period";
import { dayStart } from "@/lib/time/calendar";

const now = new Date("2026-11-29T02:00:00Z"); // Sunday in UTC, still Saturday in New York

describe("periods", () => {
  it("makes the last N days the N complete days ending yesterday in the reporting zone", () => {
    expect(resolvePeriod("7d", { tz: "UTC", now })).toEqual({ kind: "days", days: 7, from: "2026-11-22", to: "2026-11-28", today: "2026-11-29" });
    expect(resolvePeriod("7d", { tz: "America/New_York", now })).toMatchObject({ from: "2026-11-21", to: "2026-11-27", today: "2026-11-28" });
    expect(resolvePeriod("7d", { tz: "Asia/Kolkata", now })).toMatchObject({ from: "2026-11-22", to: "2026-11-28" });
    expect(inProgress(resolvePeriod("30d", { tz: "UTC", now }))).toBe(false);
  });

  it("has a live Today period, in progress and labelled so", () => {
    const p = resolvePeriod("today", { tz: "UTC", now });
    expect(p).toEqual({ kind: "today", from: "2026-11-29", to: "2026-11-29", today: "2026-11-29" });
    expect(inProgress(p)).toBe(true);
    expect(periodLabel(p)).toBe("Today (so far)");
    expect(previousPeriod(p)).toMatchObject({ from: "2026-11-28", to: "2026-11-28" });
    expect(formatPeriodParam(p)).toBe("today");
  });

  it("turns over at local midnight, also on the days clocks change", () => {
    // Europe/Berlin leaves summer time on 2026-10-25 (a 25-hour day) and enters it on 2026-03-29 (23 hours).
    const tz = "Europe/Berlin";
    const justBefore = new Date(dayStart("2026-10-26", tz).getTime() - 1);
    const justAfter = dayStart("2026-10-26", tz);
    expect(resolvePeriod("7d", { tz, now: justBefore })).toMatchObject({ from: "2026-10-18", to: "2026-10-24" });
    expect(resolvePeriod("7d", { tz, now: justAfter })).toMatchObject({ from: "2026-10-19", to: "2026-10-25" });
    expect(dayStart("2026-10-26", tz).getTime() - dayStart("2026-10-25", tz).getTime()).toBe(25 * 3_600_000);
    expect(dayStart("2026-03-30", tz).getTime() - dayStart("2026-03-29", tz).getTime()).toBe(23 * 3_600_000);
    expect(resolvePeriod("1d", { tz, now: new Date("2026-03-29T22:30:00Z") })).toMatchObject({ from: "2026-03-29", to: "2026-03-29", today: "2026-03-30" });
    // New York: 01:30 local on the day clocks go back is still that day.
    expect(resolvePeriod("today", { tz: "America/New_York", now: new Date("2026-11-01T05:30:00Z") })).toMatchObject({ from: "2026-11-01" });
  });

  it("reads ISO weeks, including week 53, and custom ranges; flags the running and future ones", () => {
    expect(resolvePeriod("2026-W53", { tz: "UTC", now })).toEqual({ kind: "week", week: "2026-W53", from: "2026-12-28", to: "2027-01-03", today: "2026-11-29" });
    expect(resolvePeriod("2026-11-01..2026-11-28", { tz: "UTC", now })).toEqual({ kind: "range", from: "2026-11-01", to: "2026-11-28", today: "2026-11-29" });
    const thisWeek = resolvePeriod("2026-W48", { tz: "UTC", now }); // Mon 23 – Sun 29 Nov: today is its last day
    expect([inProgress(thisWeek), inFuture(thisWeek)]).toEqual([true, false]);
    expect(periodLabel(thisWeek)).toBe("2026-W48 · 23 Nov – 29 Nov 2026 (so far)");
    const next = resolvePeriod("2026-W49", { tz: "UTC", now });
    expect([inProgress(next), inFuture(next)]).toEqual([true, true]);
    expect(inProgress(resolvePeriod("2026-W47", { tz: "UTC", now }))).toBe(false);
  });

  it("gives the previous period of equal length", () => {
    expect(previousPeriod(resolvePeriod("30d", { tz: "UTC", now }))).toEqual({ kind: "range", from: "2026-09-30", to: "2026-10-29", today: "2026-11-29" });
    expect(previousPeriod(resolvePeriod("2025-W01", { tz: "UTC", now }))).toMatchObject({ kind: "week", week: "2024-W52", from: "2024-12-23", to: "2024-12-29" });
    expect(previousPeriod(resolvePeriod("2026-11-10..2026-11-12", { tz: "UTC", now }))).toMatchObject({ kind: "range", from: "2026-11-07", to: "2026-11-09" });
  });

  it("validates the URL parameter with zod and round-trips it", () => {
    for (const ok of ["today", "1d", "7d", "90d", "731d", "2026-W48", "2026-W53", "2026-01-01..2026-01-31"]) {
      expect(periodParam.safeParse(ok).success).toBe(true);
      expect(formatPeriodParam(resolvePeriod(ok, { tz: "UTC", now }))).toBe(ok);
    }
    for (const bad of ["0d", "999d", "9999d", "2025-W53", "2026-02-30..2026-03-01", "2026-03-01..2026-02-01", "week", "", "yesterday"]) {
      expect(periodParam.safeParse(bad).success).toBe(false);
    }
    expect(periodOrDefault("nonsense", { tz: "UTC", now })).toMatchObject({ kind: "days", days: 30 });
  });

  it("labels periods for people (no “Last 1 days”)", () => {
    expect(periodLabel(resolvePeriod("30d", { tz: "UTC", now }))).toBe("Last 30 days");
    expect(periodLabel(resolvePeriod("1d", { tz: "UTC", now }))).toBe("Yesterday");
    expect(periodLabel(resolvePeriod("2026-W47", { tz: "UTC", now }))).toBe("2026-W47 · 16 Nov – 22 Nov 2026");
    expect(lastCompleteWeek({ tz: "UTC", now })).toBe("2026-W47");
  });

  it("buckets a period by day or by clipped ISO week, marking partial and running buckets", () => {
    const b = bucketsOf({ from: "2026-11-20", to: "2026-12-01" }, "week");
    expect(b.map((x) => [x.key, x.from, x.to, x.partial])).toEqual([
      ["2026-11-16", "2026-11-20", "2026-11-22", true],
      ["2026-11-23", "2026-11-23", "2026-11-29", false],
      ["2026-11-30", "2026-11-30", "2026-12-01", true],
    ]);
    expect(b.map((x) => x.label)).toEqual(["2026-W47 (part)", "2026-W48", "2026-W49 (part)"]);
    expect(bucketsOf({ from: "2026-11-20", to: "2026-11-22" }, "day")).toHaveLength(3);
    // Last 90 days seen on Wednesday 2 Dec: the week of Mon 30 Nov is running ("so far").
    const p = resolvePeriod("90d", { tz: "UTC", now: new Date("2026-12-02T10:00:00Z") });
    const weeks = bucketsOf(p, "week");
    expect(weeks.at(-1)).toMatchObject({ key: "2026-11-30", to: "2026-12-01", partial: true, inProgress: true, label: "2026-W49 (so far)" });
    expect(weeks.at(-2)).toMatchObject({ partial: false, inProgress: false });
    // By day, a period ending yesterday has no running bucket; Today's one bucket is running.
    expect(bucketsOf(p, "day").some((x) => x.partial)).toBe(false);
    expect(bucketsOf(resolvePeriod("today", { tz: "UTC", now }), "day")).toMatchObject([{ inProgress: true, label: "29 Nov (so far)" }]);
  });
});
