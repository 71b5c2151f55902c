import { z } from "zod";
import { addDaysTo, eachDay, isoWeekOf, mondayOf, shortDate, type IsoDate } from "@/lib/time/calendar";

// Trend charts group days into buckets: one per day, or one per ISO week (Monday start).
// A week bucket at the edge of a period is clipped to the period, so totals add up.

export const grainParam = z.enum(["day", "week"]);
export type Grain = z.infer<typeof grainParam>;

export interface Bucket {
  /** The bucket's first day (the Monday for weeks, even when clipped) — a stable key. */
  key: IsoDate;
  from: IsoDate;
  to: IsoDate;
  label: string;
}

export function bucketKey(day: IsoDate, grain: Grain): IsoDate {
  return grain === "day" ? day : mondayOf(day);
}

export function bucketsOf(range: { from: IsoDate; to: IsoDate }, grain: Grain): Bucket[] {
  if (grain === "day") return eachDay(range.from, range.to).map((d) => ({ key: d, from: d, to: d, label: shortDate(d) }));
  const out: Bucket[] = [];
  for (let monday = mondayOf(range.from); monday <= range.to; monday = addDaysTo(monday, 7)) {
    const from = monday < range.from ? range.from : monday;
    const sunday = addDaysTo(monday, 6);
    const to = sunday > range.to ? range.to : sunday;
    // A week cut by the period's edge is marked, so its smaller total is not read as a dip.
    out.push({ key: monday, from, to, label: from === monday && to === sunday ? isoWeekOf(monday) : `${isoWeekOf(monday)} (part)` });
  }
  return out;
}
