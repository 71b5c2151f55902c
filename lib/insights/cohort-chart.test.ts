import { describe, expect, it } from "vitest";
import { cohortRows } from "@/lib/insights/cohort-chart";
import type { AdoptionCohorts } from "@/lib/queries/get-adoption-cohorts";

const counts = (none: number, light: number, moderate: number, heavy: number) => ({ none, light, moderate, heavy });

describe("cohort chart rows", () => {
  it("stack each week's buckets and draw moves down below zero, none for the first week", () => {
    const c = {
      weeks: [
        { week: "2026-W47", counts: counts(3, 2, 1, 0), up: 0, down: 0 },
        { week: "2026-W48", counts: counts(2, 2, 1, 1), up: 2, down: 1 },
      ],
    } as unknown as AdoptionCohorts;
    const { buckets, movement } = cohortRows(c);
    expect(buckets).toEqual([
      { label: "2026-W47", none: 3, light: 2, moderate: 1, heavy: 0 },
      { label: "2026-W48", none: 2, light: 2, moderate: 1, heavy: 1 },
    ]);
    expect(movement).toEqual([
      { label: "2026-W47", up: null, down: null },
      { label: "2026-W48", up: 2, down: -1 },
    ]);
  });
});
