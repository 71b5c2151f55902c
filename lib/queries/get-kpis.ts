import { config } from "@/lib/config";
import { previousPeriod, type Period } from "@/lib/time/period";
import { aggregateUsage } from "@/lib/queries/aggregate-usage";
import { getTools, toolIdsFor } from "@/lib/queries/catalog";
import { getMemberCountsOn, unitHeadcount } from "@/lib/queries/headcount";
import { adoptionPct } from "@/lib/queries/metrics";
import { firstDayOf, getFirstDays } from "@/lib/queries/first-days";
import { growth, MIN_BASE, reasonText } from "@/lib/queries/growth";
import { loadOrg } from "@/lib/queries/org";
import { teamScope } from "@/lib/queries/team-scope";
import { sumsOf } from "@/lib/queries/get-leaderboard";

// The overview's KPI cards (DESIGN.md §6): totals for the whole org (or one org unit) with
// the change against the previous period of equal length.

export interface Kpi {
  value: number | null;
  previous: number | null;
  /** Percent change; null when there is nothing meaningful to compare (see `note`). */
  changePct: number | null;
  /** Why changePct is empty ("" when it is not). */
  note: string;
}

export interface Kpis {
  period: Period;
  previous: Period;
  headcount: number;
  invocations: Kpi;
  tokens: Kpi;
  activeUsers: Kpi;
  adoptionPct: Kpi;
  costUsd: Kpi;
}

export async function getKpis(opts: { period: Period; unit?: string | null; tools?: string[]; models?: string[] }): Promise<Kpis> {
  const tz = config().WAKEBOARD_TZ;
  const prev = previousPeriod(opts.period);
  const [org, tools] = await Promise.all([loadOrg(), getTools()]);
  const scope = opts.unit ? teamScope(org, opts.unit) : null;
  const roots = scope ? [scope.team.id] : org.teams.filter((t) => t.depth === 0).map((t) => t.id);
  const headcount = (members: Map<number, number>) => roots.reduce((s, id) => s + unitHeadcount(org, id, members, true), 0);
  const [memberDays, rows, firstDays] = await Promise.all([
    getMemberCountsOn([opts.period.to, prev.to], tz, scope?.teamIds),
    aggregateUsage({
      windows: [opts.period, prev],
      units: scope ? scope.teamIds.map((id) => [id, 0] as const) : undefined,
      toolIds: toolIdsFor(tools, opts.tools),
      models: opts.models?.length ? opts.models : undefined,
    }),
    getFirstDays(),
  ]);
  const membersNow = memberDays.get(opts.period.to)!;
  const membersBefore = memberDays.get(prev.to)!;
  const cur = sumsOf(rows.find((r) => r.window === 0));
  const before = sumsOf(rows.find((r) => r.window === 1));
  const hc = [headcount(membersNow), headcount(membersBefore)];
  const ctx = { period: opts.period, previous: prev, firstDay: firstDayOf(scope ? scope.teamIds : firstDays.keys(), firstDays) };
  const kpi = (value: number | null, previous: number | null, unit: keyof typeof MIN_BASE = "count"): Kpi => {
    const g = growth(value, previous, ctx, unit);
    return { value, previous, changePct: g.pct, note: g.reason ? reasonText(g.reason, ctx, unit) : "" };
  };
  return {
    period: opts.period,
    previous: prev,
    headcount: hc[0],
    invocations: kpi(cur.invocations, before.invocations),
    tokens: kpi(cur.tokens, before.tokens, "tokens"),
    activeUsers: kpi(cur.activeUsers, before.activeUsers),
    adoptionPct: kpi(adoptionPct(cur.activeUsers, hc[0]), adoptionPct(before.activeUsers, hc[1]), "percent"),
    costUsd: kpi(cur.costUsd, before.costUsd, "usd"),
  };
}
