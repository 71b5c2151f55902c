import { config } from "@/lib/config";
import { bucketsOf, type Bucket, type Grain } from "@/lib/time/buckets";
import { addDaysTo } from "@/lib/time/calendar";
import { periodLength, type Period } from "@/lib/time/period";
import { rollingAverage } from "@/lib/charts/prepare";
import { aggregateUsage } from "@/lib/queries/aggregate-usage";
import { getTools, toolIdsFor } from "@/lib/queries/catalog";
import { getMemberCountsOn, unitHeadcount } from "@/lib/queries/headcount";
import { adoptionPct } from "@/lib/queries/metrics";
import { loadOrg } from "@/lib/queries/org";
import { teamScope } from "@/lib/queries/team-scope";
import { sumsOf, withDerived, type UnitFigures } from "@/lib/queries/get-leaderboard";

// A team's figures per day or ISO week.
//
// Adoption over time uses the KPI's own definition over the KPI's own window length: at the
// end of each bucket, people active in the trailing window as long as the period ÷ the
// headcount that day. So the chart's last point is the adoption card's figure, and a daily
// chart is not the daily-active share (which peaked at 80 % beside a 100 % card).
// By day, tokens and invocations also carry their 7-day rolling average.

export interface TrendPoint extends UnitFigures, Bucket {
  /** 7-day trailing averages (day grain; null where the window is incomplete). */
  tokensAvg: number | null;
  invocationsAvg: number | null;
  /** Active people in the trailing window of the period's length ending with this bucket. */
  windowActiveUsers: number;
  /** windowActiveUsers ÷ headcount at the bucket's end (the adoption card's definition). */
  windowAdoptionPct: number | null;
}

export interface TeamTrend {
  team: { id: number; slug: string; name: string; path: string };
  period: Period;
  grain: Grain;
  /** Length of the adoption window in days (= the period's length). */
  windowDays: number;
  points: TrendPoint[];
}

export async function getTeamTrend(opts: { team: string; period: Period; grain?: Grain; tools?: string[]; models?: string[] }): Promise<TeamTrend> {
  const grain = opts.grain ?? "day";
  const buckets = bucketsOf(opts.period, grain);
  const lead = grain === "day" ? 6 : 0;
  const all = lead ? bucketsOf({ from: addDaysTo(opts.period.from, -lead), to: opts.period.to, today: opts.period.today }, grain) : buckets;
  const windowDays = periodLength(opts.period);
  const trailing = buckets.map((b) => ({ from: addDaysTo(b.to, 1 - windowDays), to: b.to }));
  const [org, tools] = await Promise.all([loadOrg(), getTools()]);
  const { team, teamIds } = teamScope(org, opts.team);
  const units = teamIds.map((id) => [id, team.id] as const);
  const filter = { toolIds: toolIdsFor(tools, opts.tools), models: opts.models?.length ? opts.models : undefined };
  const [members, rows, active] = await Promise.all([
    getMemberCountsOn(all.map((b) => b.to), config().WAKEBOARD_TZ, teamIds),
    aggregateUsage({ windows: all, units, ...filter }),
    aggregateUsage({ windows: trailing, units, ...filter, fields: [] }),
  ]);
  const byWindow = new Map(rows.map((r) => [r.window, r]));
  const activeByWindow = new Map(active.map((r) => [r.window, r.activeUsers]));
  const figures = all.map((b, i) => withDerived(sumsOf(byWindow.get(i)), unitHeadcount(org, team.id, members.get(b.to)!, true)));
  const avg = (pick: (f: UnitFigures) => number) => rollingAverage(figures.map((f, i) => (all[i].inProgress ? null : pick(f))), 7, lead);
  const tokensAvg = lead ? avg((f) => f.tokens) : buckets.map(() => null);
  const invocationsAvg = lead ? avg((f) => f.invocations) : buckets.map(() => null);
  return {
    team: { id: team.id, slug: team.slug, name: team.name, path: team.path },
    period: opts.period,
    grain,
    windowDays,
    points: buckets.map((b, i) => {
      const f = figures[i + lead];
      const windowActiveUsers = activeByWindow.get(i) ?? 0;
      return { ...b, ...f, tokensAvg: tokensAvg[i], invocationsAvg: invocationsAvg[i], windowActiveUsers, windowAdoptionPct: adoptionPct(windowActiveUsers, f.headcount) };
    }),
  };
}
