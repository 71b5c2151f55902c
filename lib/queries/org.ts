import { db } from "@/lib/db/client";

// The org tree (org → group → team) as the queries need it: read once per request, small
// (hundreds of rows), walked in memory.

export interface OrgTeam {
  id: number;
  slug: string;
  name: string;
  parentId: number | null;
  headcountOverride: number | null;
  archived: boolean;
  unreviewed: boolean;
  /** Slugs from the root down to this team, joined by "/": "acme/platform/payments". */
  path: string;
  depth: number;
  childIds: number[];
}

export interface Org {
  teams: OrgTeam[];
  byId: Map<number, OrgTeam>;
  bySlug: Map<string, OrgTeam>;
  /** The team and every team below it. */
  subtree(id: number): number[];
  /** The team and every team above it. */
  ancestors(id: number): number[];
}

export async function loadOrg(): Promise<Org> {
  const prisma = await db();
  const rows = await prisma.team.findMany({ orderBy: { slug: "asc" } });
  const byId = new Map<number, OrgTeam>();
  for (const r of rows) {
    byId.set(r.id, {
      id: r.id,
      slug: r.slug,
      name: r.name,
      parentId: r.parentId,
      headcountOverride: r.headcountOverride,
      archived: r.archivedAt !== null,
      unreviewed: r.unreviewed,
      path: r.slug,
      depth: 0,
      childIds: [],
    });
  }
  for (const t of byId.values()) if (t.parentId !== null) byId.get(t.parentId)?.childIds.push(t.id);
  const place = (t: OrgTeam, path: string, depth: number, seen: Set<number>) => {
    if (seen.has(t.id)) return; // a cycle would be a data error; never loop on it
    seen.add(t.id);
    t.path = path;
    t.depth = depth;
    for (const c of t.childIds) place(byId.get(c)!, `${path}/${byId.get(c)!.slug}`, depth + 1, seen);
  };
  const seen = new Set<number>();
  for (const t of byId.values()) if (t.parentId === null || !byId.has(t.parentId)) place(t, t.slug, 0, seen);
  return orgOf([...byId.values()]);
}

/** Builds the lookup helpers over a list of teams (also used by tests). */
export function orgOf(teams: OrgTeam[]): Org {
  const byId = new Map(teams.map((t) => [t.id, t]));
  const bySlug = new Map(teams.map((t) => [t.slug, t]));
  return {
    teams,
    byId,
    bySlug,
    subtree(id) {
      const out: number[] = [];
      const stack = [id];
      while (stack.length) {
        const t = byId.get(stack.pop()!);
        if (!t || out.includes(t.id)) continue;
        out.push(t.id);
        stack.push(...t.childIds);
      }
      return out;
    },
    ancestors(id) {
      const out: number[] = [];
      for (let t = byId.get(id); t && !out.includes(t.id); t = t.parentId === null ? undefined : byId.get(t.parentId)) out.push(t.id);
      return out;
    },
  };
}
