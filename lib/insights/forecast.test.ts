import { describe, expect, it } from "vitest";
import { addDaysTo, eachDay } from "@/lib/time/calendar";
import { forecastMonth, weekdayIndex, weekdayWeights } from "@/lib/insights/forecast";
import { monthEnd, monthOf } from "@/lib/insights/month";
import { goalState } from "@/lib/insights/goal-state";

// Expected values are worked out by hand from the rule in forecast.ts, day by day.

/** Weekdays `weekday`, weekends `weekend`, for every day from `from` to `to`. */
function rhythm(from: string, to: string, weekday: number, weekend: number): Map<string, number> {
  return new Map(eachDay(from, to).map((d) => [d, weekdayIndex(d) >= 5 ? weekend : weekday]));
}

describe("weekday rhythm", () => {
  it("knows ISO weekdays without the process's time zone", () => {
    expect(weekdayIndex("2026-11-30")).toBe(0); // Monday
    expect(weekdayIndex("2026-11-29")).toBe(6); // Sunday
    expect(weekdayIndex("2024-02-29")).toBe(3); // Thursday
  });

  it("weighs each weekday by its share of the last 8 weeks", () => {
    const today = "2026-11-16";
    const { weights, mean } = weekdayWeights(rhythm(addDaysTo(today, -56), today, 10, 3), today);
    expect(mean).toBeCloseTo((5 * 10 + 2 * 3) / 7, 10);
    expect(weights[0]).toBeCloseTo(10 / mean, 10);
    expect(weights[6]).toBeCloseTo(3 / mean, 10);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(7, 10);
  });

  it("without history every day weighs the same", () => {
    expect(weekdayWeights(new Map(), "2026-11-16").weights).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });
});

describe("forecastMonth", () => {
  it("projects a steady weekday/weekend rhythm exactly", () => {
    // November 2026: 1st is a Sunday; 30 days, 21 weekdays and 9 weekend days.
    const daily = rhythm("2026-09-01", "2026-11-30", 10, 3);
    const today = "2026-11-16"; // a Monday: 15 complete days (10 weekdays, 5 weekend days)
    const f = forecastMonth({ daily, start: "2026-11-01", end: "2026-11-30", today });
    expect(f.elapsedDays).toBe(15);
    expect(f.remainingDays).toBe(15);
    expect(f.actual).toBe(10 * 10 + 5 * 3 + 10); // today's 10 is counted
    expect(f.forecast).toBeCloseTo(21 * 10 + 9 * 3, 6);
  });

  it("differs from a linear forecast when the days left hold more weekends", () => {
    const daily = rhythm("2026-09-01", "2026-11-30", 10, 0);
    // 2026-11-23 (Mon): elapsed 1–22 → 15 weekdays; left 23–30 → 6 weekdays, 2 weekend days.
    const f = forecastMonth({ daily, start: "2026-11-01", end: "2026-11-30", today: "2026-11-23" });
    const linear = (150 / 22) * 30;
    expect(f.forecast).toBeCloseTo(210, 6);
    expect(f.forecast).not.toBeCloseTo(linear, 0);
  });

  it("on the 1st uses the last 8 weeks' mean as the rate", () => {
    const daily = rhythm("2026-09-01", "2026-11-30", 7, 7);
    daily.set("2026-11-01", 0);
    const f = forecastMonth({ daily, start: "2026-11-01", end: "2026-11-30", today: "2026-11-01" });
    expect(f.elapsedDays).toBe(0);
    expect(f.forecast).toBeCloseTo(7 * 30, 6);
  });

  it("on the month's last day projects only that day, and never below what is counted", () => {
    const daily = rhythm("2026-09-01", "2026-11-30", 10, 10);
    daily.set("2026-11-30", 500); // a busy last day, already in
    const f = forecastMonth({ daily, start: "2026-11-01", end: "2026-11-30", today: "2026-11-30" });
    expect(f.remainingDays).toBe(1);
    expect(f.actual).toBe(29 * 10 + 500);
    expect(f.forecast).toBe(f.actual);
  });

  it("a month that is over is its actual", () => {
    const daily = rhythm("2026-09-01", "2026-12-05", 2, 2);
    const f = forecastMonth({ daily, start: "2026-11-01", end: "2026-11-30", today: "2026-12-01" });
    expect(f.actual).toBe(60);
    expect(f.forecast).toBe(60);
  });

  it("February of a leap year has 29 days", () => {
    expect(monthEnd("2028-02-10")).toBe("2028-02-29");
    expect(monthEnd("2026-02-10")).toBe("2026-02-28");
    expect(monthEnd("2026-12-31")).toBe("2026-12-31");
  });
});

describe("the goal's month in WAKEBOARD_TZ", () => {
  it("23:30 UTC on 31 October is November in Berlin (after the DST change back) and October in New York", () => {
    const now = new Date("2026-10-31T23:30:00Z");
    expect(monthOf(now, "Europe/Berlin")).toMatchObject({ month: "2026-11", start: "2026-11-01", end: "2026-11-30", today: "2026-11-01" });
    expect(monthOf(now, "America/New_York")).toMatchObject({ month: "2026-10", today: "2026-10-31" });
    expect(monthOf(now, "UTC").month).toBe("2026-10");
  });

  it("the night the clocks go forward stays on its calendar day", () => {
    // 29 March 2026, 02:00 → 03:00 in Berlin: 00:30 UTC is 01:30 local, 01:30 UTC is 03:30 local.
    expect(monthOf(new Date("2026-03-29T00:30:00Z"), "Europe/Berlin").today).toBe("2026-03-29");
    expect(monthOf(new Date("2026-03-29T01:30:00Z"), "Europe/Berlin").today).toBe("2026-03-29");
    expect(monthOf(new Date("2026-03-31T22:30:00Z"), "Europe/Berlin").month).toBe("2026-04");
  });
});

describe("goal state", () => {
  it("targets: met, on track, at risk, missed", () => {
    expect(goalState("target", 100, 100, 100, false)).toBe("met");
    expect(goalState("target", 100, 50, 100, false)).toBe("on_track");
    expect(goalState("target", 100, 50, 99.9, false)).toBe("at_risk");
    expect(goalState("target", 100, 99, 99, true)).toBe("missed");
  });

  it("ceilings: on track at exactly the ceiling, at risk above it, missed once crossed", () => {
    expect(goalState("ceiling", 100, 50, 100, false)).toBe("on_track");
    expect(goalState("ceiling", 100, 50, 100.01, false)).toBe("at_risk");
    expect(goalState("ceiling", 100, 100.01, 120, false)).toBe("missed");
    expect(goalState("ceiling", 100, 100, 100, true)).toBe("met");
  });
});
