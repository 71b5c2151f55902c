import { z } from "zod";
import { addDaysTo, eachDay, isoWeekOf, mondayOf, shortDate, type IsoDate } from "@/lib/time/calendar";

// Trend charts group days into buckets: one per day, or one per ISO week (Monday start).
// A week bucket at the edge of a period is clipped to the period, so totals add up.
// A bucket that is not a whole, finished day or week ("partial": clipped, or still running)
// is flagged so charts draw it differently and labels say "so far": its smaller total is
// not a dip.

export const grainParam = z.enum(["day", "week"]);
export type Grain = z.infer<typeof grainParam>;

export interface Bucket {
  /** The bucket's first day (the Monday for weeks, even when clipped) — a stable key. */
  key: IsoDate;
  from: IsoDate;
  to: IsoDate;
  label: string;
  /** Not a complete day or week: clipped by the period's edge, or reaching today. */
  partial: boolean;
  /** Reaches today: still filling up ("so far"). */
  inProgress: boolean;
}

export function bucketKey(day: IsoDate, grain: Grain): IsoDate {
  return grain === "day" ? day : mondayOf(day);
}

/** The buckets of a range; with `today`, those reaching it are marked in progress. */
export function bucketsOf(range: { from: IsoDate; to: IsoDate; today?: IsoDate }, grain: Grain): Bucket[] {
  const today = range.today;
  if (grain === "day") {
    return eachDay(range.from, range.to).map((d) => {
      const live = today !== undefined && d >= today;
      return { key: d, from: d, to: d, label: live ? `${shortDate(d)} (so far)` : shortDate(d), partial: live, inProgress: live };
    });
  }
  const out: Bucket[] = [];
  for (let monday = mondayOf(range.from); monday <= range.to; monday = addDaysTo(monday, 7)) {
    const from = monday < range.from ? range.from : monday;
    const sunday = addDaysTo(monday, 6);
    const to = sunday > range.to ? range.to : sunday;
    // "This week" is running when today falls in it, or when the period stops right before today.
    const live = today !== undefined && sunday >= today && to >= addDaysTo(today, -1);
    const clipped = from !== monday || to !== sunday;
    const label = live ? `${isoWeekOf(monday)} (so far)` : clipped ? `${isoWeekOf(monday)} (part)` : isoWeekOf(monday);
    out.push({ key: monday, from, to, label, partial: clipped || live, inProgress: live });
  }
  return out;
}
