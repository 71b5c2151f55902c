import { db } from "@/lib/db/client";
import { addDaysTo, dayStart, type IsoDate } from "@/lib/time/calendar";
import type { Org } from "@/lib/queries/org";

// Headcount (DESIGN.md §5): the team's override, else its members on the period's last
// day from membership history — members at the end of that day in WAKEBOARD_TZ, so a
// reorg later on does not rewrite the past.

/** Members of each team at the end of `day` (teams without members are absent). */
export async function getMemberCounts(day: IsoDate, tz: string): Promise<Map<number, number>> {
  const end = dayStart(addDaysTo(day, 1), tz);
  const prisma = await db();
  const rows = await prisma.$queryRaw<{ team_id: number; n: number }[]>`
    SELECT team_id, count(DISTINCT person_id)::int AS n FROM memberships
    WHERE valid_from < ${end} AND (valid_to IS NULL OR valid_to >= ${end})
    GROUP BY team_id`;
  return new Map(rows.map((r) => [r.team_id, r.n]));
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
