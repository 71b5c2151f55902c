import path from "node:path";
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { NO_DIFFERENCES, rollupDifferences } from "@/test/helpers/rollup-check";
import { db, withMaintenanceDb, type Db } from "@/lib/db/client";
import { ingest } from "@/lib/ingest/ingest";
import { drainQueue, LEADER_LOCK_IDS } from "@/lib/rollups/drain";
import { startAggregator } from "@/lib/rollups/aggregator";
import { queueStatus } from "@/lib/rollups/queue-status";

// The aggregator moves queued contributions into every rollup exactly once: a 1M-row queue,
// a drain killed with SIGKILL, two instances racing for leadership, and freshness. Every
// check compares each rollup with sums over the raw events (test/helpers/rollup-check.ts).

let database: TestDatabase;
const root = path.resolve(import.meta.dirname, "..");

beforeAll(async () => {
  database = await createTestDatabase();
  const prisma = await db();
  await prisma.$executeRaw`INSERT INTO teams (slug, name) SELECT 'gen-team-' || g, 'Team ' || g FROM generate_series(1, 20) g`;
  await prisma.$executeRaw`INSERT INTO tools (slug, name) SELECT 'gen-tool-' || g, 'Tool ' || g FROM generate_series(1, 3) g`;
  await prisma.$executeRaw`INSERT INTO people (email, name) SELECT 'gen' || g || '@example.com', 'Person ' || g FROM generate_series(1, 500) g`;
});
afterAll(() => database.drop());

/**
 * Stores events g = from…to straight into usage_events (as if ingested) and queues each
 * one's contribution as its own queue row, as the ingest statement would for single events.
 */
async function storeAndQueue(from: number, to: number) {
  await withMaintenanceDb((prisma) => generate(prisma, from, to));
}

async function generate(prisma: Db, from: number, to: number) {
  await prisma.$executeRaw`INSERT INTO usage_events (event_id, content_hash, occurred_at, team_id, person_id, tool_id, model, invocations, input_tokens,
       output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, lines_added, commits, source)
     SELECT 'gen-' || g, 'h', timestamptz '2026-09-01 00:00:00+00' + (g % 100) * interval '1 day' + (g::bigint * 7919 % 86400) * interval '1 second',
       (SELECT min(id) FROM teams WHERE slug LIKE 'gen-team-%') + g % 20,
       CASE WHEN g % 10 = 0 THEN NULL ELSE (SELECT min(id) FROM people) + g % 500 END,
       (SELECT min(id) FROM tools WHERE slug LIKE 'gen-tool-%') + g % 3, 'm' || (g % 4),
       g % 3, CASE WHEN g % 7 = 0 THEN 0 ELSE g % 5000 END, g % 700, CASE WHEN g % 4 = 0 THEN g % 9000 ELSE 0 END, g % 13,
       CASE WHEN g % 6 = 0 THEN NULL ELSE (g % 1000) / 10000.0 END, CASE WHEN g % 5 = 0 THEN g % 50 END, NULL, 'gen'
     FROM generate_series(${from}::int, ${to}::int) g`;
  await prisma.$executeRaw`INSERT INTO rollup_queue (day, team_id, person_id, tool_id, model, events, invocations, input_tokens, output_tokens,
       cache_read_tokens, cache_write_tokens, cost_usd, lines_added, lines_removed, commits, pull_requests)
     SELECT (occurred_at AT TIME ZONE 'UTC')::date, team_id, coalesce(person_id, 0), tool_id, model, 1, invocations, input_tokens,
       output_tokens, cache_read_tokens, cache_write_tokens, coalesce(cost_usd, 0), coalesce(lines_added, 0), coalesce(lines_removed, 0),
       coalesce(commits, 0), coalesce(pull_requests, 0)
     FROM usage_events WHERE event_id = ANY(SELECT 'gen-' || g FROM generate_series(${from}::int, ${to}::int) g)`;
}

async function otherBackends(): Promise<{ pid: number; state: string; query: string }[]> {
  return (await db()).$queryRaw`
    SELECT pid, state, query FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`;
}

