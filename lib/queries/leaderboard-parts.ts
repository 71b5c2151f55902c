import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import type { Period } from "@/lib/time/period";
import { aggregateUsage } from "@/lib/queries/aggregate-usage";
import type { ToolInfo } from "@/lib/queries/catalog";
import type { Sums } from "@/lib/queries/metrics";
import type { Org } from "@/lib/queries/org";
import { peopleAccess, type PeopleViewer } from "@/lib/queries/people-access";
import { teamsBelowFloor } from "@/lib/queries/privacy-floor";
import type { LeaderboardRow } from "@/lib/queries/get-leaderboard";

// Splits leaderboard rows by tool or by person (the export's team × tool and person grains).
// Person parts are filled only where the viewer may see people (privacy floor included).

export type PartGrain = "team-tool" | "person";

export interface LeaderboardPart extends Sums {
  tool?: { slug: string; name: string };
  /** null: usage reported without a known person. */
  person?: { id: number; email: string; name: string } | null;
}

export async function getPeopleParts(
  rows: LeaderboardRow[],
  opts: {
    grain: PartGrain;
    period: Period;
    teamToUnit: Map<number, number>;
    tools: ToolInfo[];
    toolIds?: number[];
    models?: string[];
    viewer?: PeopleViewer;
    org: Org;
  },
): Promise<void> {
  let teamToUnit = opts.teamToUnit;
  if (opts.grain === "person") {
    const min = config().WAKEBOARD_MIN_GROUP;
    const allowed = new Set<number>();
    for (const r of rows) {
      const access = peopleAccess(opts.viewer, r.teamId, r.activeUsers, min);
      if (access === "ok") allowed.add(r.teamId);
      else r.partsHidden = access;
    }
    teamToUnit = new Map([...teamToUnit].filter(([, unit]) => allowed.has(unit)));
    // A unit's people never include figures from a team below the floor inside it.
    const hidden = new Set(await teamsBelowFloor([...teamToUnit.keys()], opts.period, opts.viewer));
    teamToUnit = new Map([...teamToUnit].filter(([team]) => !hidden.has(team)));
  }
  const parts = await aggregateUsage({
    windows: [opts.period],
    units: teamToUnit,
    by: [opts.grain === "person" ? "person" : "tool"],
    toolIds: opts.toolIds,
    models: opts.models,
  });
  const toolById = new Map(opts.tools.map((t) => [t.id, t]));
  const personIds = [...new Set(parts.flatMap((p) => (p.personId ? [p.personId] : [])))];
  const people = personIds.length
    ? await (await db()).person.findMany({ where: { id: { in: personIds } }, select: { id: true, email: true, name: true } })
    : [];
  const personById = new Map(people.map((p) => [p.id, p]));

  const byUnit = new Map<number, LeaderboardPart[]>();
  for (const p of parts) {
    const { window: _w, unitId, toolId, personId, model: _m, bucket: _b, ...sums } = p;
    const part: LeaderboardPart = { ...sums };
    if (opts.grain === "person") part.person = personId ? (personById.get(personId) ?? null) : null;
    else {
      const t = toolById.get(toolId!);
      part.tool = { slug: t?.slug ?? String(toolId), name: t?.name ?? String(toolId) };
    }
    byUnit.set(unitId, [...(byUnit.get(unitId) ?? []), part]);
  }
  const key = (p: LeaderboardPart) => (p.tool ? p.tool.slug : p.person ? p.person.email : "\uffff");
  for (const r of rows) {
    if (r.partsHidden) continue;
    r.parts = (byUnit.get(r.teamId) ?? []).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }
}
