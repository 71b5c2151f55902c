import { shortDate, type IsoDate } from "@/lib/time/calendar";
import { inProgress, type Period } from "@/lib/time/period";

// When a change against the previous period means something (DESIGN.md §5). A growth or a
// rank change is shown only when
//   - the period is complete (a period reaching today is still filling up),
//   - the unit's data covers the whole previous period (a team that started reporting in
//     the middle of it would show +6,000 %),
//   - the previous value reaches a minimum base (growth from $0.20 says nothing).
// Otherwise the figure is empty and `reason` says why, for the hover text.

export type NoChangeReason = "in-progress" | "no-history" | "no-usage" | "no-previous" | "small-base" | "no-value";

export interface Change {
  /** Percent change to one decimal, or null with a reason. */
  pct: number | null;
  reason: NoChangeReason | null;
}

/** Smallest previous value a percentage is computed from, by what the value measures. */
export const MIN_BASE: Record<"count" | "tokens" | "percent" | "usd", number> = {
  tokens: 10_000,
  count: 5,
  usd: 1,
  percent: 0.1,
};

export interface CompareContext {
  period: Pick<Period, "to" | "today">;
  previous: Pick<Period, "from" | "to">;
  /** The unit's first day with any usage (null: none at all). */
  firstDay: IsoDate | null;
}

/** Whether the unit's history allows any comparison at all (growth and rank change alike). */
export function comparable(ctx: CompareContext): NoChangeReason | null {
  if (inProgress(ctx.period)) return "in-progress";
  if (ctx.firstDay === null) return "no-usage";
  if (ctx.firstDay > ctx.previous.from) return "no-history";
  return null;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Growth of `current` over `previous` in percent, under the rules above. */
export function growth(current: number | null, previous: number | null | undefined, ctx: CompareContext, unit: keyof typeof MIN_BASE = "tokens"): Change {
  const blocked = comparable(ctx);
  if (blocked) return { pct: null, reason: blocked };
  if (current === null) return { pct: null, reason: "no-value" };
  if (previous === null || previous === undefined) return { pct: null, reason: "no-value" };
  if (previous === 0) return { pct: null, reason: current === 0 ? "no-usage" : "no-previous" };
  if (Math.abs(previous) < MIN_BASE[unit]) return { pct: null, reason: "small-base" };
  return { pct: round1(((current - previous) / previous) * 100), reason: null };
}

/**
 * Rank change = previous rank − current rank (positive: moved up), under the same rules; and
 * never for a unit without a value now (a team with 0 tokens does not "climb" by ties).
 */
export function rankMove(
  rank: number | null,
  previousRank: number | null,
  opts: { hasValue: boolean; hadValue: boolean; ctx: CompareContext },
): { change: number | null; status: "moved" | "new" | "none"; reason: NoChangeReason | null } {
  if (!opts.hasValue) return { change: null, status: "none", reason: "no-value" };
  const blocked = comparable(opts.ctx);
  if (blocked === "in-progress") return { change: null, status: "none", reason: blocked };
  // Usage now, none at all before: new. (No usage in either period is not "new".)
  if (!opts.hadValue || blocked === "no-history") return { change: null, status: opts.hadValue ? "none" : "new", reason: opts.hadValue ? blocked : "no-previous" };
  if (rank === null || previousRank === null) return { change: null, status: "none", reason: "no-value" };
  return { change: previousRank - rank, status: "moved", reason: null };
}

/** The hover text saying why a change is not shown. */
export function reasonText(reason: NoChangeReason | null, ctx: { previous: Pick<Period, "from" | "to">; firstDay: IsoDate | null }, unit: keyof typeof MIN_BASE = "tokens"): string {
  const prev = `${shortDate(ctx.previous.from)} – ${shortDate(ctx.previous.to, true)}`;
  switch (reason) {
    case "in-progress":
      return "This period is still in progress; it is compared once it is complete";
    case "no-history":
      return `Data starts ${ctx.firstDay ? shortDate(ctx.firstDay, true) : "later"}, inside the previous period (${prev}): not enough history to compare`;
    case "no-usage":
      return "No usage in either period";
    case "no-previous":
      return `No usage in the previous period (${prev})`;
    case "small-base":
      return `Too little usage in the previous period (${prev}) for a meaningful percentage (under ${MIN_BASE[unit].toLocaleString("en-US")}${unit === "tokens" ? " tokens" : unit === "usd" ? " USD" : ""})`;
    case "no-value":
      return "No value to compare";
    default:
      return "";
  }
}
