import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { db } from "@/lib/db/client";
import { handleOtlp } from "@/lib/otlp/handle-otlp";
import { captures, expectedTotals, storedTotals } from "@/test/fixtures/otlp/captures";

// DESIGN.md §4.2 rule by rule: logs as the chosen source, cumulative series, the generic
// GenAI mapping, identities and team resolution.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

const now = new Date("2026-11-29T04:00:00Z");
const T0 = 1795921000000000000n;
const at = (seconds: number) => String(T0 + BigInt(seconds) * 1_000_000_000n);
const kv = (attrs: Record<string, string | number>) =>
  Object.entries(attrs).map(([key, v]) => ({ key, value: typeof v === "number" ? { intValue: String(v) } : { stringValue: v } }));

function metrics(resource: Record<string, string>, metric: Record<string, unknown>) {
  const body = JSON.stringify({ resourceMetrics: [{ resource: { attributes: kv(resource) }, scopeMetrics: [{ metrics: [metric] }] }] });
  return handleOtlp({ signal: "metrics", contentType: "application/json", body: new TextEncoder().encode(body), now });
}

async function truncate() {
  const prisma = await db();
  await prisma.$executeRaw`TRUNCATE usage_events, rollup_queue, daily_usage, daily_team_usage, daily_team_totals, person_activity, person_tool_activity, otlp_series`;
}

async function sql<T>(q: TemplateStringsArray, ...v: unknown[]): Promise<T[]> {
  const prisma = await db();
  return prisma.$queryRaw<T[]>(q, ...v);
}

describe("logs as the chosen source (WAKEBOARD_OTLP_LOG_TOOLS)", () => {
  it("counts tokens and cost from the log events only, sessions from metrics, and still adds up exactly", async () => {
    for (const c of captures()) {
      const res = await handleOtlp({ signal: c.signal, contentType: "application/json", body: c.body, now, logTools: ["claude-code", "gemini-cli", "codex"] });
      expect(res.status, `${c.tool}/${c.run}/${c.file}`).toBe(200);
    }
    const stored = await storedTotals();
    for (const [tool, t] of Object.entries(expectedTotals())) {
      const { requests: _r, runs: _n, ...want } = t;
      expect(stored[tool], tool).toMatchObject(want);
    }
    expect(stored["claude-code"].cost_usd).toBeCloseTo(3 * 0.009795, 6);
    const [fromLogs] = await sql<{ n: number }>`SELECT count(*)::int AS n FROM usage_events WHERE attributes->>'otlp.signal' = 'logs'`;
    expect(fromLogs.n).toBe(3 + 4 + 2);
    await truncate();
  });
});

