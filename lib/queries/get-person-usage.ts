import { db } from "@/lib/db/client";
import { eachDay, type IsoDate } from "@/lib/time/calendar";
import type { Period } from "@/lib/time/period";
import { aggregateUsage, type AggregateRow } from "@/lib/queries/aggregate-usage";
import { getTools } from "@/lib/queries/catalog";
import { ZERO, type Sums } from "@/lib/queries/metrics";
import { sumsOf } from "@/lib/queries/get-leaderboard";
import { competitionRank } from "@/lib/queries/rank";

// One person's own figures for a period ("my usage", issue 15): totals, by tool, by model,
// per day, and active days — read through the one aggregation path (aggregateUsage over the
// teams the person reported for), then narrowed to that person. The caller decides whose
// figures these are (a signed-in user sees only the person linked to their own email).

export interface PersonUsage {
  personId: number;
  period: Period;
  totals: Sums;
  activeDays: number;
  days: number;
  byTool: { tool: string; name: string; sums: Sums }[];
  byModel: { model: string; sums: Sums }[];
  daily: { day: IsoDate; tokens: number; costUsd: number; invocations: number; active: boolean }[];
  /** Rank by tokens among the people of the team they last reported for (only when asked). */
  rank: { team: string; rank: number | null; of: number } | null;
}

export async function getPersonUsage(opts: { personId: number; period: Period; withRank?: boolean }): Promise<PersonUsage> {
  const prisma = await db();
  const teams = await prisma.$queryRaw<{ team_id: number; last_day: string }[]>`
    SELECT team_id, max(day)::text AS last_day FROM daily_usage
    WHERE person_id = ${opts.personId} AND day BETWEEN ${opts.period.from}::date AND ${opts.period.to}::date
    GROUP BY team_id ORDER BY max(day) DESC, team_id`;
  const days = eachDay(opts.period.from, opts.period.to);
  const empty: PersonUsage = { personId: opts.personId, period: opts.period, totals: ZERO, activeDays: 0, days: days.length, byTool: [], byModel: [], daily: days.map((day) => ({ day, tokens: 0, costUsd: 0, invocations: 0, active: false })), rank: null };
  if (teams.length === 0) return empty;
  const units = teams.map((t) => [t.team_id, 0] as const);
  const windows = [opts.period];
  const mine = (rows: AggregateRow[]) => rows.filter((r) => r.personId === opts.personId);
  const [total, tools, models, daily, catalog] = await Promise.all([
    aggregateUsage({ windows, units, by: ["person"] }),
    aggregateUsage({ windows, units, by: ["person", "tool"] }),
    aggregateUsage({ windows, units, by: ["person", "model"] }),
    aggregateUsage({ windows, units, by: ["person", "day"] }),
    getTools(),
  ]);
  const toolName = new Map(catalog.map((t) => [t.id, t]));
  const byDay = new Map(mine(daily).map((r) => [r.bucket!, r]));
  let rank: PersonUsage["rank"] = null;
  if (opts.withRank) {
    // Among the people of the team they reported for last, in this period.
    const team = teams[0].team_id;
    const teamRows = await aggregateUsage({ windows, units: [[team, 0]], by: ["person"] });
    const ranked = competitionRank(teamRows.filter((r) => r.personId !== 0).map((r) => ({ slug: String(r.personId), value: r.tokens })));
    const slug = (await prisma.team.findUnique({ where: { id: team } }))?.name ?? String(team);
    rank = { team: slug, rank: ranked.find((r) => r.slug === String(opts.personId))?.rank ?? null, of: ranked.length };
  }
  return {
    ...empty,
    totals: sumsOf(mine(total)[0]),
    activeDays: mine(daily).filter((r) => r.activeUsers > 0).length,
    byTool: mine(tools)
      .map((r) => ({ tool: toolName.get(r.toolId!)?.slug ?? String(r.toolId), name: toolName.get(r.toolId!)?.name ?? String(r.toolId), sums: sumsOf(r) }))
      .sort((a, b) => b.sums.tokens - a.sums.tokens),
    byModel: mine(models)
      .map((r) => ({ model: r.model || "(unknown)", sums: sumsOf(r) }))
      .sort((a, b) => b.sums.tokens - a.sums.tokens),
    daily: days.map((day) => {
      const r = byDay.get(day);
      return { day, tokens: r?.tokens ?? 0, costUsd: r?.costUsd ?? 0, invocations: r?.invocations ?? 0, active: (r?.activeUsers ?? 0) > 0 };
    }),
    rank,
  };
}

