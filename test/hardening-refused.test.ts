import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { db } from "@/lib/db/client";
import { ingest } from "@/lib/ingest/ingest";
import { createKey } from "@/lib/keys/api-keys";
import { handleOtlp } from "@/lib/otlp/handle-otlp";

// Issue 11, item 7: nothing a refused event names is written anywhere. A point refused with
// 403 (team outside the key) or as a conflict leaves its cumulative series where it was, and
// a refused event creates no tool, team or identity.

let database: TestDatabase;
let restricted: { id: number; teamId: number };
let unrestricted: { id: number; teamId: null };

beforeAll(async () => {
  database = await createTestDatabase();
  const prisma = await db();
  const payments = await prisma.team.create({ data: { slug: "payments", name: "Payments" } });
  await prisma.team.create({ data: { slug: "search", name: "Search" } });
  restricted = { id: (await createKey({ name: "payments only", scopes: ["ingest"], teamId: payments.id, actor: "test" })).id, teamId: payments.id };
  unrestricted = { id: (await createKey({ name: "any team", scopes: ["ingest"], actor: "test" })).id, teamId: null };
});
afterAll(() => database.drop());

beforeEach(async () => {
  const prisma = await db();
  await prisma.$executeRaw`TRUNCATE usage_events, rollup_queue, daily_usage, daily_team_usage, daily_team_totals, person_activity, person_tool_activity, otlp_series`;
});

const now = new Date("2026-11-29T04:00:00Z");
const T0 = 1795921000000000000n;
const at = (seconds: number) => String(T0 + BigInt(seconds) * 1_000_000_000n);
const kv = (attrs: Record<string, string>) => Object.entries(attrs).map(([key, v]) => ({ key, value: { stringValue: v } }));

/** A cumulative gen_ai token histogram of an in-house agent: one point per (type, time, sum). */
function cumulative(team: string, points: { type: "input" | "output"; time: number; sum: number }[]) {
  return {
    resourceMetrics: [
      {
        resource: { attributes: kv({ "service.name": "acme-agent", "team.id": team }) },
        scopeMetrics: [
          {
            metrics: [
              {
                name: "gen_ai.client.token.usage",
                histogram: {
                  aggregationTemporality: 2,
                  dataPoints: points.map((p) => ({
                    startTimeUnixNano: at(0),
                    timeUnixNano: at(p.time),
                    count: "1",
                    sum: p.sum,
                    attributes: kv({ "gen_ai.token.type": p.type, "gen_ai.response.model": "acme-1" }),
                  })),
                },
              },
            ],
          },
        ],
      },
    ],
  };
}

const send = (body: unknown, key: { id: number; teamId: number | null }) =>
  handleOtlp({ signal: "metrics", contentType: "application/json", body: new TextEncoder().encode(JSON.stringify(body)), now, key });

async function stored(): Promise<{ input: number; output: number }> {
  const prisma = await db();
  const [r] = await prisma.$queryRaw<{ input: number; output: number }[]>`
    SELECT coalesce(sum(input_tokens), 0)::float8 AS input, coalesce(sum(output_tokens), 0)::float8 AS output FROM usage_events`;
  return r;
}

async function counts() {
  const prisma = await db();
  const [r] = await prisma.$queryRaw<{ teams: number; tools: number; identities: number; series: number }[]>`
    SELECT (SELECT count(*)::int FROM teams) AS teams, (SELECT count(*)::int FROM tools) AS tools,
           (SELECT count(*)::int FROM identities) AS identities, (SELECT count(*)::int FROM otlp_series) AS series`;
  return r;
}

