import { db } from "@/lib/db/client";
import { config } from "@/lib/config";
import { rebuildCoarseRollups } from "@/lib/queries/rebuild-coarse-rollups";
import { UNASSIGNED } from "@/lib/ingest/resolve";
import { Prisma } from "@/lib/generated/prisma/client";
import { personTeamAt } from "@/lib/rules/member-at";

// `rollups rebuild [--reattribute]` (DESIGN.md §9): recompute every rollup from raw events,
// in one transaction, after a change of WAKEBOARD_TZ or a repair. With `reattribute`, first
// give events the person an admin mapped later (by the user the event reported), and
// re-resolve the team of events that landed in `unassigned` or in their key's team only
// because their person was unknown — by the same rule as ingest: the person's team at the
// event's time, else their current team.

export interface RebuildResult {
  personsLinked: number;
  teamsChanged: number;
  rollupRows: number;
  ms: number;
}

export async function rebuildRollups(opts: { reattribute?: boolean } = {}): Promise<RebuildResult> {
  const started = Date.now();
  const tz = config().WAKEBOARD_TZ;
  const prisma = await db();
  return prisma.$transaction(
    async (tx) => {
      // Ingest takes these row locks too; holding the table lock keeps new events out meanwhile.
      await tx.$executeRaw`LOCK TABLE usage_events, daily_usage IN SHARE ROW EXCLUSIVE MODE`;
      let personsLinked = 0;
      let teamsChanged = 0;
      if (opts.reattribute) {
        const linked = await tx.$queryRaw<{ id: bigint }[]>`
          UPDATE usage_events e SET person_id = r.person_id
          FROM (
            SELECT e2.id, coalesce(p.id, i.person_id) AS person_id
            FROM usage_events e2
            LEFT JOIN people p ON p.email = lower(e2.user_ref)
            LEFT JOIN LATERAL (SELECT person_id FROM identities WHERE value IN (e2.user_ref, lower(e2.user_ref)) AND person_id IS NOT NULL LIMIT 1) i ON true
            WHERE e2.person_id IS NULL AND e2.user_ref IS NOT NULL
          ) r
          WHERE e.id = r.id AND r.person_id IS NOT NULL
          RETURNING e.id`;
        personsLinked = linked.length;
        teamsChanged = await tx.$executeRaw`
          UPDATE usage_events e SET team_id = t.team_id
          FROM (
            SELECT e2.id, ${personTeamAt(Prisma.sql`e2.person_id`, Prisma.sql`e2.occurred_at`, Prisma.sql`p.team_id`)} AS team_id
            FROM usage_events e2
            JOIN people p ON p.id = e2.person_id
            LEFT JOIN api_keys k ON k.id = e2.api_key_id
            WHERE e2.team_id = (SELECT id FROM teams WHERE slug = ${UNASSIGNED})
               OR (e2.id = ANY(${linked.map((l) => String(l.id))}::bigint[]) AND e2.team_id IS NOT DISTINCT FROM k.team_id)
          ) t
          WHERE e.id = t.id AND t.team_id IS NOT NULL AND e.team_id <> t.team_id`;
      }
      await tx.$executeRaw`DELETE FROM daily_usage`;
      const rollupRows = await tx.$executeRaw`
        INSERT INTO daily_usage (day, team_id, person_id, tool_id, model, events, invocations, input_tokens,
          output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, lines_added, lines_removed, commits, pull_requests)
        SELECT (occurred_at AT TIME ZONE ${tz})::date, team_id, coalesce(person_id, 0), tool_id, model,
          count(*), sum(invocations), sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_write_tokens),
          coalesce(sum(cost_usd), 0), coalesce(sum(lines_added), 0), coalesce(sum(lines_removed), 0),
          coalesce(sum(commits), 0), coalesce(sum(pull_requests), 0)
        FROM usage_events GROUP BY 1, 2, 3, 4, 5`;
      await rebuildCoarseRollups(tx);
      return { personsLinked, teamsChanged, rollupRows, ms: Date.now() - started };
    },
    { timeout: 30 * 60_000, maxWait: 30_000 },
  );
}
