import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { db } from "@/lib/db/client";
import { ingest } from "@/lib/ingest/ingest";
import { createKey } from "@/lib/keys/api-keys";
import { GET as leaderboard } from "@/app/api/v1/leaderboard/route";
import { GET as trend } from "@/app/api/v1/teams/[slug]/trend/route";
import { drainQueue } from "@/lib/rollups/drain";

// The JSON read API with API keys (sessions go through the same route wrapper).

let database: TestDatabase;
const keys: Record<string, string> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  const prisma = await db();
  const org = await prisma.team.create({ data: { slug: "org", name: "Org" } });
  const alpha = await prisma.team.create({ data: { slug: "alpha", name: "Alpha", parentId: org.id } });
  await prisma.team.create({ data: { slug: "beta", name: "Beta", parentId: org.id } });
  await ingest(
    [
      { id: "a1", timestamp: "2026-11-18T10:00:00Z", tool: "codex", team: "alpha", input_tokens: 40 },
      { id: "a2", timestamp: "2026-11-19T10:00:00Z", tool: "claude-code", team: "alpha", input_tokens: 60 },
      { id: "b1", timestamp: "2026-11-18T10:00:00Z", tool: "codex", team: "beta", input_tokens: 90 },
    ],
    { source: "test", now: new Date("2026-11-29T00:00:00Z") },
  );
  await drainQueue();
  keys.read = (await createKey({ name: "read", scopes: ["read"], actor: "test" })).secret;
  keys.ingest = (await createKey({ name: "ingest", scopes: ["ingest"], actor: "test" })).secret;
  keys.alpha = (await createKey({ name: "alpha read", scopes: ["read"], teamId: alpha.id, actor: "test" })).secret;
});
afterAll(() => database.drop());

const req = (path: string, key?: string) => new NextRequest(`http://localhost${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });

describe("GET /api/v1/leaderboard", () => {
  it("ranks teams for a read key with the page's parameters", async () => {
    const res = await leaderboard(req("/api/v1/leaderboard?period=2026-W47&metric=tokens&tool=codex", keys.read), { params: Promise.resolve({}) });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.period).toMatchObject({ param: "2026-W47", from: "2026-11-16", to: "2026-11-22" });
    type Row = { slug: string; rank: number | null; tokens: number; unranked: boolean };
    expect(body.rows.filter((r: Row) => !r.unranked).map((r: Row) => [r.slug, r.rank, r.tokens])).toEqual([
      ["beta", 1, 90],
      ["alpha", 2, 40],
    ]);
    // `unassigned` (when it exists) is listed apart, never ranked.
    for (const r of body.rows.filter((r: Row) => r.slug === "unassigned")) expect([r.rank, r.unranked]).toEqual([null, true]);
  });

  it("answers 400 with the field errors for bad parameters", async () => {
    const res = await leaderboard(req("/api/v1/leaderboard?period=2025-W53&metric=vibes", keys.read), { params: Promise.resolve({}) });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe("bad_request");
    expect(body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["metric", "period"]);
  });

  it("refuses a key without the read scope", async () => {
    expect((await leaderboard(req("/api/v1/leaderboard", keys.ingest), { params: Promise.resolve({}) })).status).toBe(403);
    expect((await leaderboard(req("/api/v1/leaderboard", "wkb_not_a_key"), { params: Promise.resolve({}) })).status).toBe(401);
  });

  it("keeps a team key inside its team and 404s an unknown unit", async () => {
    const own = await (await leaderboard(req("/api/v1/leaderboard?period=2026-W47", keys.alpha), { params: Promise.resolve({}) })).json();
    expect(own.unit).toEqual({ slug: "alpha", name: "Alpha" });
    expect(own.rows.map((r: { slug: string }) => r.slug)).toEqual(["alpha"]);
    expect((await leaderboard(req("/api/v1/leaderboard?unit=beta", keys.alpha), { params: Promise.resolve({}) })).status).toBe(403);
    expect((await leaderboard(req("/api/v1/leaderboard?unit=nope", keys.read), { params: Promise.resolve({}) })).status).toBe(404);
  });
});

describe("GET /api/v1/teams/{slug}/trend", () => {
  it("gives a team's days", async () => {
    const res = await trend(req("/api/v1/teams/alpha/trend?period=2026-11-17..2026-11-19", keys.read), { params: Promise.resolve({ slug: "alpha" }) });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.points.map((p: { key: string; tokens: number }) => [p.key, p.tokens])).toEqual([
      ["2026-11-17", 0],
      ["2026-11-18", 40],
      ["2026-11-19", 60],
    ]);
  });

  it("404s an unknown team and keeps team keys to their team", async () => {
    expect((await trend(req("/api/v1/teams/nope/trend", keys.read), { params: Promise.resolve({ slug: "nope" }) })).status).toBe(404);
    expect((await trend(req("/api/v1/teams/beta/trend", keys.alpha), { params: Promise.resolve({ slug: "beta" }) })).status).toBe(403);
  });
});
