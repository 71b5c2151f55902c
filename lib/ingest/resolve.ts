import { Prisma } from "@/lib/generated/prisma/client";
import type { CanonicalEvent, FieldError } from "@/lib/ingest/validate";
import { personTeamAt } from "@/lib/rules/member-at";

type Tx = Prisma.TransactionClient;

export const UNASSIGNED = "unassigned";

/** What an API key allows: its own team (the fallback) and, when restricted, that subtree only. */
export interface KeyScope {
  id: number;
  teamId: number | null;
}

export type Resolved = { teamId: number; personId: number | null; toolId: number } | { error: FieldError; forbidden?: boolean };

const uniqueSorted = (xs: (string | undefined | null)[]) => [...new Set(xs.filter((x): x is string => !!x))].sort();

interface Known {
  tools: Map<string, number>;
  teams: Map<string, number>;
  /** person id by email or identity value; null for an identity an admin has not mapped yet */
  people: Map<string, number | null>;
}

/** Tools and teams by slug, people by email or identity: one round trip. */
async function lookup(tx: Tx, toolSlugs: string[], teamSlugs: string[], refs: string[]): Promise<Known> {
  const rows = await tx.$queryRaw<{ kind: string; id: number | null; ref: string }[]>`
    SELECT 'tool' AS kind, id, slug AS ref FROM tools WHERE slug = ANY(${toolSlugs}::text[])
    UNION ALL SELECT 'team', id, slug FROM teams WHERE slug = ANY(${teamSlugs}::text[])
    UNION ALL SELECT 'person', id, email FROM people WHERE email = ANY(${refs}::text[])
    UNION ALL SELECT 'identity', person_id, value FROM identities WHERE value = ANY(${refs}::text[])`;
  const known: Known = { tools: new Map(), teams: new Map(), people: new Map() };
  for (const r of rows) {
    if (r.kind === "tool") known.tools.set(r.ref, r.id!);
    else if (r.kind === "team") known.teams.set(r.ref, r.id!);
    else if (r.id !== null || !known.people.has(r.ref)) known.people.set(r.ref, r.id);
  }
  return known;
}

/**
 * Everything resolution needs, created on first sight: tools, team slugs (unless strict),
 * and unknown people as unmapped identities for an admin. Usually all exist and this is
 * one query; otherwise the missing ones are inserted (ON CONFLICT DO NOTHING, in key
 * order) and read again in a new statement, whose snapshot also sees rows a concurrent
 * transaction just committed. `readOnly` answers null instead of writing.
 */
async function known(tx: Tx, events: CanonicalEvent[], createTeams: boolean, readOnly: boolean): Promise<Known | null> {
  const toolSlugs = uniqueSorted(events.map((e) => e.tool));
  // `unassigned` is always there to fall back on, even with WAKEBOARD_STRICT_TEAMS.
  const teamSlugs = uniqueSorted([...events.map((e) => e.team), UNASSIGNED]);
  const refs = uniqueSorted(events.flatMap((e) => [e.user?.toLowerCase(), ...(e.identities ?? []).map((i) => i.value)]));
  const found = await lookup(tx, toolSlugs, teamSlugs, refs);

  const newTools = toolSlugs.filter((s) => !found.tools.has(s));
  const newTeams = teamSlugs.filter((s) => !found.teams.has(s) && (createTeams || s === UNASSIGNED));
  const unknown: { kind: string; value: string }[] = [];
  for (const e of events) {
    const user = e.user?.toLowerCase();
    if (user && !found.people.has(user)) unknown.push({ kind: user.includes("@") ? "user.email" : "user", value: user });
    for (const i of e.identities ?? []) if (!found.people.has(i.value)) unknown.push(i);
  }
  if (!newTools.length && !newTeams.length && !unknown.length) return found;
  if (readOnly) return null;

  if (newTools.length) {
    await tx.$executeRaw`INSERT INTO tools (slug, name) SELECT s, s FROM unnest(${newTools}::text[]) AS s ORDER BY s ON CONFLICT (slug) DO NOTHING`;
  }
  if (newTeams.length) {
    // Unknown team slugs are created on first sight, flagged for an admin to review.
    await tx.$executeRaw`INSERT INTO teams (slug, name, unreviewed) SELECT s, s, s <> ${UNASSIGNED} FROM unnest(${newTeams}::text[]) AS s ORDER BY s ON CONFLICT (slug) DO NOTHING`;
  }
  if (unknown.length) {
    const uniq = [...new Map(unknown.map((u) => [`${u.kind}\u0000${u.value}`, u])).values()].sort((a, b) =>
      a.kind === b.kind ? (a.value < b.value ? -1 : 1) : a.kind < b.kind ? -1 : 1,
    );
    await tx.$executeRaw`
      INSERT INTO identities (kind, value) SELECT * FROM unnest(${uniq.map((u) => u.kind)}::text[], ${uniq.map((u) => u.value)}::text[])
      ON CONFLICT (kind, value) DO NOTHING`;
  }
  const again = await lookup(tx, toolSlugs, teamSlugs, refs);
  for (const u of unknown) if (!again.people.has(u.value)) again.people.set(u.value, null);
  return again;
}

/** The person's team at each instant, from membership history (else their current team). */
async function teamsAt(tx: Tx, asks: { i: number; personId: number; at: Date }[]): Promise<Map<number, number>> {
  if (!asks.length) return new Map();
  const rows = await tx.$queryRaw<{ i: number; team_id: number }[]>`
    SELECT a.i, ${personTeamAt(Prisma.sql`a.person_id`, Prisma.sql`a.at`, Prisma.sql`p.team_id`)} AS team_id
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
 * person's team at occurred_at → the key's team → `unassigned`. With `readOnly`, answers
 * null instead of creating a missing tool, team or identity.
 */
export async function resolveEvents(
  tx: Tx,
  events: CanonicalEvent[],
  opts: { keys: readonly (KeyScope | null)[]; strictTeams: boolean; readOnly?: boolean },
): Promise<Resolved[] | null> {
  const found = await known(tx, events, !opts.strictTeams, opts.readOnly ?? false);
  if (!found) return null;
  const { tools, teams, people } = found;

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
  // Each event's key (one call may carry several keys' events): its team is the fallback,
  // and a restricted key allows only that team's subtree.
  const subtrees = new Map<number, Set<number>>();
  for (const k of opts.keys) if (k?.teamId && !subtrees.has(k.teamId)) subtrees.set(k.teamId, await subtree(tx, k.teamId));

  return events.map((e, i) => {
    let teamId: number | undefined;
    if (e.team) {
      teamId = teams.get(e.team);
      if (teamId === undefined) return { error: { path: "team", message: `unknown team "${e.team}" (WAKEBOARD_STRICT_TEAMS is on)` } };
    } else {
      teamId = byMembership.get(i) ?? opts.keys[i]?.teamId ?? teams.get(UNASSIGNED)!;
    }
    const allowed = opts.keys[i]?.teamId ? subtrees.get(opts.keys[i]!.teamId!) : undefined;
    if (allowed && !allowed.has(teamId)) {
      return { error: { path: "team", message: "is outside the teams this API key may report for" }, forbidden: true };
    }
    return { teamId, personId: persons[i], toolId: tools.get(e.tool)! };
  });
}
