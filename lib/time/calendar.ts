import { TZDate } from "@date-fns/tz";
import { addDays, differenceInCalendarDays, format, getISODay, getISOWeek, getISOWeekYear, getISOWeeksInYear } from "date-fns";

// Calendar days are plain "YYYY-MM-DD" strings, the same text PostgreSQL's `date` prints.
// Arithmetic runs on TZDate values pinned to UTC so the process's own time zone never
// shifts a day; the reporting zone (WAKEBOARD_TZ) only matters when an instant becomes a day.

export type IsoDate = string;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function toUtc(day: IsoDate): TZDate {
  const m = DATE_RE.exec(day);
  if (!m) throw new RangeError(`not a date: ${day}`);
  return new TZDate(Number(m[1]), Number(m[2]) - 1, Number(m[3]), "UTC");
}

const fmt = (d: Date): IsoDate => format(d, "yyyy-MM-dd");

/** True for a real calendar date in YYYY-MM-DD form (rejects 2026-02-30). */
export function isIsoDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  return fmt(toUtc(s)) === s;
}

/** The calendar day an instant falls on in `tz`. */
export function dayOf(instant: Date, tz: string): IsoDate {
  return fmt(new TZDate(instant.getTime(), tz));
}

/** The instant a calendar day starts in `tz` (its local midnight). */
export function dayStart(day: IsoDate, tz: string): Date {
  const m = DATE_RE.exec(day)!;
  return new Date(new TZDate(Number(m[1]), Number(m[2]) - 1, Number(m[3]), tz).getTime());
}

export function addDaysTo(day: IsoDate, n: number): IsoDate {
  return fmt(addDays(toUtc(day), n));
}

/** Days from `a` to `b` (b − a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return differenceInCalendarDays(toUtc(b), toUtc(a));
}

/** Every day from `from` to `to`, both included. */
export function eachDay(from: IsoDate, to: IsoDate): IsoDate[] {
  const n = daysBetween(from, to);
  return Array.from({ length: Math.max(0, n + 1) }, (_, i) => addDaysTo(from, i));
}

/** ISO week of a day, e.g. "2026-W48" (2024-12-30 is 2025-W01). */
export function isoWeekOf(day: IsoDate): string {
  const d = toUtc(day);
  return `${getISOWeekYear(d)}-W${String(getISOWeek(d)).padStart(2, "0")}`;
}

/** The Monday starting the ISO week of `day`. */
export function mondayOf(day: IsoDate): IsoDate {
  return addDaysTo(day, 1 - getISODay(toUtc(day)));
}

const WEEK_RE = /^(\d{4})-W(\d{2})$/;

/** Monday of an ISO week such as "2026-W53", or null when the week does not exist. */
export function isoWeekStart(week: string): IsoDate | null {
  const m = WEEK_RE.exec(week);
  if (!m) return null;
  const n = Number(m[2]);
  // January 4th is always in week 1.
  const jan4 = `${m[1]}-01-04`;
  if (n < 1 || n > getISOWeeksInYear(toUtc(jan4))) return null;
  return addDaysTo(mondayOf(jan4), 7 * (n - 1));
}

/** "23 Nov" or "23 Nov 2026". */
export function shortDate(day: IsoDate, withYear = false): string {
  return format(toUtc(day), withYear ? "d MMM yyyy" : "d MMM");
}
