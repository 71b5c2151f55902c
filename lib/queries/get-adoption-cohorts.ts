import { Prisma } from "@/lib/generated/prisma/client";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { memberAt } from "@/lib/rules/member-at";
import { addDaysTo, dayOf, dayStart, mondayOf, type IsoDate } from "@/lib/time/calendar";
import { bucketsOf } from "@/lib/time/buckets";
import { periodLength, type Period } from "@/lib/time/period";
import { aggregateUsage } from "@/lib/queries/aggregate-usage";
import { getTools } from "@/lib/queries/catalog";
import { loadOrg } from "@/lib/queries/org";
import { teamScope } from "@/lib/queries/team-scope";

// Adoption cohorts (issue 15): the people of a team (its members on the period's last day,
// and anyone who was active for it in the period) bucketed by how many days a week they were
// active — none, light, moderate, heavy — for the period and for each ISO week in it, with
// the movement between buckets from week to week; and an adoption funnel per tool. Active
// days come from the one aggregation path (aggregateUsage by person and day), so "active"
// is the dashboard's rule. Only counts leave this module, never who is in a bucket.

export const BUCKETS = ["none", "light", "moderate", "heavy"] as const;
export type Bucket = (typeof BUCKETS)[number];

/** Bucket of a number of active days in a span of `spanDays` days (scaled to a week). */
export function bucketOf(activeDays: number, spanDays: number, [moderate, heavy]: readonly [number, number]): Bucket {
  if (activeDays <= 0) return "none";
  const perWeek = (activeDays * 7) / spanDays;
  if (perWeek >= heavy) return "heavy";
  if (perWeek >= moderate) return "moderate";
  return "light";
}

export type Counts = Record<Bucket, number>;
const zero = (): Counts => ({ none: 0, light: 0, moderate: 0, heavy: 0 });

export interface CohortWeek {
  week: string;
  from: IsoDate;
  to: IsoDate;
  counts: Counts;
  /** From the week before: people who moved to a higher bucket, a lower one, or stayed. */
  up: number;
  down: number;
  stayed: number;
  /** moves[from][to]: people who went from one bucket to another since the week before. */
  moves: Record<Bucket, Counts>;
}

export interface FunnelStep {
  tool: string;
  name: string;
  roster: number;
  everReported: number;
  active28d: number;
  activeWeekly: number;
}

export interface AdoptionCohorts {
  team: { slug: string; name: string };
  period: Period;
  thresholds: { moderate: number; heavy: number };
  people: number;
  period_counts: Counts;
  weeks: CohortWeek[];
  funnel: FunnelStep[];
}

