import { describe, expect, it } from "vitest";
import { lastCompleteWeek } from "@/lib/time/period";
import { adoptionDropped, ceilingLevelsReached, crossingKey, ruleInput, toolSilent, USUALLY_REPORTS_DAYS } from "@/lib/insights/rules";

describe("ceiling crossings", () => {
  it("exactly 80 % crosses 80 %, a cent less does not", () => {
    expect(ceilingLevelsReached(80, 100)).toEqual([80]);
    expect(ceilingLevelsReached(79.99, 100)).toEqual([]);
    // 0.8 × 0.1 is not exactly 0.08 in floating point: the comparison must not depend on it.
    expect(ceilingLevelsReached(0.08, 0.1)).toEqual([80]);
    expect(ceilingLevelsReached(400, 500)).toEqual([80]);
  });

  it("exactly 100 % crosses both levels", () => {
    expect(ceilingLevelsReached(100, 100)).toEqual([80, 100]);
    expect(ceilingLevelsReached(99.999, 100)).toEqual([80]);
    expect(ceilingLevelsReached(1000, 100)).toEqual([80, 100]);
  });

  it("each month is a new crossing; the same month is the same", () => {
    expect(crossingKey.ceiling(1, 2, "2026-11", 80)).toBe(crossingKey.ceiling(1, 2, "2026-11", 80));
    expect(crossingKey.ceiling(1, 2, "2026-11", 80)).not.toBe(crossingKey.ceiling(1, 2, "2026-12", 80));
    expect(crossingKey.ceiling(1, 2, "2026-11", 80)).not.toBe(crossingKey.ceiling(1, 2, "2026-11", 100));
  });
});

describe("adoption drop", () => {
  it("fires on more than N points, not on exactly N", () => {
    expect(adoptionDropped(42.0, 37.0, 5)).toBe(false);
    expect(adoptionDropped(42.1, 37.0, 5)).toBe(true);
    // 0.3 − 0.1 style float noise must not push an exact 5-point drop over the edge
    expect(adoptionDropped(45.3, 40.3, 5)).toBe(false);
    expect(adoptionDropped(40, 45, 5)).toBe(false);
  });

  it("no headcount in either week → no alert", () => {
    expect(adoptionDropped(null, 10, 5)).toBe(false);
    expect(adoptionDropped(50, null, 5)).toBe(false);
  });

  it("the week compared is the last complete ISO week in WAKEBOARD_TZ", () => {
    // Monday 00:30 in Berlin is still Sunday 23:30 UTC.
    const mondayBerlin = new Date("2026-11-29T23:30:00Z");
    expect(lastCompleteWeek({ tz: "Europe/Berlin", now: mondayBerlin })).toBe("2026-W48");
    expect(lastCompleteWeek({ tz: "UTC", now: mondayBerlin })).toBe("2026-W47");
    // ISO week 1 of 2025 starts on 30 Dec 2024; W53 exists in 2026.
    expect(lastCompleteWeek({ tz: "UTC", now: new Date("2025-01-06T12:00:00Z") })).toBe("2025-W01");
    expect(lastCompleteWeek({ tz: "UTC", now: new Date("2027-01-04T12:00:00Z") })).toBe("2026-W53");
    // New York across the DST change (1 Nov 2026): Monday 2 Nov 00:30 local is 05:30 UTC.
    expect(lastCompleteWeek({ tz: "America/New_York", now: new Date("2026-11-02T05:30:00Z") })).toBe("2026-W44");
    expect(lastCompleteWeek({ tz: "America/New_York", now: new Date("2026-11-02T04:30:00Z") })).toBe("2026-W43");
    expect(crossingKey.adoptionDrop(3, "2026-W53")).not.toBe(crossingKey.adoptionDrop(3, "2027-W01"));
  });
});

describe("tool silent", () => {
  const last = new Date("2026-11-30T12:00:00Z");
  it("exactly N hours of silence is not yet an alert; a millisecond more is", () => {
    expect(toolSilent(last, new Date("2026-12-01T12:00:00Z"), 24)).toBe(false);
    expect(toolSilent(last, new Date("2026-12-01T12:00:00.001Z"), 24)).toBe(true);
  });

  it("a tool silent for longer than it counts as usually reporting is retired, not alerted", () => {
    const edge = new Date(last.getTime() + USUALLY_REPORTS_DAYS * 86_400_000);
    expect(toolSilent(last, edge, 24)).toBe(true);
    expect(toolSilent(last, new Date(edge.getTime() + 1), 24)).toBe(false);
    expect(toolSilent(null, edge, 24)).toBe(false);
  });

  it("each outage is its own crossing", () => {
    expect(crossingKey.toolSilent(1, "codex", last)).not.toBe(crossingKey.toolSilent(1, "codex", new Date(last.getTime() + 1000)));
  });
});

describe("rule input", () => {
  it("fills the default threshold and checks its range", () => {
    expect(ruleInput.parse({ kind: "adoption_drop", team: "" })).toEqual({ kind: "adoption_drop", team: null, threshold: 5 });
    expect(ruleInput.parse({ kind: "ceiling", team: "Payments", threshold: "7" })).toEqual({ kind: "ceiling", team: "payments", threshold: null });
    expect(ruleInput.safeParse({ kind: "tool_silent", threshold: "0" }).success).toBe(false);
  });
});
