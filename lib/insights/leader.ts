import pg from "pg";
import { config } from "@/lib/config";
import { pgConfig } from "@/lib/db/client";

// Leader election for periodic jobs: the instance holding a PostgreSQL advisory lock (on its
// own connection, for the length of the run) does the work; the others skip this round.
// The embedded database admits one process, which is therefore always the leader.

export async function asLeader<T>(name: string, fn: () => Promise<T>): Promise<{ leader: true; result: T } | { leader: false }> {
  const c = config();
  if (!c.DATABASE_URL) return { leader: true, result: await fn() };
  const client = new pg.Client(pgConfig(c.DATABASE_URL, 1) as pg.ClientConfig);
  await client.connect();
  try {
    const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext($1)) AS ok", [`wakeboard:${name}`]);
    if (!rows[0].ok) return { leader: false };
    try {
      return { leader: true, result: await fn() };
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext($1))", [`wakeboard:${name}`]).catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}