export async function getAdoptionCohorts(opts: { team: string; period: Period; now?: Date; thresholds?: readonly [number, number] }): Promise<AdoptionCohorts> {
  const c = config();
  const tz = c.WAKEBOARD_TZ;
  const thresholds = opts.thresholds ?? c.WAKEBOARD_COHORT_THRESHOLDS;
  const now = opts.now ?? new Date();
  const org = await loadOrg();
  const { team, teamIds } = teamScope(org, opts.team);
  const units = teamIds.map((id) => [id, team.id] as const);
  const prisma = await db();
  const membersAt = async (at: Date) =>
    (await prisma.$queryRaw<{ person_id: number }[]>`
      SELECT DISTINCT m.person_id FROM memberships m WHERE m.team_id = ANY(${teamIds}::int[]) AND ${memberAt("m", Prisma.sql`${at}::timestamptz`)}`).map((r) => r.person_id);

  // Cohorts over the period and its ISO weeks.
  const periodEnd = new Date(dayStart(addDaysTo(opts.period.to, 1), tz).getTime() - 1);
  const weeks = bucketsOf(opts.period, "week");
  const [members, daily] = await Promise.all([membersAt(periodEnd), aggregateUsage({ windows: [opts.period], units, by: ["person", "day"], fields: ["events"] })]);
  const activeDays = new Map<number, IsoDate[]>();
  for (const r of daily) {
    if (r.personId === undefined || r.personId === 0 || r.activeUsers === 0) continue;
    activeDays.set(r.personId, [...(activeDays.get(r.personId) ?? []), r.bucket!]);
  }
  const people = [...new Set([...members, ...activeDays.keys()])];
  const period_counts = zero();
  for (const p of people) period_counts[bucketOf(activeDays.get(p)?.length ?? 0, periodLength(opts.period), thresholds)]++;

  const rank = (b: Bucket) => BUCKETS.indexOf(b);
  let before: Map<number, Bucket> | null = null;
  const cohortWeeks: CohortWeek[] = weeks.map((w) => {
    const span = periodLength(w);
    const now = new Map(people.map((p) => [p, bucketOf((activeDays.get(p) ?? []).filter((d) => d >= w.from && d <= w.to).length, span, thresholds)] as const));
    const counts = zero();
    for (const b of now.values()) counts[b]++;
    const moves = Object.fromEntries(BUCKETS.map((b) => [b, zero()])) as Record<Bucket, Counts>;
    let up = 0;
    let down = 0;
    let stayed = 0;
    if (before) {
      for (const [p, b] of now) {
        const prev = before.get(p)!;
        moves[prev][b]++;
        if (rank(b) > rank(prev)) up++;
        else if (rank(b) < rank(prev)) down++;
        else stayed++;
      }
    }
    before = now;
    return { week: w.label, from: w.from, to: w.to, counts, up, down, stayed, moves };
  });

  // Funnel per tool, as of now: roster → ever reported → active in the last 28 days → active
  // in each of the last 4 complete ISO weeks.
  const today = dayOf(now, tz);
  const last28 = { from: addDaysTo(today, -28), to: addDaysTo(today, -1) };
  const lastMonday = addDaysTo(mondayOf(today), -7);
  const last4 = [3, 2, 1, 0].map((k) => ({ from: addDaysTo(lastMonday, -7 * k), to: addDaysTo(lastMonday, -7 * k + 6) }));
  const roster = await membersAt(now);
  const [tools, ever, recent, weekly] = await Promise.all([
    getTools(),
    roster.length
      ? prisma.$queryRaw<{ tool_id: number; n: number }[]>`
          SELECT t.tool_id, count(*)::int AS n
          FROM unnest(${roster}::int[]) AS m(person_id)
          CROSS JOIN LATERAL (SELECT DISTINCT d.tool_id FROM daily_usage d WHERE d.person_id = m.person_id) t
          GROUP BY t.tool_id`
      : Promise.resolve([]),
    aggregateUsage({ windows: [last28], units, by: ["person", "tool"], fields: ["events"] }),
    aggregateUsage({ windows: last4, units, by: ["person", "tool"], fields: ["events"] }),
  ]);
  const inRoster = new Set(roster);
  const funnel: FunnelStep[] = tools
    .map((t) => {
      const everReported = ever.find((e) => e.tool_id === t.id)?.n ?? 0;
      const active28d = new Set(recent.filter((r) => r.toolId === t.id && r.activeUsers > 0 && inRoster.has(r.personId!)).map((r) => r.personId)).size;
      const weeksActive = new Map<number, Set<number>>();
      for (const r of weekly) {
        if (r.toolId !== t.id || r.activeUsers === 0 || !inRoster.has(r.personId!)) continue;
        weeksActive.set(r.personId!, (weeksActive.get(r.personId!) ?? new Set()).add(r.window));
      }
      const activeWeekly = [...weeksActive.values()].filter((s) => s.size === last4.length).length;
      return { tool: t.slug, name: t.name, roster: roster.length, everReported, active28d, activeWeekly };
    })
    .filter((f) => f.everReported > 0 || f.active28d > 0);

  return {
    team: { slug: team.slug, name: team.name },
    period: opts.period,
    thresholds: { moderate: thresholds[0], heavy: thresholds[1] },
    people: people.length,
    period_counts,
    weeks: cohortWeeks,
    funnel,
  };
}
