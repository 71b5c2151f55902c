import type { Prisma } from "@/lib/generated/prisma/client";
import type { CanonicalEvent, FieldError } from "@/lib/ingest/validate";

type Tx = Prisma.TransactionClient;

export const UNASSIGNED = "unassigned";

/** What an API key allows: its own team (the fallback) and, when restricted, that subtree only. */
export interface KeyScope {
  id: number;
  teamId: number | null;
}

export type Resolved = { teamId: number; personId: number | null; toolId: number } | { error: FieldError; forbidden?: boolean };

const uniqueSorted = (xs: (string | undefined | null)[]) => [...new Set(xs.filter((x): x is string => !!x))].sort();

/**
 * Tool and team ids by slug in one round trip. Usually every slug exists already; only
 * then are missing ones inserted (ON CONFLICT DO NOTHING) and read again in a new
 * statement, whose snapshot also sees rows a concurrent transaction just committed.
 */
async function toolsAndTeams(tx: Tx, toolSlugs: string[], teamSlugs: string[], createTeams: boolean) {
  const read = async () => {
    const rows = await tx.$queryRaw<{ kind: string; id: number; slug: string }[]>`
      SELECT 'tool' AS kind, id, slug FROM tools WHERE slug = ANY(${toolSlugs}::text[])
      UNION ALL SELECT 'team' AS kind, id, slug FROM teams WHERE slug = ANY(${teamSlugs}::text[])`;
    const tools = new Map<string, number>();
    const teams = new Map<string, number>();
    for (const r of rows) (r.kind === "tool" ? tools : teams).set(r.slug, r.id);
    return { tools, teams };
  };
  let found = await read();
  const newTools = toolSlugs.filter((s) => !found.tools.has(s));
  const newTeams = teamSlugs.filter((s) => !found.teams.has(s) && (createTeams || s === UNASSIGNED));
  if (newTools.length || newTeams.length) {
    if (newTools.length) {
      await tx.$executeRaw`INSERT INTO tools (slug, name) SELECT s, s FROM unnest(${newTools}::text[]) AS s ORDER BY s ON CONFLICT (slug) DO NOTHING`;
    }
    if (newTeams.length) {
      // Unknown team slugs are created on first sight, flagged for an admin to review.
      await tx.$executeRaw`INSERT INTO teams (slug, name, unreviewed) SELECT s, s, s <> ${UNASSIGNED} FROM unnest(${newTeams}::text[]) AS s ORDER BY s ON CONFLICT (slug) DO NOTHING`;
    }
    found = await read();
  }
  return found;
}

/** Looks up people by primary email or any identity; unknown ids are recorded unmapped for an admin. */
async function peopleByRef(tx: Tx, events: CanonicalEvent[]): Promise<Map<string, number | null>> {
  const refs = uniqueSorted(events.flatMap((e) => [e.user?.toLowerCase(), ...(e.identities ?? []).map((i) => i.value)]));
  const found = new Map<string, number | null>();
  if (!refs.length) return found;
  const rows = await tx.$queryRaw<{ ref: string; person_id: number | null }[]>`
    SELECT email AS ref, id AS person_id FROM people WHERE email = ANY(${refs}::text[])
    UNION ALL
    SELECT value AS ref, person_id FROM identities WHERE value = ANY(${refs}::text[])`;
  for (const r of rows) if (r.person_id !== null || !found.has(r.ref)) found.set(r.ref, r.person_id);

  const unknown: { kind: string; value: string }[] = [];
  for (const e of events) {
    const user = e.user?.toLowerCase();
    if (user && !found.has(user)) unknown.push({ kind: user.includes("@") ? "user.email" : "user", value: user });
    for (const i of e.identities ?? []) if (!found.has(i.value)) unknown.push(i);
  }
  if (unknown.length) {
    const uniq = [...new Map(unknown.map((u) => [`${u.kind}\u0000${u.value}`, u])).values()].sort((a, b) =>
      a.kind === b.kind ? (a.value < b.value ? -1 : 1) : a.kind < b.kind ? -1 : 1,
    );
    await tx.$executeRaw`
      INSERT INTO identities (kind, value) SELECT * FROM unnest(${uniq.map((u) => u.kind)}::text[], ${uniq.map((u) => u.value)}::text[])
      ON CONFLICT (kind, value) DO NOTHING`;
    for (const u of uniq) if (!found.has(u.value)) found.set(u.value, null);
  }
  return found;
}

