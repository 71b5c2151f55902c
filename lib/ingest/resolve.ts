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

const refsOf = (e: CanonicalEvent) => [e.user?.toLowerCase(), ...(e.identities ?? []).map((i) => i.value)];

/** The identities to record for an admin to map: users and OTLP ids no one is known by yet. */
function unknownIdentities(events: CanonicalEvent[], people: Known["people"]): { kind: string; value: string }[] {
  const unknown = new Map<string, { kind: string; value: string }>();
  for (const e of events) {
    const user = e.user?.toLowerCase();
    if (user && !people.has(user)) unknown.set(`user\u0000${user}`, { kind: user.includes("@") ? "user.email" : "user", value: user });
    for (const i of e.identities ?? []) if (!people.has(i.value)) unknown.set(`${i.kind}\u0000${i.value}`, i);
  }
  return [...unknown.values()].sort((a, b) => (a.kind === b.kind ? (a.value < b.value ? -1 : 1) : a.kind < b.kind ? -1 : 1));
}

/**
 * Team resolution, the same for every source (DESIGN.md §4.1): explicit team → the
 * person's team at occurred_at → the key's team → `unassigned`.
 *
 * An event is refused (unknown team under WAKEBOARD_STRICT_TEAMS, or a team outside the key's)
 * from what exists already, before anything is created: only events that are kept create the
 * tools, unreviewed teams and unmapped identities they name (a team created on first sight has
 * no parent, so it is outside every restricted key's teams). With `readOnly`, answers null
 * instead of creating anything.
 */
export async function resolveEvents(
  tx: Tx,
  events: CanonicalEvent[],
  opts: { keys: readonly (KeyScope | null)[]; strictTeams: boolean; readOnly?: boolean },
): Promise<Resolved[] | null> {
  const toolSlugs = uniqueSorted(events.map((e) => e.tool));
  const teamSlugs = uniqueSorted([...events.map((e) => e.team), UNASSIGNED]);
  const refs = uniqueSorted(events.flatMap(refsOf));
  let found = await lookup(tx, toolSlugs, teamSlugs, refs);

  const personOf = (e: CanonicalEvent): number | null => {
    for (const ref of refsOf(e)) {
      const id = ref ? found.people.get(ref) : undefined;
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
  const forbidden = { error: { path: "team", message: "is outside the teams this API key may report for" }, forbidden: true } as const;

  // Each event's team: an id, the slug of a team to create, or why the event is refused.
  const plan = events.map((e, i): number | string | Extract<Resolved, { error: FieldError }> => {
    const fallback = byMembership.get(i) ?? opts.keys[i]?.teamId ?? undefined;
    const allowed = opts.keys[i]?.teamId ? subtrees.get(opts.keys[i]!.teamId!) : undefined;
    const slug = e.team ?? (fallback === undefined ? UNASSIGNED : undefined);
    const teamId = slug === undefined ? fallback : found.teams.get(slug);
    if (teamId === undefined) {
      if (opts.strictTeams && slug !== UNASSIGNED) return { error: { path: "team", message: `unknown team "${slug}" (WAKEBOARD_STRICT_TEAMS is on)` } };
      return allowed ? forbidden : slug!;
    }
    return allowed && !allowed.has(teamId) ? forbidden : teamId;
  });

  const kept = events.filter((_, i) => typeof plan[i] !== "object");
  const newTools = uniqueSorted(kept.map((e) => e.tool)).filter((s) => !found.tools.has(s));
  // `unassigned` is always there to fall back on (a system team no event names).
  const newTeams = uniqueSorted([...plan.filter((p): p is string => typeof p === "string"), found.teams.has(UNASSIGNED) ? null : UNASSIGNED]);
  const unknown = unknownIdentities(kept, found.people);
  if (newTools.length || newTeams.length || unknown.length) {
    if (opts.readOnly) return null;
    if (newTools.length) {
      await tx.$executeRaw`INSERT INTO tools (slug, name) SELECT s, s FROM unnest(${newTools}::text[]) AS s ORDER BY s ON CONFLICT (slug) DO NOTHING`;
    }
    if (newTeams.length) {
      // Unknown team slugs are created on first sight, flagged for an admin to review.
      await tx.$executeRaw`INSERT INTO teams (slug, name, unreviewed) SELECT s, s, s <> ${UNASSIGNED} FROM unnest(${newTeams}::text[]) AS s ORDER BY s ON CONFLICT (slug) DO NOTHING`;
    }
    if (unknown.length) {
      await tx.$executeRaw`
        INSERT INTO identities (kind, value) SELECT * FROM unnest(${unknown.map((u) => u.kind)}::text[], ${unknown.map((u) => u.value)}::text[])
        ON CONFLICT (kind, value) DO NOTHING`;
    }
    // A new statement: its snapshot also sees rows a concurrent transaction just committed.
    found = await lookup(tx, toolSlugs, teamSlugs, refs);
  }

  return events.map((e, i) => {
    const p = plan[i];
    if (typeof p === "object") return p;
    return { teamId: typeof p === "number" ? p : found.teams.get(p)!, personId: persons[i], toolId: found.tools.get(e.tool)! };
  });
}
