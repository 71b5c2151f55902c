import { Prisma } from "@/lib/generated/prisma/client";

// "Active person" (DESIGN.md §5), the one definition: a person with any usage —
// invocations or tokens > 0 — on a row of the fine rollup (or any relation with its
// columns: the rollup queue, raw events). person_id 0 is "no person" in the rollups.
// Every query, rollup and bitmap that counts active people uses these fragments.

/** A table alias, checked so that only a plain identifier ever reaches the SQL. */
function alias(a: string): Prisma.Sql {
  if (!/^[a-z_][a-z0-9_]*$/.test(a)) throw new Error(`not an SQL alias: ${a}`);
  return Prisma.raw(`${a}.`);
}

/** The row counts as activity: invocations or tokens > 0. */
export function activeUsage(a: string): Prisma.Sql {
  const x = alias(a);
  return Prisma.sql`(${x}invocations > 0 OR ${x}input_tokens + ${x}output_tokens + ${x}cache_read_tokens + ${x}cache_write_tokens > 0)`;
}

/** The row makes its person active: a known person (not 0) with activity. */
export function activePerson(a: string): Prisma.Sql {
  return Prisma.sql`(${alias(a)}person_id <> 0 AND ${activeUsage(a)})`;
}