describe("cumulative series (generic GenAI mapping for an in-house agent)", () => {
  const histogram = (points: { start: number; time: number; sum: number }[]) => ({
    name: "gen_ai.client.token.usage",
    histogram: {
      aggregationTemporality: 2,
      dataPoints: points.map((p) => ({
        startTimeUnixNano: at(p.start),
        timeUnixNano: at(p.time),
        count: "1",
        sum: p.sum,
        attributes: kv({ "gen_ai.token.type": "input", "gen_ai.request.model": "acme-1", "gen_ai.response.model": "acme-1-0925" }),
      })),
    },
  });
  const send = (points: { start: number; time: number; sum: number }[]) => metrics({ "service.name": "Acme Agent", "team.id": "tools" }, histogram(points));
  const total = async () => (await storedTotals())["acme-agent"]?.input_tokens ?? 0;

  it("counts the first point in full and later points by their increase", async () => {
    expect((await send([{ start: 0, time: 10, sum: 100 }])).status).toBe(200);
    expect(await total()).toBe(100);
    await send([{ start: 0, time: 20, sum: 160 }]);
    expect(await total()).toBe(160);
  });

  it("treats a point at or before the last time as a duplicate", async () => {
    await send([{ start: 0, time: 20, sum: 160 }]);
    await send([{ start: 0, time: 15, sum: 130 }]);
    expect(await total()).toBe(160);
  });

  it("stores nothing for an export whose values did not move", async () => {
    const [before] = await sql<{ n: number }>`SELECT count(*)::int AS n FROM usage_events`;
    await send([{ start: 0, time: 30, sum: 160 }]);
    const [after] = await sql<{ n: number }>`SELECT count(*)::int AS n FROM usage_events`;
    expect(after.n).toBe(before.n);
  });

  it("begins a new series on a new start time or a lower value", async () => {
    await send([{ start: 40, time: 45, sum: 20 }]);
    expect(await total()).toBe(180);
    await send([{ start: 40, time: 50, sum: 5 }]);
    expect(await total()).toBe(185);
  });

  it("chains several points of one series in one export, whatever their order", async () => {
    await send([{ start: 40, time: 70, sum: 45 }, { start: 40, time: 60, sum: 30 }]);
    expect(await total()).toBe(225);
  });

  it("counts a new series once when the same export arrives twice at the same moment", async () => {
    const race = (host: string, sum: number) =>
      metrics({ "service.name": "race-agent", "host.name": host }, histogram([{ start: 100, time: 110, sum }]));
    const results = await Promise.all([race("a", 1000), race("a", 1000), race("b", 7), race("b", 7), race("a", 1000)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(results.reduce((n, r) => n + (r.summary?.accepted ?? 0), 0)).toBe(2);
    expect((await storedTotals())["race-agent"].input_tokens).toBe(1007);
  });

  it("adds each increase once when later points of one series arrive concurrently", async () => {
    const race = (time: number, sum: number) => metrics({ "service.name": "race-agent", "host.name": "c" }, histogram([{ start: 100, time, sum }]));
    await Promise.all([race(110, 1000), race(120, 1500), race(130, 1600), race(120, 1500)]);
    // Whatever the order: the series ends at 1600, and nothing counts twice.
    expect((await storedTotals())["race-agent"].input_tokens).toBe(1007 + 1600);
  });

  it("names the tool after service.name and the model from gen_ai.response.model", async () => {
    const rows = await sql<{ model: string; invocations: number }>`
      SELECT DISTINCT e.model, e.invocations::int FROM usage_events e JOIN tools t ON t.id = e.tool_id WHERE t.slug = 'acme-agent'`;
    expect(rows).toEqual([{ model: "acme-1-0925", invocations: 0 }]);
  });
});

describe("identity and team resolution", () => {
  const tokens = (attrs: Record<string, string>, time: number, resource: Record<string, string> = {}) =>
    metrics({ "service.name": "claude-code", ...resource }, {
      name: "claude_code.token.usage",
      sum: { aggregationTemporality: 1, dataPoints: [{ timeUnixNano: at(time), asDouble: 10, attributes: kv({ ...attrs, type: "input" }) }] },
    });

  async function lastEvent() {
    const [row] = await sql<{ team: string; email: string | null }>`
      SELECT tm.slug AS team, p.email FROM usage_events e JOIN teams tm ON tm.id = e.team_id LEFT JOIN people p ON p.id = e.person_id
      ORDER BY e.id DESC LIMIT 1`;
    return row;
  }

  beforeAll(async () => {
    const prisma = await db();
    await prisma.$executeRaw`INSERT INTO teams (slug, name) VALUES ('payments', 'Payments'), ('search', 'Search') ON CONFLICT DO NOTHING`;
    await prisma.$executeRaw`INSERT INTO people (email, name, team_id) SELECT 'alice@example.com', 'Alice', id FROM teams WHERE slug = 'payments'`;
  });

  it("finds the person by user.email and takes the team from the person when none is tagged", async () => {
    await tokens({ "user.email": "Alice@Example.com" }, 100);
    expect(await lastEvent()).toEqual({ team: "payments", email: "alice@example.com" });
  });

  it("prefers a point's team attribute over the resource's team.id", async () => {
    await tokens({ "user.email": "alice@example.com", team: "search" }, 110, { "team.id": "platform" });
    expect(await lastEvent()).toEqual({ team: "search", email: "alice@example.com" });
    await tokens({ "user.email": "alice@example.com" }, 120, { "team.id": "platform" });
    expect(await lastEvent()).toEqual({ team: "platform", email: "alice@example.com" });
  });

  it("records an unknown user.account_uuid, and once an admin maps it, new data goes to that person", async () => {
    await tokens({ "user.account_uuid": "acc-42" }, 130);
    expect(await lastEvent()).toEqual({ team: "unassigned", email: null });
    const prisma = await db();
    await prisma.$executeRaw`UPDATE identities SET person_id = (SELECT id FROM people WHERE email = 'alice@example.com') WHERE kind = 'user.account_uuid' AND value = 'acc-42'`;
    await tokens({ "user.account_uuid": "acc-42" }, 140);
    expect(await lastEvent()).toEqual({ team: "payments", email: "alice@example.com" });
  });

  it("answers 403 when every event resolves outside the key's team", async () => {
    const [payments] = await sql<{ id: number }>`SELECT id FROM teams WHERE slug = 'payments'`;
    const body = JSON.stringify({
      resourceMetrics: [{
        resource: { attributes: kv({ "service.name": "claude-code", "team.id": "search" }) },
        scopeMetrics: [{ metrics: [{ name: "claude_code.session.count", sum: { aggregationTemporality: 1, dataPoints: [{ timeUnixNano: at(150), asDouble: 1 }] } }] }],
      }],
    });
    const res = await handleOtlp({ signal: "metrics", contentType: "application/json", body: new TextEncoder().encode(body), now, key: { id: 1, teamId: payments.id } });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body as string).error.code).toBe("forbidden");
  });
});
