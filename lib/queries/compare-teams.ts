import { config } from "@/lib/config";
import { bucketsOf, type Bucket, type Grain } from "@/lib/time/buckets";
import type { Period } from "@/lib/time/period";
import { aggregateUsage } from "@/lib/queries/aggregate-usage";
import { getTools, toolIdsFor } from "@/lib/queries/catalog";
import { getMemberCountsOn, unitHeadcount } from "@/lib/queries/headcount";
import { metricValue, type Metric } from "@/lib/queries/metrics";
import { loadOrg } from "@/lib/queries/org";
import { teamScope } from "@/lib/queries/team-scope";
import { sumsOf, withDerived } from "@/lib/queries/get-leaderboard";
import { githubSums } from "@/lib/queries/github-sums";

// The trends page: up to 10 teams (or groups, each adding up its sub-teams) on one metric
// over time. Growth is measured bucket over bucket.

export const MAX_COMPARED = 10;

export interface ComparedTeam {
  slug: string;
  name: string;
  path: string;
  /** One value per bucket (null where the metric is undefined, e.g. adoption with headcount 0). */
  values: (number | null)[];
  total: number | null;
}

export interface TeamComparison {
  period: Period;
  metric: Metric;
  grain: Grain;
  buckets: Bucket[];
  teams: ComparedTeam[];
}

export async function compareTeams(opts: {
  teams: string[];
  period: Period;
  metric?: Metric;
  grain?: Grain;
  tools?: string[];
  models?: string[];
}): Promise<TeamComparison> {
  const metric = opts.metric ?? "tokens";
  const grain = opts.grain ?? "day";
  const slugs = [...new Set(opts.teams)].slice(0, MAX_COMPARED);
  const buckets = bucketsOf(opts.period, grain);
  const days = [...buckets.map((b) => b.to)];
  const [org, tools] = await Promise.all([loadOrg(), getTools()]);
  const scopes = slugs.map((s) => teamScope(org, s));
  const filter = { toolIds: toolIdsFor(tools, opts.tools), models: opts.models?.length ? opts.models : undefined };
  // The same team may feed two compared units (a group and one of its teams).
  const units = scopes.flatMap((s) => s.teamIds.map((id) => [id, s.team.id] as const));
  const [members, rows, totals, github] = await Promise.all([
    getMemberCountsOn(days, config().WAKEBOARD_TZ, [...new Set(scopes.flatMap((s) => s.teamIds))]),
    aggregateUsage({ windows: buckets, units, ...filter }),
    aggregateUsage({ windows: [opts.period], units, ...filter }),
    githubSums({ windows: [...buckets, opts.period], units, toolIds: filter.toolIds }),
  ]);
  const gh = new Map(github.map((r) => [`${r.unitId}:${r.window}`, r]));
  const index = new Map(rows.map((r) => [`${r.unitId}:${r.window}`, r]));
  const lastMembers = members.get(opts.period.to)!;
  return {
    period: opts.period,
    metric,
    grain,
    buckets,
    teams: scopes.map(({ team }) => {
      const figures = buckets.map((b, i) => withDerived(sumsOf(index.get(`${team.id}:${i}`)), unitHeadcount(org, team.id, members.get(b.to)!, true), gh.get(`${team.id}:${i}`)));
      const total = withDerived(sumsOf(totals.find((r) => r.unitId === team.id)), unitHeadcount(org, team.id, lastMembers, true), gh.get(`${team.id}:${buckets.length}`));
      return {
        slug: team.slug,
        name: team.name,
        path: team.path,
        values: figures.map((f, i) => metricValue(metric, f, i > 0 ? figures[i - 1] : null)),
        total: metric === "growth" ? null : metricValue(metric, total),
      };
    }),
  };
}
