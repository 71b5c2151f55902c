import { config } from "@/lib/config";
import { bucketsOf, type Grain } from "@/lib/time/buckets";
import { periodLength, previousPeriod, type Period } from "@/lib/time/period";
import { aggregateUsage, type AggregateRow } from "@/lib/queries/aggregate-usage";
import { sparklineSeries } from "@/lib/queries/sparkline-series";
import { getTools, toolIdsFor } from "@/lib/queries/catalog";
import { getMemberCountsOn, unitHeadcount } from "@/lib/queries/headcount";
import { adoptionPct, growthPct, hasUsage, METRIC_INFO, metricValue, perEngineer, ZERO, type Figures, type Metric, type Sums } from "@/lib/queries/metrics";
import { loadOrg } from "@/lib/queries/org";
import { competitionRank } from "@/lib/queries/rank";
import { firstDayOf, getFirstDays } from "@/lib/queries/first-days";
import { growth, rankMove, reasonText, type NoChangeReason } from "@/lib/queries/growth";
import { UNASSIGNED } from "@/lib/ingest/resolve";
import { planUnits, type View } from "@/lib/queries/units";
import { getPeopleParts, type LeaderboardPart, type PartGrain } from "@/lib/queries/leaderboard-parts";
import type { PeopleViewer } from "@/lib/queries/people-access";
import { githubSums, GITHUB_ZERO, type GithubSums } from "@/lib/queries/github-sums";

// The leaderboard (DESIGN.md §5, §6) and the weekly export's figures (§8): one row per unit
// with its figures for the period and the previous one, competition rank and rank change by
// the chosen metric, and a sparkline. With `grain` each row also carries its split by tool
// or by person, so the export reads a week at any grain from this one query.

export interface LeaderboardOptions {
  period: Period;
  metric?: Metric;
  view?: View;
  unit?: string | null;
  tools?: string[];
  models?: string[];
  /** Split each row by tool or by person (person: only where `viewer` may see people). */
  grain?: "team" | PartGrain;
  viewer?: PeopleViewer;
  /** Draw sparklines (default true). */
  sparkline?: boolean;
}

export interface UnitFigures extends Figures {
  adoptionPct: number | null;
  tokensPerEngineer: number | null;
  invocationsPerEngineer: number | null;
}

export interface LeaderboardRow extends UnitFigures {
  teamId: number;
  slug: string;
  name: string;
  path: string;
  isGroup: boolean;
  value: number | null;
  previousValue: number | null;
  /** Percent change of the ranked value against the previous period. */
  valueChangePct: number | null;
  /** Token growth against the previous period in percent (lib/queries/growth.ts rules). */
  growthPct: number | null;
  /** Why growth is empty, for people ("" when it is not). */
  growthNote: string;
  /** Not ranked: `unassigned` holds usage no team claimed; pages list it apart. */
  unranked: boolean;
  rank: number | null;
  previousRank: number | null;
  rankChange: number | null;
  /** "new": usage now, none before; "none": no comparison (see rankNote). */
  rankStatus: "moved" | "new" | "none";
  rankNote: string;
  /** First day with usage (null: never used). */
  firstDay: string | null;
  previous: UnitFigures;
  sparkline: number[];
  parts?: LeaderboardPart[];
  /** Why `parts` is missing for the person grain. */
  partsHidden?: "not-allowed" | "privacy-floor";
}

export interface Leaderboard {
  period: Period;
  previous: Period;
  metric: Metric;
  view: View;
  unit: { slug: string; name: string } | null;
  sparkGrain: Grain;
  sparkBuckets: string[];
  /** Per sparkline bucket: partial (clipped or still running), drawn dashed. */
  sparkPartial: boolean[];
  rows: LeaderboardRow[];
}

/** What a row's sparkline draws: the counter its metric is built on. */
const SPARK_BASE = Object.fromEntries(Object.entries(METRIC_INFO).map(([m, info]) => [m, info.base])) as Record<Metric, (typeof METRIC_INFO)[Metric]["base"]>;

export function withDerived(s: Sums, headcount: number, github: GithubSums = GITHUB_ZERO): UnitFigures {
  return {
    ...s,
    ...github,
    headcount,
    adoptionPct: adoptionPct(s.activeUsers, headcount),
    tokensPerEngineer: perEngineer(s.tokens, headcount),
    invocationsPerEngineer: perEngineer(s.invocations, headcount),
  };
}

export function sumsOf(r: AggregateRow | undefined): Sums {
  if (!r) return ZERO;
  const { window: _w, unitId: _u, toolId: _t, model: _m, personId: _p, bucket: _b, ...sums } = r;
  return sums;
}

