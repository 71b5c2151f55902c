import { Prisma } from "@/lib/generated/prisma/client";

// "Member of a team at time T" (DESIGN.md §3), the one definition: a membership row
// covers the half-open interval [valid_from, valid_to); valid_to NULL = still a member.
// Ingest's team resolution, `rollups rebuild --reattribute`, headcount, team people and
// team sources all use these fragments.

function alias(a: string): Prisma.Sql {
  if (!/^[a-z_][a-z0-9_]*$/.test(a)) throw new Error(`not an SQL alias: ${a}`);
  return Prisma.raw(`${a}.`);
}

/** The membership row `m` covers the instant `at` (a timestamptz expression). */
export function memberAt(m: string, at: Prisma.Sql): Prisma.Sql {
  const x = alias(m);
  return Prisma.sql`(${x}valid_from <= ${at} AND (${x}valid_to IS NULL OR ${x}valid_to > ${at}))`;
}

/**
 * Membership at the end of a period whose exclusive end is `end`: at its last instant.
 * Memberships are stored to the millisecond (timestamptz(3)), so that instant is end − 1 ms.
 */
export function memberAtEnd(m: string, end: Prisma.Sql): Prisma.Sql {
  return memberAt(m, Prisma.sql`(${end}::timestamptz - interval '1 millisecond')`);
}

/** The team of `personId` at `at` from membership history, else `fallback` (their current team). */
export function personTeamAt(personId: Prisma.Sql, at: Prisma.Sql, fallback: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`coalesce(
      (SELECT m.team_id FROM memberships m WHERE m.person_id = ${personId} AND ${memberAt("m", at)}
        ORDER BY m.valid_from DESC LIMIT 1),
      ${fallback})`;
}
