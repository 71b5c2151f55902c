import { db } from "@/lib/db/client";
import { addDaysTo, dayStart, type IsoDate } from "@/lib/time/calendar";
import type { Org } from "@/lib/queries/org";
import { Prisma } from "@/lib/generated/prisma/client";
import { memberAtEnd } from "@/lib/rules/member-at";

// Headcount (DESIGN.md §5): the team's override, else its members on the period's last
// day from membership history — members at the end of that day in WAKEBOARD_TZ, so a
// reorg later on does not rewrite the past.

/** Members of each team at the end of `day` (teams without members are absent). */
export async function getMemberCounts(day: IsoDate, tz: string, teamIds?: number[]): Promise<Map<number, number>> {
  return (await getMemberCountsOn([day], tz, teamIds)).get(day) ?? new Map();
}

/** Members of each team (of `teamIds`, or all) at the end of each of `days`, in one query. */
export async function getMemberCountsOn(days: IsoDate[], tz: string, teamIds?: number[]): Promise<Map<IsoDate, Map<number, number>>> {
  const out = new Map<IsoDate, Map<number, number>>(days.map((d) => [d, new Map()]));
  if (days.length === 0) return out;
  const ends = days.map((d) => dayStart(addDaysTo(d, 1), tz).toISOString());
  const prisma = await db();
  const rows = await prisma.$queryRaw<{ day: string; team_id: number; n: number }[]>`
    SELECT day, team_id, count(*)::int AS n FROM (
      SELECT x.day, m.team_id, m.person_id
      FROM unnest(${days}::text[], ${ends}::timestamptz[]) AS x(day, at_end)
      JOIN memberships m ON ${memberAtEnd("m", Prisma.sql`x.at_end`)}
      WHERE ${teamIds ?? null}::int[] IS NULL OR m.team_id = ANY(${teamIds ?? null}::int[])
      GROUP BY 1, 2, 3
    ) members
    GROUP BY day, team_id`;
  for (const r of rows) out.get(r.day)!.set(r.team_id, r.n);
  return out;
}

/**
 * Headcount of a unit. A team counts its override, else its members; a rolled-up unit
 * (a group ranked with its sub-teams) counts its override, else its own members plus its
 * children's headcounts.
 */
export function unitHeadcount(org: Org, unitId: number, members: Map<number, number>, rollup: boolean): number {
  const t = org.byId.get(unitId);
  if (!t) return 0;
  if (t.headcountOverride !== null && (rollup || t.childIds.length === 0)) return t.headcountOverride;
  const own = members.get(unitId) ?? 0;
  if (!rollup) return own;
  return t.childIds.reduce((sum, c) => sum + unitHeadcount(org, c, members, true), own);
}
