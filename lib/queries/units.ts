import type { Org, OrgTeam } from "@/lib/queries/org";
import { NotFoundError } from "@/lib/queries/errors";

// Which rows a leaderboard ranks, and which teams add up into each (DESIGN.md §5, §6):
// - "teams": every team in scope that has no sub-teams, each on its own events;
// - "units": the sub-units of the chosen org unit (by default the org's top level below a
//   single root), each adding up its whole subtree — so a group ranks its sub-teams.

export type View = "teams" | "units";

export interface UnitPlan {
  scope: OrgTeam | null;
  /** The ranked units, in no particular order. */
  units: OrgTeam[];
  /** team id → unit id for every team whose events count. */
  teamToUnit: Map<number, number>;
  rollup: boolean;
}

export function planUnits(org: Org, view: View, unitSlug?: string | null): UnitPlan {
  const scope = unitSlug ? org.bySlug.get(unitSlug) : null;
  if (unitSlug && !scope) throw new NotFoundError("unit", unitSlug);
  const teamToUnit = new Map<number, number>();

  if (view === "teams") {
    const inScope = scope ? org.subtree(scope.id).map((id) => org.byId.get(id)!) : org.teams;
    // Groups are listed only if events were booked on them directly (pruned by the caller).
    for (const t of inScope) teamToUnit.set(t.id, t.id);
    return { scope: scope ?? null, units: inScope, teamToUnit, rollup: false };
  }

  let units: OrgTeam[];
  if (scope) units = scope.childIds.length ? scope.childIds.map((id) => org.byId.get(id)!) : [scope];
  else {
    const roots = org.teams.filter((t) => t.depth === 0);
    const trees = roots.filter((t) => t.childIds.length > 0);
    units =
      trees.length === 1
        ? [...trees[0].childIds.map((id) => org.byId.get(id)!), ...roots.filter((t) => t !== trees[0])]
        : roots;
  }
  for (const u of units) for (const id of org.subtree(u.id)) teamToUnit.set(id, u.id);
  return { scope: scope ?? null, units, teamToUnit, rollup: true };
}
