import { describe, expect, it } from "vitest";
import { post, useIngestServer, SERVE_PATHS } from "@/test/helpers/http";
import { db } from "@/lib/db/client";
import { drainQueue } from "@/lib/rollups/drain";

// Exactly once, through HTTP: replays, and many clients racing with overlapping batches.
describe.each(SERVE_PATHS)("%s", (servePath) => {
  const api = useIngestServer("/api/v1/events", "race", servePath);

  const BASE = Date.UTC(2026, 10, 25, 0, 0, 0);

  /** The content of event `i` is a function of `i` alone, so every resend of it is a replay. */
  function event(i: number) {
    return {
      id: `race-${i}`,
      timestamp: new Date(BASE + ((i * 7919) % (4 * 86_400)) * 1000).toISOString(),
      tool: ["claude-code", "codex", "gemini-cli"][i % 3],
      team: ["payments", "platform", "search", "infra"][i % 4],
      user: i % 5 === 0 ? undefined : `dev${i % 9}@example.com`,
      model: ["opus", "sonnet", ""][i % 3] || undefined,
      invocations: i % 4,
      input_tokens: 1000 + i,
      output_tokens: (i * 13) % 500,
      cache_read_tokens: (i * 31) % 2000,
      cache_write_tokens: i % 7,
      cost_usd: (i % 10) / 4,
    };
  }

  async function sums() {
    await drainQueue();
    const prisma = await db();
    const [e] = await prisma.$queryRaw<Record<string, number>[]>`
      SELECT count(*)::float8 AS events, sum(invocations)::float8 AS invocations, sum(input_tokens)::float8 AS input,
        sum(output_tokens)::float8 AS output, sum(cache_read_tokens)::float8 AS cache_read, sum(cache_write_tokens)::float8 AS cache_write,
        sum(cost_usd)::float8 AS cost FROM usage_events`;
    const [r] = await prisma.$queryRaw<Record<string, number>[]>`
      SELECT sum(events)::float8 AS events, sum(invocations)::float8 AS invocations, sum(input_tokens)::float8 AS input,
        sum(output_tokens)::float8 AS output, sum(cache_read_tokens)::float8 AS cache_read, sum(cache_write_tokens)::float8 AS cache_write,
        sum(cost_usd)::float8 AS cost FROM daily_usage`;
    // Row by row: every rollup row equals the events it stands for, and no row is missing.
    const [diff] = await prisma.$queryRaw<{ n: number }[]>`
      WITH e AS (
        SELECT (occurred_at AT TIME ZONE 'UTC')::date AS day, team_id, coalesce(person_id, 0) AS person_id, tool_id, model,
          count(*) AS events, sum(invocations) AS invocations, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
          sum(cache_read_tokens) AS cache_read_tokens, sum(cache_write_tokens) AS cache_write_tokens, coalesce(sum(cost_usd), 0) AS cost_usd
        FROM usage_events GROUP BY 1, 2, 3, 4, 5),
      d AS (SELECT day, team_id, person_id, tool_id, model, events, invocations, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd FROM daily_usage)
      SELECT count(*)::int AS n FROM ((SELECT * FROM e EXCEPT SELECT * FROM d) UNION ALL (SELECT * FROM d EXCEPT SELECT * FROM e)) x`;
    // The dashboard's coarser rollups, written by the same drain, agree as well.
    const [coarse] = await prisma.$queryRaw<{ team_usage: number; team_totals: number; tokens: number }[]>`
      SELECT (SELECT sum(events) FROM daily_team_usage)::float8 AS team_usage, (SELECT sum(events) FROM daily_team_totals)::float8 AS team_totals,
        (SELECT sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens) FROM daily_team_totals)::float8 AS tokens`;
    expect(coarse).toEqual({ team_usage: e.events, team_totals: e.events, tokens: e.input + e.output + e.cache_read + e.cache_write });
    return { events: e, rollup: r, mismatchedRows: diff.n };
  }

  function expected(ids: Iterable<number>) {
    const t = { events: 0, invocations: 0, input: 0, output: 0, cache_read: 0, cache_write: 0, cost: 0 };
    for (const i of ids) {
      const e = event(i);
      t.events++;
      t.invocations += e.invocations;
      t.input += e.input_tokens;
      t.output += e.output_tokens;
      t.cache_read += e.cache_read_tokens;
      t.cache_write += e.cache_write_tokens;
      t.cost += e.cost_usd;
    }
    return t;
  }

  describe("idempotency over HTTP", () => {
    it("50 concurrent clients posting overlapping batches leave exact totals, events and rollups agreeing", async () => {
      const CLIENTS = 50;
      const BATCHES = 4;
      const SIZE = 60;
      const sent: number[][] = [];
      for (let c = 0; c < CLIENTS; c++) {
        for (let b = 0; b < BATCHES; b++) {
          // Overlapping windows over 0..1499, each shuffled differently (so lock orders differ).
          const start = (c * 29 + b * 211) % 1500;
          const ids = Array.from({ length: SIZE }, (_, k) => (start + k * 3) % 1500);
          sent.push(c % 2 ? ids.reverse() : ids);
        }
      }
      const answers = await Promise.all(
        Array.from({ length: CLIENTS }, async (_, c) => {
          const mine = [];
          for (let b = 0; b < BATCHES; b++) mine.push(await post(api.url, { events: sent[c * BATCHES + b].map(event) }, { key: api.key }));
          return mine;
        }),
      );
      const flat = answers.flat();
      expect(flat.map((a) => a.status).filter((s) => s !== 200)).toEqual([]);
      const unique = new Set(sent.flat());
      const accepted = flat.reduce((s, a) => s + a.body.accepted, 0);
      const duplicates = flat.reduce((s, a) => s + a.body.duplicates, 0);
      expect(flat.every((a) => a.body.rejected.length === 0)).toBe(true);
      expect(accepted).toBe(unique.size);
      expect(accepted + duplicates).toBe(sent.flat().length);

      const s = await sums();
      const want = expected(unique);
      expect(s.events.events).toBe(want.events);
      for (const k of Object.keys(want) as (keyof typeof want)[]) expect(s.events[k]).toBeCloseTo(want[k], 6);
      expect(s.rollup).toEqual(s.events);
      expect(s.mismatchedRows).toBe(0);
    });

    it("replaying every batch changes no totals", async () => {
      const before = await sums();
      const ids = Array.from({ length: 1500 }, (_, i) => i);
      const answers = await Promise.all(
        Array.from({ length: 15 }, (_, k) => post(api.url, { events: ids.slice(k * 100, k * 100 + 100).map(event) }, { key: api.key })),
      );
      expect(answers.reduce((s, a) => s + a.body.accepted, 0)).toBe(1500 - before.events.events);
      const after = await sums();
      const again = await Promise.all(
        Array.from({ length: 15 }, (_, k) => post(api.url, { events: ids.slice(k * 100, k * 100 + 100).map(event) }, { key: api.key })),
      );
      expect(again.every((a) => a.body.accepted === 0 && a.body.duplicates === 100)).toBe(true);
      expect(await sums()).toEqual(after);
    });

    it("the same new id sent concurrently with different contents is stored once; the others are conflicts", async () => {
      const before = await sums();
      const variants = Array.from({ length: 20 }, (_, k) => ({ ...event(99_999), input_tokens: k }));
      const answers = await Promise.all(variants.map((v) => post(api.url, { events: [v] }, { key: api.key })));
      const ok = answers.filter((a) => a.status === 200);
      expect(ok).toHaveLength(1);
      expect(ok[0].body.accepted).toBe(1);
      for (const a of answers.filter((x) => x.status !== 200)) {
        expect(a.status).toBe(400);
        expect(a.body.error.details.rejected[0].errors[0].path).toBe("id");
      }
      const after = await sums();
      expect(after.events.events).toBe(before.events.events + 1);
      expect(after.mismatchedRows).toBe(0);
    });

    it("single-event requests from many clients at once are grouped, yet each gets its own answer", async () => {
      const ids = Array.from({ length: 200 }, (_, i) => 50_000 + (i % 150));
      const answers = await Promise.all(ids.map((i) => post(api.url, event(i), { key: api.key })));
      expect(answers.every((a) => a.status === 200)).toBe(true);
      expect(answers.reduce((s, a) => s + a.body.accepted, 0)).toBe(150);
      expect(answers.reduce((s, a) => s + a.body.duplicates, 0)).toBe(50);
      expect(answers.every((a) => a.body.accepted + a.body.duplicates === 1 && a.body.rejected.length === 0)).toBe(true);
      expect((await sums()).mismatchedRows).toBe(0);
    });
  });
});
