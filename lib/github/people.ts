import { Prisma } from "@/lib/generated/prisma/client";
import { UNASSIGNED } from "@/lib/ingest/resolve";
import { personTeamAt } from "@/lib/rules/member-at";
import { loginFromEmail, type Who } from "@/lib/github/signals";

type Tx = Prisma.TransactionClient;

// Commit and pull-request authors → people, through the identity table, with the same
// unmapped-identity flow as usage events: an unknown GitHub login (kind `github.login`, matched
// case-insensitively, as GitHub does) or commit email (kind `user.email`, as usage events record emails) is recorded with no person
// for an admin to map. The team is the person's team at the commit or merge time
// (membership history); without a person, `unassigned`.

export interface Attribution {
  personId: number | null;
  teamId: number;
}

interface Ref {
  kind: "github.login" | "user.email";
  value: string;
}

/** The identities a commit or PR author is known by, most specific first. */
export function refsOf(who: Who | null): Ref[] {
  if (!who) return [];
  const refs: Ref[] = [];
  const login = who.login?.toLowerCase() || loginFromEmail(who.email);
  if (login) refs.push({ kind: "github.login", value: login });
  const email = who.email?.toLowerCase();
  if (email && email.includes("@") && !loginFromEmail(email)) refs.push({ kind: "user.email", value: email });
  return refs;
}

async function lookup(tx: Tx, refs: Ref[]): Promise<Map<string, number | null>> {
  const emails = refs.filter((r) => r.kind === "user.email").map((r) => r.value);
  const logins = refs.filter((r) => r.kind === "github.login").map((r) => r.value);
  const rows = await tx.$queryRaw<{ kind: string; value: string; person_id: number | null }[]>`
    SELECT 'user.email' AS kind, email AS value, id AS person_id FROM people WHERE email = ANY(${emails}::text[])
    UNION ALL SELECT 'user.email', value, person_id FROM identities WHERE value = ANY(${emails}::text[])
    UNION ALL SELECT kind, lower(value), person_id FROM identities WHERE kind = 'github.login' AND lower(value) = ANY(${logins}::text[])`;
  const found = new Map<string, number | null>();
  for (const r of rows) {
    const k = `${r.kind}:${r.value}`;
    if (r.person_id !== null || !found.has(k)) found.set(k, r.person_id);
  }
  return found;
}

/** Person and team for each (author, instant); unknown identities are recorded unmapped. */
export async function attribute(tx: Tx, asks: { who: Who | null; at: Date }[]): Promise<Attribution[]> {
  const refsPer = asks.map((a) => refsOf(a.who));
  const all = [...new Map(refsPer.flat().map((r) => [`${r.kind}:${r.value}`, r])).values()].sort((a, b) =>
    a.kind === b.kind ? (a.value < b.value ? -1 : 1) : a.kind < b.kind ? -1 : 1,
  );
  const found = await lookup(tx, all);
  const persons = refsPer.map((refs) => {
    for (const r of refs) {
      const id = found.get(`${r.kind}:${r.value}`);
      if (id) return id;
    }
    return null;
  });
  // An identity seen for the first time is linked to the person its sibling identifies (a
  // push names the GitHub account of a commit's email, so the login learns its person);
  // otherwise it is recorded unmapped, for an admin.
  const learnt = new Map<string, number | null>();
  refsPer.forEach((refs, i) => {
    for (const r of refs) {
      const k = `${r.kind}:${r.value}`;
      if (!found.has(k) && !learnt.get(k)) learnt.set(k, persons[i]);
    }
  });
  const unknown = all.filter((r) => learnt.has(`${r.kind}:${r.value}`));
  if (unknown.length) {
    await tx.$executeRaw`
      INSERT INTO identities (kind, value, person_id)
      SELECT * FROM unnest(${unknown.map((u) => u.kind)}::text[], ${unknown.map((u) => u.value)}::text[], ${unknown.map((u) => learnt.get(`${u.kind}:${u.value}`) ?? null)}::int[])
      ON CONFLICT (kind, value) DO NOTHING`;
  }

  await tx.$executeRaw`INSERT INTO teams (slug, name) VALUES (${UNASSIGNED}, ${UNASSIGNED}) ON CONFLICT (slug) DO NOTHING`;
  const idx = asks.map((_, i) => i).filter((i) => persons[i] !== null);
  const rows = await tx.$queryRaw<{ i: number; team_id: number | null }[]>`
    SELECT a.i, ${personTeamAt(Prisma.sql`a.person_id`, Prisma.sql`a.at`, Prisma.sql`p.team_id`)} AS team_id
    FROM unnest(${idx}::int[], ${idx.map((i) => persons[i]!)}::int[], ${idx.map((i) => asks[i].at.toISOString())}::timestamptz[]) AS a(i, person_id, at)
    JOIN people p ON p.id = a.person_id`;
  const teamOf = new Map(rows.filter((r) => r.team_id !== null).map((r) => [r.i, r.team_id!]));
  const [{ id: unassigned }] = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM teams WHERE slug = ${UNASSIGNED}`;
  return asks.map((_, i) => ({ personId: persons[i], teamId: teamOf.get(i) ?? unassigned }));
}
