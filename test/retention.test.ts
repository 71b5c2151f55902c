import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { db } from "@/lib/db/client";
import { resetConfig } from "@/lib/config";
import { ingest } from "@/lib/ingest/ingest";
import { runRetention } from "@/lib/retention/retention";
import { drainQueue } from "@/lib/rollups/drain";

// Retention: raw events past WAKEBOARD_RETENTION_DAYS go (in bounded batches), the rollups the
// pages read stay (unless WAKEBOARD_ROLLUP_RETENTION_DAYS), silent OTLP series are forgotten,
// and idempotency holds for every id: a deleted event's replay is refused, never counted again.

let database: TestDatabase;
const DAY = 86_400_000;
const now = new Date();
const ago = (days: number) => new Date(now.getTime() - days * DAY).toISOString();
const ages = [1, 10, 29, 40, 45, 100, 200, 400];
const events = ages.flatMap((d) => Array.from({ length: 5 }, (_, i) => ({ id: `r-${d}-${i}`, timestamp: ago(d), tool: "codex", team: "alpha", input_tokens: d * 10 + i })));

function withEnv(env: Record<string, string>) {
  Object.assign(process.env, env);
  resetConfig();
}

async function sums() {
  const prisma = await db();
  const [r] = await prisma.$queryRaw<{ raw: number; rawn: number; fine: number; totals: number; activity: number }[]>`
    SELECT (SELECT coalesce(sum(input_tokens), 0)::float8 FROM usage_events) AS raw, (SELECT count(*)::int FROM usage_events) AS rawn,
      (SELECT coalesce(sum(input_tokens), 0)::float8 FROM daily_usage) AS fine, (SELECT coalesce(sum(input_tokens), 0)::float8 FROM daily_team_totals) AS totals,
      (SELECT count(*)::int FROM daily_usage) AS activity`;
  return r;
}

beforeAll(async () => {
  database = await createTestDatabase();
  withEnv({ WAKEBOARD_RETENTION_DAYS: "0", WAKEBOARD_ROLLUP_RETENTION_DAYS: "0" });
  expect((await ingest(events, { source: "test" })).accepted).toBe(events.length);
  await drainQueue(); // the rollups are written by the aggregator (issue 10)
  const prisma = await db();
  await prisma.$executeRaw`INSERT INTO tools (slug, name) VALUES ('gemini-cli', 'gemini-cli') ON CONFLICT DO NOTHING`;
  await prisma.$executeRaw`INSERT INTO otlp_series (key, tool_id, start_time_nano, last_time_nano, last_value, updated_at)
    SELECT k, (SELECT id FROM tools WHERE slug = 'gemini-cli'), 1, 2, 3, now() - (d || ' days')::interval
    FROM (VALUES ('gemini-cli:fresh', 1), ('gemini-cli:silent', 45)) AS s(k, d)`;
});
afterAll(async () => {
  withEnv({ WAKEBOARD_RETENTION_DAYS: "730", WAKEBOARD_ROLLUP_RETENTION_DAYS: "0" });
  await database?.drop();
});

describe("retention", () => {
  it("deletes raw events past the window in bounded batches and keeps every rollup", async () => {
    const before = await sums();
    expect(before.raw).toBe(events.reduce((a, e) => a + e.input_tokens, 0));
    withEnv({ WAKEBOARD_RETENTION_DAYS: "30" });
    const r = await runRetention({ now, batchSize: 7 });
    // Older than 30 + 1 days of grace: 40, 45, 100, 200 and 400 days old.
    const gone = events.filter((e) => now.getTime() - Date.parse(e.timestamp) > 31 * DAY);
    expect(r.events).toBe(gone.length);
    expect(r.batches).toBe(Math.floor(gone.length / 7) + 1);
    expect(r.complete).toBe(true);
    const after = await sums();
    expect(after.rawn).toBe(events.length - gone.length);
    expect(after.raw).toBe(before.raw - gone.reduce((a, e) => a + e.input_tokens, 0));
    // The pages' source is untouched.
    expect({ fine: after.fine, totals: after.totals }).toEqual({ fine: before.fine, totals: before.totals });
    expect(r.series).toBe(1);
    const prisma = await db();
    expect((await prisma.otlpSeries.findMany()).map((s) => s.key)).toEqual(["gemini-cli:fresh"]);
  });

  it("keeps idempotency for every id: a deleted event's replay is refused, a kept one is a duplicate", async () => {
    const before = await sums();
    const replay = await ingest(events, { source: "test" });
    expect(replay.accepted).toBe(0);
    expect(replay.duplicates).toBe(events.filter((e) => now.getTime() - Date.parse(e.timestamp) <= 30 * DAY).length);
    for (const rej of replay.rejected) expect(rej.errors[0].message).toMatch(/older than the retention period/);
    expect(await sums()).toEqual(before);
  });

  it("stops after its time budget and finishes on the next run", async () => {
    withEnv({ WAKEBOARD_RETENTION_DAYS: "5" });
    const first = await runRetention({ now, batchSize: 1, maxMs: 0 });
    expect(first).toMatchObject({ events: 1, batches: 1, complete: false });
    const second = await runRetention({ now, batchSize: 1000 });
    expect(second.complete).toBe(true);
    expect((await sums()).rawn).toBe(5); // only the 1-day-old events remain
  });

  it("drops rollups past WAKEBOARD_ROLLUP_RETENTION_DAYS, by whole days and whole months", async () => {
    withEnv({ WAKEBOARD_RETENTION_DAYS: "5", WAKEBOARD_ROLLUP_RETENTION_DAYS: "60" });
    const r = await runRetention({ now });
    expect(r.rollupRows).toBeGreaterThan(0);
    const prisma = await db();
    const [oldest] = await prisma.$queryRaw<{ day: string; month: string | null }[]>`
      SELECT min(day)::text AS day, (SELECT min(month)::text FROM person_activity) AS month FROM daily_usage`;
    expect(Date.parse(oldest.day)).toBeGreaterThanOrEqual(Date.parse(ago(61).slice(0, 10)));
    const rows = await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM daily_team_totals WHERE day < (now() - interval '60 days')::date`;
    expect(rows[0].n).toBe(0);
  });
});
