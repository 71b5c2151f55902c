import { describe, expect, it } from "vitest";
import { activitySlices } from "@/lib/queries/aggregate-usage";

describe("activity bitmap slices", () => {
  it("cover a window with one mask per month it touches", () => {
    expect(activitySlices([{ from: "2026-10-30", to: "2026-11-02" }], null)).toEqual([
      { w: 1, bucket: null, month: "2026-10-01", mask: (1 << 29) | (1 << 30) },
      { w: 1, bucket: null, month: "2026-11-01", mask: 0b11 },
    ]);
  });

  it("split buckets, a week across a month end giving two slices of one bucket", () => {
    const s = activitySlices([{ from: "2026-11-28", to: "2026-12-01" }], "week");
    expect(s).toEqual([
      { w: 1, bucket: "2026-11-23", month: "2026-11-01", mask: (1 << 27) | (1 << 28) },
      { w: 1, bucket: "2026-11-30", month: "2026-11-01", mask: 1 << 29 },
      { w: 1, bucket: "2026-11-30", month: "2026-12-01", mask: 1 },
    ]);
    expect(activitySlices([{ from: "2026-11-01", to: "2026-11-03" }, { from: "2026-10-01", to: "2026-10-01" }], "day")).toHaveLength(4);
  });
});
