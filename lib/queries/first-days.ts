import { db } from "@/lib/db/client";
import { activeUsage } from "@/lib/rules/active-person";
import type { IsoDate } from "@/lib/time/calendar";

// The first day each team has any usage: growth and rank change need data covering the
// whole previous period (lib/queries/growth.ts). One row per team from the per-day totals.

export async function getFirstDays(): Promise<Map<number, IsoDate>> {
  const prisma = await db();
  const rows = await prisma.$queryRaw<{ team_id: number; first: string }[]>`
    SELECT d.team_id, min(d.day)::text AS first FROM daily_team_totals d
    WHERE ${activeUsage("d")}
    GROUP BY d.team_id`;
  return new Map(rows.map((r) => [r.team_id, r.first]));
}

/** The first day of usage of any of `teamIds` (a unit adds up its teams), or null. */
export function firstDayOf(teamIds: Iterable<number>, firstDays: Map<number, IsoDate>): IsoDate | null {
  let first: IsoDate | null = null;
  for (const id of teamIds) {
    const d = firstDays.get(id);
    if (d && (first === null || d < first)) first = d;
  }
  return first;
}
