import { config } from "@/lib/config";
import type { Period } from "@/lib/time/period";
import { aggregateUsage } from "@/lib/queries/aggregate-usage";
import type { PeopleViewer } from "@/lib/queries/people-access";

// The privacy floor through the parent (DESIGN.md §5): a view over several teams (a group's
// page, a group's row split by person) must not identify someone through a smaller unit it
// covers. A team whose own events had fewer than WAKEBOARD_MIN_GROUP active people in the
// period is below the floor: for anyone but admins, no per-person figure comes from its usage
// and none of its members is listed, whichever larger unit the view shows.

/** The teams among `teamIds` below the floor in `period`; none for admins. */
export async function teamsBelowFloor(teamIds: readonly number[], period: Period, viewer: PeopleViewer | null | undefined): Promise<number[]> {
  if (viewer?.role === "admin" || teamIds.length === 0) return [];
  const min = config().WAKEBOARD_MIN_GROUP;
  const rows = await aggregateUsage({ windows: [period], units: teamIds.map((id) => [id, id] as const), fields: [] });
  const active = new Map(rows.map((r) => [r.unitId, r.activeUsers]));
  return teamIds.filter((id) => (active.get(id) ?? 0) < min);
}
