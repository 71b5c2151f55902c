import type { Prisma } from "@/lib/generated/prisma/client";
import { activePerson } from "@/lib/rules/active-person";

// The coarse rollups (daily_team_usage, daily_team_totals, person_activity, person_tool_activity) are derived from daily_usage. The
// ingest statement keeps them in step; anything that rewrites daily_usage in bulk (`rollups
// rebuild`, a bulk load) calls this afterwards, in the same transaction.

export async function rebuildCoarseRollups(tx: Prisma.TransactionClient | { $executeRaw: Prisma.TransactionClient["$executeRaw"] }): Promise<void> {
  await tx.$executeRaw`DELETE FROM daily_team_usage`;
  await tx.$executeRaw`DELETE FROM person_activity`;
  await tx.$executeRaw`DELETE FROM daily_team_totals`;
  await tx.$executeRaw`DELETE FROM person_tool_activity`;
  await tx.$executeRaw`
    INSERT INTO person_tool_activity (month, team_id, tool_id, person_id, days)
    SELECT date_trunc('month', day)::date, team_id, tool_id, person_id, bit_or(1 << (extract(day FROM day)::int - 1))
    FROM daily_usage
    WHERE ${activePerson("daily_usage")}
    GROUP BY 1, 2, 3, 4`;
  await tx.$executeRaw`
    INSERT INTO daily_team_totals (day, team_id, events, invocations, input_tokens, output_tokens,
      cache_read_tokens, cache_write_tokens, cost_usd, lines_added, lines_removed, commits, pull_requests)
    SELECT day, team_id, sum(events), sum(invocations), sum(input_tokens), sum(output_tokens),
      sum(cache_read_tokens), sum(cache_write_tokens), sum(cost_usd), sum(lines_added), sum(lines_removed), sum(commits), sum(pull_requests)
    FROM daily_usage GROUP BY 1, 2`;
  await tx.$executeRaw`
    INSERT INTO daily_team_usage (day, team_id, tool_id, model, events, invocations, input_tokens, output_tokens,
      cache_read_tokens, cache_write_tokens, cost_usd, lines_added, lines_removed, commits, pull_requests)
    SELECT day, team_id, tool_id, model, sum(events), sum(invocations), sum(input_tokens), sum(output_tokens),
      sum(cache_read_tokens), sum(cache_write_tokens), sum(cost_usd), sum(lines_added), sum(lines_removed), sum(commits), sum(pull_requests)
    FROM daily_usage GROUP BY 1, 2, 3, 4`;
  await tx.$executeRaw`
    INSERT INTO person_activity (month, team_id, person_id, days)
    SELECT date_trunc('month', day)::date, team_id, person_id, bit_or(1 << (extract(day FROM day)::int - 1))
    FROM daily_usage
    WHERE ${activePerson("daily_usage")}
    GROUP BY 1, 2, 3`;
}