/** The person's team at each instant, from membership history (else their current team). */
async function teamsAt(tx: Tx, asks: { i: number; personId: number; at: Date }[]): Promise<Map<number, number>> {
  if (!asks.length) return new Map();
  const rows = await tx.$queryRaw<{ i: number; team_id: number }[]>`
    SELECT a.i, coalesce(
      (SELECT m.team_id FROM memberships m
        WHERE m.person_id = a.person_id AND m.valid_from <= a.at AND (m.valid_to IS NULL OR m.valid_to > a.at)
        ORDER BY m.valid_from DESC LIMIT 1),
      p.team_id) AS team_id
    FROM unnest(${asks.map((a) => a.i)}::int[], ${asks.map((a) => a.personId)}::int[], ${asks.map((a) => a.at.toISOString())}::timestamptz[])
      AS a(i, person_id, at)
    JOIN people p ON p.id = a.person_id`;
  return new Map(rows.filter((r) => r.team_id !== null).map((r) => [r.i, r.team_id]));
}

async function subtree(tx: Tx, teamId: number): Promise<Set<number>> {
  const rows = await tx.$queryRaw<{ id: number }[]>`
    WITH RECURSIVE t AS (SELECT id FROM teams WHERE id = ${teamId} UNION SELECT c.id FROM teams c JOIN t ON c.parent_id = t.id)
    SELECT id FROM t`;
  return new Set(rows.map((r) => r.id));
}

/**
 * Team resolution, the same for every source (DESIGN.md §4.1): explicit team → the
 * person's team at occurred_at → the key's team → `unassigned`.
 */
export async function resolveEvents(
  tx: Tx,
  events: CanonicalEvent[],
  opts: { key: KeyScope | null; strictTeams: boolean },
): Promise<Resolved[]> {
  const explicit = uniqueSorted(events.map((e) => e.team));
  // `unassigned` is always there to fall back on, even with WAKEBOARD_STRICT_TEAMS.
  const { tools, teams } = await toolsAndTeams(tx, uniqueSorted(events.map((e) => e.tool)), uniqueSorted([...explicit, UNASSIGNED]), !opts.strictTeams);
  const people = await peopleByRef(tx, events);

  const personOf = (e: CanonicalEvent): number | null => {
    for (const ref of [e.user?.toLowerCase(), ...(e.identities ?? []).map((i) => i.value)]) {
      const id = ref ? people.get(ref) : undefined;
      if (id) return id;
    }
    return null;
  };
  const persons = events.map(personOf);
  const byMembership = await teamsAt(
    tx,
    events.flatMap((e, i) => (!e.team && persons[i] !== null ? [{ i, personId: persons[i]!, at: e.occurredAt }] : [])),
  );
  const allowed = opts.key?.teamId ? await subtree(tx, opts.key.teamId) : null;

  return events.map((e, i) => {
    let teamId: number | undefined;
    if (e.team) {
      teamId = teams.get(e.team);
      if (teamId === undefined) return { error: { path: "team", message: `unknown team "${e.team}" (WAKEBOARD_STRICT_TEAMS is on)` } };
    } else {
      teamId = byMembership.get(i) ?? opts.key?.teamId ?? teams.get(UNASSIGNED)!;
    }
    if (allowed && !allowed.has(teamId)) {
      return { error: { path: "team", message: "is outside the teams this API key may report for" }, forbidden: true };
    }
    return { teamId, personId: persons[i], toolId: tools.get(e.tool)! };
  });
}
