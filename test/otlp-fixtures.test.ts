import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { db } from "@/lib/db/client";
import { handleOtlp } from "@/lib/otlp/handle-otlp";
import { captures, expectedTotals, storedTotals } from "@/test/fixtures/otlp/captures";

// The real CLIs' captures, posted as they were sent, must add up to exactly what the mock
// model API reported — per tool, per token kind — and a second delivery must change nothing.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

const now = new Date("2026-11-29T04:00:00Z");
const post = (c: ReturnType<typeof captures>[number]) =>
  handleOtlp({ signal: c.signal, contentType: "application/json", body: c.body, now, logTools: [] });

function withoutCost(t: Awaited<ReturnType<typeof storedTotals>>) {
  return Object.fromEntries(Object.entries(t).map(([tool, { cost_usd: _c, events: _e, ...rest }]) => [tool, rest]));
}

describe("OTLP captures from Claude Code, Gemini CLI and Codex", () => {
  it("posted in order, store exactly the tokens and sessions the model API saw, per tool and token kind", async () => {
    for (const c of captures()) {
      const res = await post(c);
      expect(res.status, `${c.tool}/${c.run}/${c.file}`).toBe(200);
      expect(JSON.parse(res.body as string), `${c.tool}/${c.run}/${c.file}`).toEqual({});
    }
    const expected = expectedTotals();
    expect(expected["claude-code"].requests).toBe(3);
    expect(expected["gemini-cli"].requests).toBe(4);
    expect(expected.codex.requests).toBe(2);
    const stored = await storedTotals();
    expect(withoutCost(stored)).toEqual(
      Object.fromEntries(Object.entries(expected).map(([tool, { requests: _r, runs: _n, ...t }]) => [tool, t])),
    );
    expect(stored["claude-code"].cost_usd).toBeCloseTo(3 * 0.009795, 6);
  });

  it("posting everything a second time changes nothing", async () => {
    const before = await storedTotals();
    for (const c of captures()) expect((await post(c)).status).toBe(200);
    expect(await storedTotals()).toEqual(before);
  });

  it("makes one event of the token types (and cost) that share attributes and time", async () => {
    const prisma = await db();
    const rows = await prisma.$queryRaw<{ tool: string; events: number }[]>`
      SELECT t.slug AS tool, count(*)::int AS events FROM usage_events e JOIN tools t ON t.id = e.tool_id
      WHERE e.input_tokens > 0 GROUP BY t.slug ORDER BY t.slug`;
    // Claude Code: one token event per run; Gemini CLI: one per model call; Codex: one per turn.
    expect(rows).toEqual([
      { tool: "claude-code", events: 3 },
      { tool: "codex", events: 2 },
      { tool: "gemini-cli", events: 4 },
    ]);
    const [claude] = await prisma.$queryRaw<{ invocations: number; cost: number; model: string; session_id: string }[]>`
      SELECT e.invocations::int, e.cost_usd::float8 AS cost, e.model, e.session_id FROM usage_events e JOIN tools t ON t.id = e.tool_id
      WHERE t.slug = 'claude-code' AND e.input_tokens > 0 LIMIT 1`;
    expect(claude).toMatchObject({ invocations: 0, cost: 0.009795, model: "claude-opus-4-8[1m]" });
    expect(claude.session_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("tags every event with the team from OTEL_RESOURCE_ATTRIBUTES team.id", async () => {
    const prisma = await db();
    const teams = await prisma.$queryRaw<{ slug: string }[]>`SELECT DISTINCT tm.slug FROM usage_events e JOIN teams tm ON tm.id = e.team_id`;
    expect(teams).toEqual([{ slug: "platform" }]);
  });

  it("records the identities the CLIs report (user.email, user.id, installation.id) for an admin to map", async () => {
    const prisma = await db();
    const ids = await prisma.$queryRaw<{ kind: string; n: number }[]>`
      SELECT kind, count(*)::int AS n FROM identities WHERE person_id IS NULL GROUP BY kind ORDER BY kind`;
    expect(ids).toEqual([
      { kind: "installation.id", n: 1 },
      { kind: "user.email", n: 1 },
      { kind: "user.id", n: 1 },
    ]);
  });
});