export async function getLeaderboard(opts: LeaderboardOptions): Promise<Leaderboard> {
  const metric = opts.metric ?? "tokens";
  const view = opts.view ?? "teams";
  const tz = config().WAKEBOARD_TZ;
  const prev = previousPeriod(opts.period);
  const windows = [opts.period, prev, ...(metric === "growth" ? [previousPeriod(prev)] : [])];
  const sparkGrain: Grain = periodLength(opts.period) > 62 ? "week" : "day";

  // The org first (small); then headcounts, sums, first days and sparklines side by side.
  const [org, tools] = await Promise.all([loadOrg(), getTools()]);
  const plan = planUnits(org, view, opts.unit);
  const filter = { units: plan.teamToUnit, toolIds: toolIdsFor(tools, opts.tools), models: opts.models?.length ? opts.models : undefined };
  const [memberDays, rows, firstDays, spark, github] = await Promise.all([
    getMemberCountsOn(windows.map((w) => w.to), tz),
    aggregateUsage({ windows, ...filter }),
    getFirstDays(),
    opts.sparkline === false
      ? new Map<number, Map<string, number>>()
      : sparklineSeries({ window: opts.period, grain: sparkGrain, units: plan.teamToUnit, field: SPARK_BASE[metric], toolIds: filter.toolIds, models: filter.models }),
    githubSums({ windows, units: plan.teamToUnit, toolIds: filter.toolIds }),
  ]);

  const members = windows.map((w) => memberDays.get(w.to)!);
  const byUnit = new Map<string, AggregateRow>(rows.map((r) => [`${r.unitId}:${r.window}`, r]));
  const gh = new Map(github.map((r) => [`${r.unitId}:${r.window}`, r]));
  const figures = (unitId: number, w: number) =>
    withDerived(sumsOf(byUnit.get(`${unitId}:${w}`)), unitHeadcount(org, unitId, members[w], plan.rollup), gh.get(`${unitId}:${w}`));
  // Teams view: groups only when events were booked on them directly; archived teams only with usage.
  const units = plan.units.filter((u) => {
    if (plan.rollup) return !u.archived || byUnit.has(`${u.id}:0`);
    return (u.childIds.length === 0 && !u.archived) || byUnit.has(`${u.id}:0`);
  });
  const teamsOf = new Map<number, number[]>();
  for (const [team, unit] of plan.teamToUnit) teamsOf.set(unit, [...(teamsOf.get(unit) ?? []), team]);

  const unit = METRIC_INFO[metric].unit;
  const base = units.map((u) => {
    const w = windows.map((_, i) => figures(u.id, i));
    const firstDay = firstDayOf(teamsOf.get(u.id) ?? [u.id], firstDays);
    const ctx = { period: opts.period, previous: prev, firstDay };
    // Ranking by growth: growth itself follows the rules (and so does last period's growth).
    const value = metric === "growth" ? growth(w[0].tokens, w[1].tokens, ctx).pct : metricValue(metric, w[0], w[1]);
    const previousValue =
      metric === "growth" ? growth(w[1].tokens, w[2].tokens, { period: prev, previous: windows[2], firstDay }).pct : metricValue(metric, w[1], w[2]);
    return { unit: u, w, value, previousValue, firstDay, ctx, unranked: u.slug === UNASSIGNED };
  });
  const rankable = (b: (typeof base)[number], value: number | null) => (b.unranked ? null : value);
  const current = competitionRank(base.map((b) => ({ slug: b.unit.slug, value: rankable(b, b.value), b })));
  const before = new Map(competitionRank(base.map((b) => ({ slug: b.unit.slug, value: rankable(b, b.previousValue) }))).map((r) => [r.slug, r.rank]));

  const sparkBuckets = bucketsOf(opts.period, sparkGrain);
  const bucketKeys = sparkBuckets.map((b) => b.key);
  const note = (reason: NoChangeReason | null, ctx: (typeof base)[number]["ctx"]) => (reason ? reasonText(reason, ctx, unit) : "");

  const out: LeaderboardRow[] = current.map(({ rank, b }) => {
    const [cur, previous] = b.w;
    const g = growth(cur.tokens, previous.tokens, b.ctx);
    const change = metric === "growth" ? { pct: null, reason: null } : growth(b.value, b.previousValue, b.ctx, unit);
    const previousRank = rank === null ? null : (before.get(b.unit.slug) ?? null);
    const move = rankMove(rank, previousRank, { hasValue: Boolean(b.value) && hasUsage(cur), hadValue: Boolean(b.previousValue) && hasUsage(previous), ctx: b.ctx });
    return {
      teamId: b.unit.id,
      slug: b.unit.slug,
      name: b.unit.name,
      path: b.unit.path,
      isGroup: b.unit.childIds.length > 0,
      ...cur,
      value: b.value,
      previousValue: b.previousValue,
      valueChangePct: change.pct,
      growthPct: g.pct,
      growthNote: note(g.reason, b.ctx),
      unranked: b.unranked,
      rank,
      previousRank: move.change === null ? null : previousRank,
      rankChange: move.change,
      rankStatus: b.unranked ? "none" : move.status,
      rankNote: b.unranked ? "Not ranked: usage no team claimed" : note(move.reason, b.ctx),
      firstDay: b.firstDay,
      previous,
      sparkline: opts.sparkline === false ? [] : bucketKeys.map((k) => spark.get(b.unit.id)?.get(k) ?? 0),
    };
  });

  if (opts.grain && opts.grain !== "team") {
    await getPeopleParts(out, {
      grain: opts.grain,
      period: opts.period,
      teamToUnit: plan.teamToUnit,
      tools,
      toolIds: filter.toolIds,
      models: filter.models,
      viewer: opts.viewer,
      org,
    });
  }

  return {
    period: opts.period,
    previous: prev,
    metric,
    view,
    unit: plan.scope ? { slug: plan.scope.slug, name: plan.scope.name } : null,
    sparkGrain,
    sparkBuckets: bucketKeys,
    sparkPartial: sparkBuckets.map((b) => b.partial),
    rows: out,
  };
}
