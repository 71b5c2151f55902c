import { z } from "zod";
import { addDaysTo, dayOf, daysBetween, isIsoDate, isoWeekOf, isoWeekStart, shortDate, type IsoDate } from "@/lib/time/calendar";

// A reporting period is a closed range of calendar days in WAKEBOARD_TZ (DESIGN.md §5):
// the last N complete days ending yesterday, "today" (live, in progress), an ISO week, or a
// custom range. In a URL it is one `period` parameter: "30d", "today", "2026-W48" or
// "2026-11-01..2026-11-28".
//
// Why yesterday: a day that is still running holds a fraction of a day's usage. Counting it
// as a full day made every 7-day figure look like a drop. Today is a period of its own, and
// any period that reaches today is "in progress": drawn as such, never compared.

export const MAX_PERIOD_DAYS = 731;

interface Resolved {
  from: IsoDate;
  to: IsoDate;
  /** The reporting day the period was resolved on (today in WAKEBOARD_TZ). */
  today: IsoDate;
}

export type Period =
  | ({ kind: "days"; days: number } & Resolved)
  | ({ kind: "today" } & Resolved)
  | ({ kind: "week"; week: string } & Resolved)
  | ({ kind: "range" } & Resolved);

export const DEFAULT_PERIOD = "30d";

const DAYS_RE = /^(\d{1,4})d$/;
const RANGE_RE = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/;

/** Why a period parameter is not valid, or null when it is. */
export function periodParamError(raw: string): string | null {
  if (raw === "today") return null;
  const days = DAYS_RE.exec(raw);
  if (days) {
    const n = Number(days[1]);
    return n >= 1 && n <= MAX_PERIOD_DAYS ? null : `must be between 1d and ${MAX_PERIOD_DAYS}d`;
  }
  if (/^\d{4}-W\d{2}$/.test(raw)) return isoWeekStart(raw) ? null : `${raw} is not an ISO week of that year`;
  const range = RANGE_RE.exec(raw);
  if (range) {
    const [, from, to] = range;
    if (!isIsoDate(from) || !isIsoDate(to)) return "has a date that does not exist";
    if (to < from) return "ends before it starts";
    if (daysBetween(from, to) + 1 > MAX_PERIOD_DAYS) return `is longer than ${MAX_PERIOD_DAYS} days`;
    return null;
  }
  return 'must be like "30d", "today", "2026-W48" or "2026-11-01..2026-11-28"';
}

/** The zod schema of the `period` URL parameter (syntax only; resolve with `resolvePeriod`). */
export const periodParam = z
  .string()
  .trim()
  .superRefine((raw, ctx) => {
    const error = periodParamError(raw);
    if (error) ctx.addIssue({ code: "custom", message: error });
  });

/** Turns a valid `period` parameter into days, with "today" taken in `tz` at `now`. */
export function resolvePeriod(raw: string, opts: { tz: string; now?: Date }): Period {
  const error = periodParamError(raw);
  if (error) throw new RangeError(`period ${error}`);
  const today = dayOf(opts.now ?? new Date(), opts.tz);
  if (raw === "today") return { kind: "today", from: today, to: today, today };
  const days = DAYS_RE.exec(raw);
  if (days) {
    const n = Number(days[1]);
    const to = addDaysTo(today, -1);
    return { kind: "days", days: n, from: addDaysTo(to, 1 - n), to, today };
  }
  const monday = isoWeekStart(raw);
  if (monday) return { kind: "week", week: raw, from: monday, to: addDaysTo(monday, 6), today };
  const [, from, to] = RANGE_RE.exec(raw)!;
  return { kind: "range", from, to, today };
}

/** Like `resolvePeriod`, but an absent or invalid parameter gives the default period. */
export function periodOrDefault(raw: string | undefined | null, opts: { tz: string; now?: Date }, fallback = DEFAULT_PERIOD): Period {
  return resolvePeriod(raw && !periodParamError(raw) ? raw : fallback, opts);
}

/** The URL form of a period; for "last N days" it stays relative ("30d"). */
export function formatPeriodParam(p: Period): string {
  if (p.kind === "days") return `${p.days}d`;
  if (p.kind === "today") return "today";
  if (p.kind === "week") return p.week;
  return `${p.from}..${p.to}`;
}

export function periodLength(p: Pick<Period, "from" | "to">): number {
  return daysBetween(p.from, p.to) + 1;
}

/** True when the period reaches today: its last day is not over, so it is never compared. */
export function inProgress(p: Pick<Period, "to" | "today">): boolean {
  return p.to >= p.today;
}

/** True when the period starts after today: there can be no data yet. */
export function inFuture(p: Pick<Period, "from" | "today">): boolean {
  return p.from > p.today;
}

/** The period of equal length just before `p` (for an ISO week: the previous ISO week). */
export function previousPeriod(p: Period): Period {
  const to = addDaysTo(p.from, -1);
  const from = addDaysTo(p.from, -periodLength(p));
  if (p.kind === "week") return { kind: "week", week: isoWeekOf(from), from, to, today: p.today };
  return { kind: "range", from, to, today: p.today };
}

/** A label for people: "Last 30 days", "Yesterday", "Today (so far)", "2026-W48 · 23–29 Nov". */
export function periodLabel(p: Period): string {
  if (p.kind === "today") return "Today (so far)";
  if (p.kind === "days") return p.days === 1 ? "Yesterday" : `Last ${p.days} days`;
  const range = p.from === p.to ? shortDate(p.from, true) : `${shortDate(p.from)} – ${shortDate(p.to, true)}`;
  const label = p.kind === "week" ? `${p.week} · ${range}` : range;
  return inProgress(p) && !inFuture(p) ? `${label} (so far)` : label;
}

/** The days a period covers, for people: "1 Nov – 30 Nov 2026". */
export function periodRange(p: Pick<Period, "from" | "to">): string {
  return p.from === p.to ? shortDate(p.from, true) : `${shortDate(p.from)} – ${shortDate(p.to, true)}`;
}

/** The last complete ISO week before `now` in `tz` (the export's default). */
export function lastCompleteWeek(opts: { tz: string; now?: Date }): string {
  return isoWeekOf(addDaysTo(dayOf(opts.now ?? new Date(), opts.tz), -7));
}
