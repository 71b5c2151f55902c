import { config } from "@/lib/config";
import { bucketsOf, type Bucket, type Grain } from "@/lib/time/buckets";
import { addDaysTo } from "@/lib/time/calendar";
import type { Period } from "@/lib/time/period";
import { rollingAverage } from "@/lib/charts/prepare";
import { aggregateUsage } from "@/lib/queries/aggregate-usage";
import { getTools, toolIdsFor } from "@/lib/queries/catalog";
import { getMemberCountsOn, unitHeadcount } from "@/lib/queries/headcount";
import { metricValue, type Metric } from "@/lib/queries/metrics";
import { loadOrg } from "@/lib/queries/org";
import { teamScope } from "@/lib/queries/team-scope";
import { sumsOf, withDerived } from "@/lib/queries/get-leaderboard";
import { githubSums } from "@/lib/queries/github-sums";

// The trends page: up to 10 teams (or groups, each adding up its sub-teams) on one metric
// over time. Growth is measured bucket over bucket. By day, each team also gets its 7-day
// rolling average (the default line: daily values are a weekend sawtooth), computed from six
// extra days before the period so the first day has a full window.

export const MAX_COMPARED = 10;

export interface ComparedTeam {
  slug: string;
  name: string;
  path: string;
  /** One value per bucket (null where the metric is undefined, e.g. adoption with headcount 0). */
  values: (number | null)[];
  /** 7-day trailing average per bucket (day grain only; null where a window is incomplete). */
  average: (number | null)[] | null;
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
  // By day, six lead days feed the rolling average of the first days.
  const lead = grain === "day" ? 6 : 0;
  const all = lead ? bucketsOf({ from: addDaysTo(opts.period.from, -lead), to: opts.period.to, today: opts.period.today }, grain) : buckets;
  const days = [...all.map((b) => b.to)];
  const [org, tools] = await Promise.all([loadOrg(), getTools()]);
  const scopes = slugs.map((s) => teamScope(org, s));
  const filter = { toolIds: toolIdsFor(tools, opts.tools), models: opts.models?.length ? opts.models : undefined };
  // The same team may feed two compared units (a group and one of its teams).
  const units = scopes.flatMap((s) => s.teamIds.map((id) => [id, s.team.id] as const));
  const [members, rows, totals, github] = await Promise.all([
    getMemberCountsOn(days, config().WAKEBOARD_TZ, [...new Set(scopes.flatMap((s) => s.teamIds))]),
    aggregateUsage({ windows: all, units, ...filter }),
    aggregateUsage({ windows: [opts.period], units, ...filter }),
    githubSums({ windows: [...all, opts.period], units, toolIds: filter.toolIds }),
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
      const figures = all.map((b, i) => withDerived(sumsOf(index.get(`${team.id}:${i}`)), unitHeadcount(org, team.id, members.get(b.to)!, true), gh.get(`${team.id}:${i}`)));
      const values = figures.map((f, i) => metricValue(metric, f, i > 0 ? figures[i - 1] : null));
      const total = withDerived(sumsOf(totals.find((r) => r.unitId === team.id)), unitHeadcount(org, team.id, lastMembers, true), gh.get(`${team.id}:${all.length}`));
      return {
        slug: team.slug,
        name: team.name,
        path: team.path,
        values: values.slice(lead),
        average: lead && metric !== "growth" ? rollingAverage(values.map((v, i) => (all[i].inProgress ? null : v)), 7, lead) : null,
        total: metric === "growth" ? null : metricValue(metric, total),
      };
    }),
  };
}
