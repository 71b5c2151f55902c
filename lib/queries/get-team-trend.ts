import { config } from "@/lib/config";
import { bucketsOf, type Bucket, type Grain } from "@/lib/time/buckets";
import type { Period } from "@/lib/time/period";
import { aggregateUsage } from "@/lib/queries/aggregate-usage";
import { getTools, toolIdsFor } from "@/lib/queries/catalog";
import { getMemberCountsOn, unitHeadcount } from "@/lib/queries/headcount";
import { loadOrg } from "@/lib/queries/org";
import { teamScope } from "@/lib/queries/team-scope";
import { sumsOf, withDerived, type UnitFigures } from "@/lib/queries/get-leaderboard";

// A team's figures per day or ISO week, with adoption against the headcount at the end of
// each bucket (so adoption over time follows reorgs).

export interface TrendPoint extends UnitFigures, Bucket {}

export interface TeamTrend {
  team: { id: number; slug: string; name: string; path: string };
  period: Period;
  grain: Grain;
  points: TrendPoint[];
}

export async function getTeamTrend(opts: { team: string; period: Period; grain?: Grain; tools?: string[]; models?: string[] }): Promise<TeamTrend> {
  const grain = opts.grain ?? "day";
  const buckets = bucketsOf(opts.period, grain);
  const [org, tools] = await Promise.all([loadOrg(), getTools()]);
  const { team, teamIds } = teamScope(org, opts.team);
  const [members, rows] = await Promise.all([
    getMemberCountsOn(buckets.map((b) => b.to), config().WAKEBOARD_TZ, teamIds),
    aggregateUsage({
      windows: buckets,
      units: teamIds.map((id) => [id, team.id] as const),
      toolIds: toolIdsFor(tools, opts.tools),
      models: opts.models?.length ? opts.models : undefined,
    }),
  ]);
  const byWindow = new Map(rows.map((r) => [r.window, r]));
  return {
    team: { id: team.id, slug: team.slug, name: team.name, path: team.path },
    period: opts.period,
    grain,
    points: buckets.map((b, i) => ({ ...b, ...withDerived(sumsOf(byWindow.get(i)), unitHeadcount(org, team.id, members.get(b.to)!, true)) })),
  };
}
