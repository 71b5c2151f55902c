import { addDaysTo, dayOf, type IsoDate } from "@/lib/time/calendar";

// A goal's month is a calendar month in WAKEBOARD_TZ: the instant `now` falls on a day in the
// reporting zone first, so 23:30 UTC on 31 October is already November in Berlin.

export interface MonthWindow {
  /** "2026-11" */
  month: string;
  start: IsoDate;
  end: IsoDate;
  /** Today in the reporting zone (inside the month). */
  today: IsoDate;
}

/** The last day of the month `day` falls in. */
export function monthEnd(day: IsoDate): IsoDate {
  const [y, m] = day.split("-").map(Number);
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
  return addDaysTo(next, -1);
}

export function monthOf(now: Date, tz: string): MonthWindow {
  const today = dayOf(now, tz);
  const month = today.slice(0, 7);
  return { month, start: `${month}-01`, end: monthEnd(today), today };
}