describe("rollup aggregator", () => {
  it("drains a queue of 1,000,000 rows into every rollup with exact totals", { timeout: 20 * 60_000 }, async () => {
    await storeAndQueue(1, 1_000_000);
    expect((await queueStatus()).depth).toBe(1_000_000);
    const r = await drainQueue();
    expect(r).toEqual({ rows: 1_000_000, events: 1_000_000 });
    expect((await queueStatus()).depth).toBe(0);
    expect(await rollupDifferences()).toEqual(NO_DIFFERENCES);
  });

  it("leaves every figure exact when the draining process is killed with SIGKILL mid-drain", { timeout: 10 * 60_000 }, async () => {
    if (database.kind !== "postgres") return; // a second process cannot open the embedded database
    await storeAndQueue(1_000_001, 1_250_000);
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/cli/main.ts", "rollups", "drain"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: database.url!, LOG_LEVEL: "warn" },
      stdio: "ignore",
    });
    const exited = new Promise<NodeJS.Signals | null>((r) => child.once("exit", (_code, signal) => r(signal)));
    // Kill it while a drain statement of its runs (a transaction moving queue rows is open).
    await vi.waitFor(
      async () => {
        const busy = (await otherBackends()).filter((b) => b.state === "active" && b.query.includes("DELETE FROM rollup_queue"));
        if (!busy.length) throw new Error("no drain running yet");
      },
      { timeout: 5 * 60_000, interval: 20 },
    );
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    // PostgreSQL rolls the orphaned transaction back once its backend finds the client gone.
    await vi.waitFor(
      async () => {
        if ((await otherBackends()).length) throw new Error("the killed process's backend is still there");
      },
      { timeout: 5 * 60_000, interval: 100 },
    );
    const left = (await queueStatus()).depth;
    expect(left).toBeGreaterThan(0); // that drain did not commit
    const r = await drainQueue();
    expect(r.rows).toBe(left);
    expect(await rollupDifferences()).toEqual(NO_DIFFERENCES);
  });

  it("elects one leader that drains; another instance takes over when the leader's connection dies", { timeout: 5 * 60_000 }, async () => {
    if (database.kind !== "postgres") return; // one process, always the leader
    const prisma = await db();
    const a = startAggregator();
    await a.becameLeader();
    const b = startAggregator();
    try {
      await vi.waitFor(() => expect(b.stats.attempts).toBeGreaterThan(0), { timeout: 60_000 });
      expect([a.leader, b.leader]).toEqual([true, false]);

      await storeAndQueue(1_250_001, 1_260_000);
      await vi.waitFor(async () => expect((await queueStatus()).depth).toBe(0), { timeout: 120_000, interval: 50 });
      expect(a.stats.rows).toBe(10_000);
      expect(b.stats.drains).toBe(0);

      // The leader's lock connection dies (its process crashed, the network cut it): the
      // lock goes with it and the follower takes over.
      const [holder] = await prisma.$queryRaw<{ pid: number }[]>`
        SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = ${LEADER_LOCK_IDS[0]}::oid AND objid = ${LEADER_LOCK_IDS[1]}::oid AND granted`;
      expect(holder).toBeDefined();
      await prisma.$queryRaw`SELECT pg_terminate_backend(${holder.pid}::int)`;
      await a.stop(); // and that instance is gone
      await b.becameLeader();
      expect(b.leader).toBe(true);

      await storeAndQueue(1_260_001, 1_270_000);
      await vi.waitFor(async () => expect((await queueStatus()).depth).toBe(0), { timeout: 120_000, interval: 50 });
      expect(b.stats.rows).toBe(10_000);
      expect(await rollupDifferences()).toEqual(NO_DIFFERENCES);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it("makes an accepted event visible in the rollups within a bound that cannot flake (the tight figure is bench:ingest's)", { timeout: 5 * 60_000 }, async () => {
    const prisma = await db();
    const aggregator = startAggregator();
    const seen: number[] = [];
    try {
      for (let i = 0; i < 20; i++) {
        const model = `fresh-${i}`;
        const t0 = performance.now();
        const r = await ingest([{ id: `fresh-${i}`, timestamp: new Date().toISOString(), tool: "claude-code", team: "fresh", model, input_tokens: 10 + i }], { source: "test" });
        expect(r.accepted).toBe(1);
        await vi.waitFor(
          async () => {
            const [row] = await prisma.$queryRaw<{ n: number }[]>`SELECT sum(input_tokens)::int AS n FROM daily_team_usage WHERE model = ${model}`;
            expect(row.n).toBe(10 + i);
          },
          { timeout: 60_000, interval: 10 },
        );
        seen.push(performance.now() - t0);
      }
    } finally {
      await aggregator.stop();
    }
    seen.sort((x, y) => x - y);
    console.log(`freshness over ${seen.length} events: p50 ${Math.round(seen[seen.length >> 1])} ms, max ${Math.round(seen[seen.length - 1])} ms`);
    expect(seen[seen.length - 1]).toBeLessThan(30_000);
    expect(await rollupDifferences()).toEqual(NO_DIFFERENCES);
  });

  it("cannot overflow: the largest costs the events table can store sum exactly, and later events still drain", async () => {
    const prisma = await db();
    // 10,000 events at the largest cost_usd usage_events can hold (numeric(20,6)), one team
    // and day: 10^18 USD, beyond the old numeric(20,6) rollup columns.
    await prisma.$executeRaw`INSERT INTO usage_events (event_id, content_hash, occurred_at, team_id, tool_id, model, invocations, cost_usd, source)
       SELECT 'huge-' || g, 'h', timestamptz '2026-11-02 10:00:00+00', (SELECT min(id) FROM teams), (SELECT min(id) FROM tools), '', 1,
         99999999999999.999999, 'gen'
       FROM generate_series(1, 10000) g`;
    await prisma.$executeRaw`INSERT INTO rollup_queue (day, team_id, person_id, tool_id, model, events, invocations, cost_usd)
       SELECT '2026-11-02', team_id, 0, tool_id, '', 1, 1, cost_usd FROM usage_events WHERE event_id LIKE 'huge-%'`;
    await drainQueue();
    const r = await ingest([{ id: "after-huge", timestamp: "2026-11-02T11:00:00Z", tool: "gen-tool-1", team: "gen-team-1", cost_usd: 1.5 }], {
      source: "test",
      now: new Date("2026-11-03T00:00:00Z"),
    });
    expect(r.accepted).toBe(1);
    await drainQueue();
    const [t] = await prisma.$queryRaw<{ cost: string }[]>`
      SELECT sum(cost_usd)::text AS cost FROM daily_team_totals WHERE day = '2026-11-02'`;
    const [raw] = await prisma.$queryRaw<{ cost: string }[]>`
      SELECT sum(cost_usd)::text AS cost FROM usage_events WHERE (occurred_at AT TIME ZONE 'UTC')::date = '2026-11-02'`;
    expect(t.cost).toBe(raw.cost);
    expect(await rollupDifferences()).toEqual(NO_DIFFERENCES);
  });
});

describe("freshness banner", () => {
  it("says \"Data as of …\" on every dashboard page while the oldest queued row is more than 5 s old, and nothing otherwise", async () => {
    const { renderToStaticMarkup } = await import("react-dom/server");
    const { DataFreshness } = await import("@/components/shell/data-freshness");
    const prisma = await db();
    const render = async () => {
      const el = await DataFreshness();
      return el ? renderToStaticMarkup(el) : "";
    };
    await drainQueue();
    expect(await render()).toBe("");
    const r = await ingest([{ id: "late-banner", timestamp: "2026-11-30T10:00:00Z", tool: "claude-code", team: "banner", input_tokens: 3 }], {
      source: "test",
      now: new Date("2026-12-01T00:00:00Z"),
    });
    expect(r.accepted).toBe(1);
    expect(await render()).toBe(""); // just queued: fresh enough
    // The aggregator has been stuck for a minute: its oldest row says so.
    const [{ at }] = await prisma.$queryRaw<{ at: Date }[]>`
      UPDATE rollup_queue SET enqueued_at = date_trunc('second', now()) - interval '1 minute' RETURNING enqueued_at AS at`;
    const status = await queueStatus(new Date(at.getTime() + 60_000));
    expect(status).toMatchObject({ depth: 1, events: 1, lagMs: 60_000 });
    const html = await render();
    expect(html).toContain(`Data as of ${at.toISOString().slice(0, 19).replace("T", " ")} (UTC)`);
    expect(html).toContain("1 newer event is stored");
    await drainQueue();
    expect(await render()).toBe("");
  });
});