describe("a refused point leaves its cumulative series alone", () => {
  it("a 403 point (team outside the key) does not advance the series another key later reports", async () => {
    // The restricted key may report for payments only; the series is tagged search.
    const refused = await send(cumulative("search", [{ type: "input", time: 10, sum: 1000 }]), restricted);
    expect(refused.status).toBe(403);
    expect((await counts()).series).toBe(0);
    // The same series from a key that may report for search: its first accepted point counts in full.
    expect((await send(cumulative("search", [{ type: "input", time: 20, sum: 1500 }]), unrestricted)).status).toBe(200);
    expect((await stored()).input).toBe(1500);
  });

  it("a point refused as a conflict does not advance its series", async () => {
    // Both points at time 10 share one event id (the token type is not part of it).
    expect((await send(cumulative("search", [{ type: "input", time: 10, sum: 100 }]), unrestricted)).status).toBe(200);
    // The same instant again, now with an output point: the event's content differs → conflict.
    const conflict = await send(cumulative("search", [{ type: "input", time: 10, sum: 100 }, { type: "output", time: 10, sum: 50 }]), unrestricted);
    expect(conflict.status).toBe(200);
    expect(conflict.summary?.rejected).toBe(1);
    // The output series was never counted, so its first accepted point counts in full.
    await send(cumulative("search", [{ type: "input", time: 20, sum: 100 }, { type: "output", time: 20, sum: 80 }]), unrestricted);
    expect(await stored()).toEqual({ input: 100, output: 80 });
  });
});

describe("a refused event creates nothing it names", () => {
  const event = (over: Record<string, unknown>) => ({ id: `e-${Math.random()}`, timestamp: "2026-11-28T10:00:00Z", tool: "claude-code", input_tokens: 5, ...over });

  it("an event outside the key's teams creates no team, tool or identity (native)", async () => {
    const before = await counts();
    const r = await ingest([event({ team: "brand-new-team", tool: "brand-new-tool", user: "stranger@example.com" })], { source: "api", key: restricted, now });
    expect(r.forbidden).toBe(1);
    // Without a team: the stranger falls to the key's team, but the event names a person
    // whose identity and a tool; both refused events name things that must not appear.
    const r2 = await ingest([event({ team: "search", tool: "other-new-tool", user: "someone@example.com" })], { source: "api", key: restricted, now });
    expect(r2.forbidden).toBe(1);
    expect(await counts()).toEqual(before);
  });

  it("a 403 OTLP export creates no tool, team, identity or series", async () => {
    const before = await counts();
    const body = cumulative("new-otlp-team", [{ type: "input", time: 30, sum: 10 }]);
    (body.resourceMetrics[0].resource.attributes as unknown[]).push(...kv({ "service.name": "never-seen-agent", "user.account_uuid": "acc-unknown" }));
    body.resourceMetrics[0].resource.attributes.splice(0, 1);
    expect((await send(body, restricted)).status).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it("an event refused as a conflict creates no team, tool or identity, and its batch's valid events are kept", async () => {
    const first = event({ team: "payments" });
    expect((await ingest([first], { source: "api", now })).accepted).toBe(1);
    const before = await counts();
    const conflict = { ...first, team: "conflict-team", tool: "conflict-tool", user: "conflict@example.com" };
    const fine = event({ team: "payments" });
    const r = await ingest([conflict, fine], { source: "api", now });
    expect(r.accepted).toBe(1);
    expect(r.rejected).toEqual([{ index: 0, id: first.id, errors: [{ path: "id", message: expect.stringContaining("different content") }] }]);
    expect(await counts()).toEqual(before);
  });

  it("an accepted event beside a refused one still creates what it names", async () => {
    const before = await counts();
    const r = await ingest([event({ team: "payments", tool: "kept-tool" }), event({ team: "search", tool: "refused-tool" })], { source: "api", key: restricted, now });
    expect(r.accepted).toBe(1);
    expect(r.forbidden).toBe(1);
    const prisma = await db();
    const tools = (await prisma.tool.findMany({ select: { slug: true } })).map((t) => t.slug);
    expect(tools).toContain("kept-tool");
    expect(tools).not.toContain("refused-tool");
    expect((await counts()).tools).toBe(before.tools + 1);
  });
});
