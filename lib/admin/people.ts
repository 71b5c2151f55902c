import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import { AdminError } from "@/lib/admin/errors";
import { audit } from "@/lib/admin/audit";

// People, their identities and their membership history (DESIGN.md §3). A move between teams
// closes the current membership at the effective instant and opens a new one, so events
// before that instant keep resolving to the old team.

type Tx = Prisma.TransactionClient;

export interface AdminPerson {
  id: number;
  email: string;
  name: string;
  team: { id: number; slug: string; name: string } | null;
  identities: { id: number; kind: string; value: string }[];
  memberships: { teamSlug: string; from: Date; to: Date | null }[];
}

function peopleWhere(q: string, teamId?: number) {
  const term = q.trim();
  return {
    ...(teamId ? { teamId } : {}),
    ...(term
      ? {
          OR: [
            { email: { contains: term, mode: "insensitive" as const } },
            { name: { contains: term, mode: "insensitive" as const } },
            { identities: { some: { value: { contains: term, mode: "insensitive" as const } } } },
            { team: { slug: term.toLowerCase() } },
          ],
        }
      : {}),
  };
}

/** How many people match `q` (for paging). */
export async function countPeople(q: string, opts: { teamId?: number } = {}): Promise<number> {
  return (await db()).person.count({ where: peopleWhere(q, opts.teamId) });
}

/** People matching `q` (email, name, identity value or team slug), by email, a page at a time. */
export async function searchPeople(q: string, opts: { teamId?: number; limit?: number; offset?: number } = {}): Promise<AdminPerson[]> {
  const people = await (await db()).person.findMany({
    where: peopleWhere(q, opts.teamId),
    include: { team: true, identities: { orderBy: { id: "asc" } }, memberships: { include: { team: true }, orderBy: { validFrom: "desc" } } },
    orderBy: { email: "asc" },
    take: Math.min(opts.limit ?? 50, 200),
    skip: opts.offset ?? 0,
  });
  return people.map((p) => ({
    id: p.id,
    email: p.email,
    name: p.name,
    team: p.team ? { id: p.team.id, slug: p.team.slug, name: p.team.name } : null,
    identities: p.identities.map((i) => ({ id: i.id, kind: i.kind, value: i.value })),
    memberships: p.memberships.map((m) => ({ teamSlug: m.team.slug, from: m.validFrom, to: m.validTo })),
  }));
}

/**
 * Moves a person to `teamId` from `effective` on, inside `tx`. Closes the open membership at
 * `effective` (which must not precede it) and opens a new one. No-op when already there.
 */
export async function moveInTx(tx: Tx, personId: number, teamId: number, effective: Date, now = new Date()): Promise<{ moved: boolean; fromTeamId: number | null }> {
  // A person's current team changes at once, so a move cannot wait for a future date.
  if (effective.getTime() > now.getTime()) throw new AdminError("The effective date cannot be in the future.", "effective");
  const person = await tx.person.findUnique({ where: { id: personId } });
  if (!person) throw new AdminError("That person no longer exists.");
  const open = await tx.membership.findFirst({ where: { personId, validTo: null }, orderBy: { validFrom: "desc" } });
  if (person.teamId === teamId && (!open || open.teamId === teamId)) return { moved: false, fromTeamId: person.teamId };
  const later = await tx.membership.findFirst({ where: { personId, validFrom: { gt: effective } } });
  if (later) throw new AdminError(`The effective date must be on or after ${later.validFrom.toISOString().slice(0, 10)}, when the current membership started.`, "effective");
  if (open) {
    if (open.validFrom.getTime() === effective.getTime()) await tx.membership.delete({ where: { id: open.id } });
    else await tx.membership.update({ where: { id: open.id }, data: { validTo: effective } });
  }
  await tx.membership.create({ data: { personId, teamId, validFrom: effective } });
  await tx.person.update({ where: { id: personId }, data: { teamId } });
  return { moved: true, fromTeamId: person.teamId };
}

export async function movePerson(personId: number, teamSlug: string, effective: Date, actor: string) {
  const prisma = await db();
  const team = await prisma.team.findUnique({ where: { slug: teamSlug } });
  if (!team) throw new AdminError(`Unknown team "${teamSlug}".`, "team");
  if (team.archivedAt) throw new AdminError(`Team "${teamSlug}" is archived.`, "team");
  return prisma.$transaction(async (tx) => {
    const r = await moveInTx(tx, personId, team.id, effective);
    if (r.moved) await audit(tx, actor, "person.move", { type: "person", id: personId }, { fromTeamId: r.fromTeamId, toTeam: teamSlug, effective: effective.toISOString() });
    return r;
  });
}

export interface UnmappedIdentity {
  id: number;
  kind: string;
  value: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  events: number;
}

/** Identities seen in telemetry that no person claims yet, most recently seen first. */
export async function listUnmappedIdentities(q = "", limit = 100): Promise<UnmappedIdentity[]> {
  const term = q.trim();
  const prisma = await db();
  const rows = await prisma.identity.findMany({
    where: { personId: null, ...(term ? { value: { contains: term, mode: "insensitive" } } : {}) },
    orderBy: [{ lastSeenAt: "desc" }, { id: "desc" }],
    take: Math.min(limit, 500),
  });
  if (!rows.length) return [];
  const counts = await prisma.$queryRaw<{ ref: string; n: number }[]>`
    SELECT user_ref AS ref, count(*)::int AS n FROM usage_events
    WHERE person_id IS NULL AND user_ref = ANY(${rows.map((r) => r.value)}::text[]) GROUP BY user_ref`;
  const byRef = new Map(counts.map((c) => [c.ref, c.n]));
  return rows.map((r) => ({ id: r.id, kind: r.kind, value: r.value, firstSeenAt: r.firstSeenAt, lastSeenAt: r.lastSeenAt, events: byRef.get(r.value) ?? 0 }));
}

/** Points an unassigned identity at a person; new events resolve to them from now on. */
export async function mapIdentity(identityId: number, personEmail: string, actor: string) {
  const prisma = await db();
  const person = await prisma.person.findUnique({ where: { email: personEmail.trim().toLowerCase() } });
  if (!person) throw new AdminError(`No person with email "${personEmail}".`, "person");
  const identity = await prisma.identity.findUnique({ where: { id: identityId } });
  if (!identity) throw new AdminError("That identity no longer exists.");
  if (identity.personId !== null && identity.personId !== person.id) throw new AdminError(`${identity.value} already belongs to someone else.`);
  return prisma.$transaction(async (tx) => {
    await tx.identity.update({ where: { id: identityId }, data: { personId: person.id } });
    await audit(tx, actor, "identity.map", { type: "identity", id: identityId }, { kind: identity.kind, value: identity.value, person: person.email });
    return { identity: identity.value, person: person.email };
  });
}
