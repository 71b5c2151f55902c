import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { buildDataset } from "@/test/helpers/queries-dataset";
import { db } from "@/lib/db/client";
import { ingest } from "@/lib/ingest/ingest";
import { rebuildRollups } from "@/lib/ingest/rebuild-rollups";
import { drainQueue } from "@/lib/rollups/drain";

// The coarse rollups are written by the aggregator's drain next to daily_usage; they must
// always say exactly what daily_usage says, and a rebuild must reproduce them.

let database: TestDatabase;
beforeAll(async () => {
  process.env.WAKEBOARD_TZ = "Europe/Berlin";
  database = await createTestDatabase();
  await buildDataset();
});
afterAll(async () => {
  await database.drop();
  delete process.env.WAKEBOARD_TZ;
});

async function differences() {
  const prisma = await db();
  const [r] = await prisma.$queryRaw<{ team_usage: number; team_totals: number; activity: number; tool_activity: number }[]>`
    WITH fine_team AS (
      SELECT day, team_id, tool_id, model, sum(events) AS events, sum(invocations) AS invocations,
        sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens) AS tokens, sum(cost_usd) AS cost
      FROM daily_usage GROUP BY 1, 2, 3, 4),
    coarse_team AS (
      SELECT day, team_id, tool_id, model, events, invocations, input_tokens + output_tokens + cache_read_tokens + cache_write_tokens AS tokens, cost_usd AS cost
      FROM daily_team_usage),
    fine_totals AS (SELECT day, team_id, sum(events) AS events, sum(invocations) AS invocations, sum(cost_usd) AS cost FROM daily_usage GROUP BY 1, 2),
    coarse_totals AS (SELECT day, team_id, events, invocations, cost_usd AS cost FROM daily_team_totals),
    fine_activity AS (
      SELECT date_trunc('month', day)::date AS month, team_id, person_id, bit_or(1 << (extract(day FROM day)::int - 1)) AS days
      FROM daily_usage WHERE person_id <> 0 AND (invocations > 0 OR input_tokens + output_tokens + cache_read_tokens + cache_write_tokens > 0)
      GROUP BY 1, 2, 3),
    fine_tool_activity AS (
      SELECT date_trunc('month', day)::date AS month, team_id, tool_id, person_id, bit_or(1 << (extract(day FROM day)::int - 1)) AS days
      FROM daily_usage WHERE person_id <> 0 AND (invocations > 0 OR input_tokens + output_tokens + cache_read_tokens + cache_write_tokens > 0)
      GROUP BY 1, 2, 3, 4)
    SELECT
      (SELECT count(*) FROM ((SELECT * FROM fine_team EXCEPT SELECT * FROM coarse_team) UNION ALL (SELECT * FROM coarse_team EXCEPT SELECT * FROM fine_team)) x)::int AS team_usage,
      (SELECT count(*) FROM ((SELECT * FROM fine_totals EXCEPT SELECT * FROM coarse_totals) UNION ALL (SELECT * FROM coarse_totals EXCEPT SELECT * FROM fine_totals)) x)::int AS team_totals,
      (SELECT count(*) FROM ((SELECT * FROM fine_activity EXCEPT SELECT month, team_id, person_id, days FROM person_activity)
        UNION ALL (SELECT month, team_id, person_id, days FROM person_activity EXCEPT SELECT * FROM fine_activity)) x)::int AS activity,
      (SELECT count(*) FROM ((SELECT * FROM fine_tool_activity EXCEPT SELECT month, team_id, tool_id, person_id, days FROM person_tool_activity)
        UNION ALL (SELECT month, team_id, tool_id, person_id, days FROM person_tool_activity EXCEPT SELECT * FROM fine_tool_activity)) x)::int AS tool_activity`;
  return r;
}

describe("coarse rollups", () => {
  it("agree with daily_usage after ingest, including batches that update existing rows", async () => {
    // Same day, team, person, tool and model as rows already there: ON CONFLICT DO UPDATE paths.
    await ingest(
      [
        { id: "late-1", timestamp: "2026-11-25T10:00:00Z", tool: "codex", model: "m1", user: "crm0@example.com", input_tokens: 7 },
        { id: "late-2", timestamp: "2026-11-25T10:00:01Z", tool: "codex", model: "m1", user: "crm0@example.com", invocations: 0 },
        { id: "late-3", timestamp: "2026-10-31T23:30:00Z", tool: "codex", team: "crm", input_tokens: 5 },
      ],
      { source: "test", now: new Date("2026-11-29T12:00:00Z") },
    );
    await drainQueue();
    const prisma = await db();
    expect(Number((await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM person_activity`)[0].n)).toBeGreaterThan(10);
    expect(await differences()).toEqual({ team_usage: 0, team_totals: 0, activity: 0, tool_activity: 0 });
  });

  it("are reproduced by a rollups rebuild", async () => {
    await rebuildRollups();
    expect(await differences()).toEqual({ team_usage: 0, team_totals: 0, activity: 0, tool_activity: 0 });
  });
});
