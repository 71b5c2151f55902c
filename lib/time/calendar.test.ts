import { describe, expect, it } from "vitest";
import { addDaysTo, dayOf, dayStart, eachDay, isIsoDate, isoWeekOf, isoWeekStart, mondayOf } from "@/lib/time/calendar";

describe("calendar days", () => {
  it("names ISO weeks by the Thursday rule", () => {
    expect(isoWeekOf("2024-12-30")).toBe("2025-W01");
    expect(isoWeekOf("2026-11-29")).toBe("2026-W48");
    expect(isoWeekOf("2026-11-30")).toBe("2026-W49");
    expect(isoWeekOf("2026-12-31")).toBe("2026-W53");
    expect(isoWeekOf("2027-01-03")).toBe("2026-W53");
    expect(isoWeekOf("2021-01-03")).toBe("2020-W53");
  });

  it("finds the Monday of an ISO week and refuses weeks that do not exist", () => {
    expect(isoWeekStart("2026-W48")).toBe("2026-11-23");
    expect(isoWeekStart("2025-W01")).toBe("2024-12-30");
    expect(isoWeekStart("2026-W53")).toBe("2026-12-28");
    expect(isoWeekStart("2025-W53")).toBeNull();
    expect(isoWeekStart("2026-W00")).toBeNull();
    expect(mondayOf("2026-11-29")).toBe("2026-11-23");
  });

  it("takes the day of an instant in the reporting zone", () => {
    const t = new Date("2026-11-24T03:00:00Z");
    expect(dayOf(t, "UTC")).toBe("2026-11-24");
    expect(dayOf(t, "America/New_York")).toBe("2026-11-23");
    expect(dayOf(new Date("2026-11-23T23:30:00Z"), "Asia/Tokyo")).toBe("2026-11-24");
  });

  it("starts a day at local midnight, also on a DST change", () => {
    expect(dayStart("2026-11-24", "UTC").toISOString()).toBe("2026-11-24T00:00:00.000Z");
    expect(dayStart("2026-03-29", "Europe/Berlin").toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(dayStart("2026-03-30", "Europe/Berlin").toISOString()).toBe("2026-03-29T22:00:00.000Z");
  });

  it("counts calendar days without drifting across DST", () => {
    expect(addDaysTo("2026-03-28", 2)).toBe("2026-03-30");
    expect(eachDay("2026-10-24", "2026-10-27")).toEqual(["2026-10-24", "2026-10-25", "2026-10-26", "2026-10-27"]);
    expect(eachDay("2026-10-27", "2026-10-24")).toEqual([]);
    expect(isIsoDate("2026-02-30")).toBe(false);
    expect(isIsoDate("2028-02-29")).toBe(true);
  });
});
