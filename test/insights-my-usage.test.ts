import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { db } from "@/lib/db/client";
import { ingest } from "@/lib/ingest/ingest";
import { drainQueue } from "@/lib/rollups/drain";
import { resolvePeriod } from "@/lib/time/period";
import { myUsage } from "@/lib/insights/my-usage";
import { setRankIndividuals } from "@/lib/insights/preferences";
import { loadViewer } from "@/lib/auth/viewer";

// "My usage": a signed-in user sees the figures of the person linked to their own email —
// whatever their role — equal to sums over that person's raw events, and nothing of anyone
// else's; a rank among colleagues only once an admin turns ranking on.

const NOW = new Date("2026-11-20T12:00:00Z");
const PERIOD = resolvePeriod("2026-11-01..2026-11-20", { tz: "UTC" });
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  const prisma = await db();
  const team = await prisma.team.create({ data: { slug: "core", name: "Core" } });
  const since = new Date("2026-01-01T00:00:00Z");
  for (const [email, name] of [["ann@example.com", "Ann Able"], ["bob@example.com", "Bob Secret"], ["cy@example.com", "Cy Third"]]) {
    await prisma.person.create({ data: { email, name, teamId: team.id, memberships: { create: { teamId: team.id, validFrom: since } } } });
  }
  const bob = await prisma.person.findUniqueOrThrow({ where: { email: "bob@example.com" } });
  await prisma.identity.create({ data: { kind: "user.email", value: "bob.work@example.com", personId: bob.id } });
  const events = [];
  for (let d = 1; d <= 19; d++) {
    const day = `2026-11-${String(d).padStart(2, "0")}`;
    if (d % 2 === 0) events.push({ id: `ann-${d}`, timestamp: `${day}T10:00:00Z`, tool: "claude-code", model: "sonnet", user: "ann@example.com", input_tokens: 100 * d, output_tokens: 7, cost_usd: 0.5 });
    if (d % 3 === 0) events.push({ id: `ann-codex-${d}`, timestamp: `${day}T11:00:00Z`, tool: "codex", model: "gpt-5", user: "ann@example.com", input_tokens: 13, invocations: 2 });
    events.push({ id: `bob-${d}`, timestamp: `${day}T09:00:00Z`, tool: "gemini-cli", model: "gemini-pro", user: "bob@example.com", input_tokens: 99_999, output_tokens: 1, cost_usd: 9.99 });
    if (d === 5) events.push({ id: `cy-${d}`, timestamp: `${day}T09:00:00Z`, tool: "codex", user: "cy@example.com", input_tokens: 5 });
  }
  expect((await ingest(events, { source: "test", now: NOW })).rejected).toEqual([]);
  await drainQueue(); // the aggregator's step: rollups follow the queue
  for (const [email, role] of [["ann@example.com", "viewer"], ["bob.work@example.com", "manager"], ["admin@example.com", "admin"]] as const) await prisma.user.create({ data: { email, name: email, role } });
});
afterAll(() => database?.drop());

async function raw(email: string) {
  const prisma = await db();
  const [r] = await prisma.$queryRaw<{ tokens: number; cost: number; invocations: number; days: number }[]>`
    SELECT coalesce(sum(e.input_tokens + e.output_tokens + e.cache_read_tokens + e.cache_write_tokens), 0)::float8 AS tokens,
      coalesce(sum(e.cost_usd), 0)::float8 AS cost, coalesce(sum(e.invocations), 0)::float8 AS invocations,
      count(DISTINCT (e.occurred_at AT TIME ZONE 'UTC')::date)::int AS days
    FROM usage_events e JOIN people p ON p.id = e.person_id
    WHERE p.email = ${email} AND e.occurred_at >= '2026-11-01T00:00:00Z' AND e.occurred_at < '2026-11-21T00:00:00Z'`;
  return r;
}

describe("my usage", () => {
  it("a viewer sees their own figures, equal to their raw events, and nobody else's", async () => {
    const prisma = await db();
    const viewer = (await loadViewer((await prisma.user.findUniqueOrThrow({ where: { email: "ann@example.com" } })).id))!;
    const mine = (await myUsage(viewer, PERIOD))!;
    const ref = await raw("ann@example.com");
    expect(mine.person.email).toBe("ann@example.com");
    expect(mine.usage.totals.tokens).toBe(ref.tokens);
    expect(mine.usage.totals.costUsd).toBeCloseTo(ref.cost, 6);
    expect(mine.usage.totals.invocations).toBe(ref.invocations);
    expect(mine.usage.activeDays).toBe(ref.days);
    expect(mine.usage.byTool.map((t) => t.tool).sort()).toEqual(["claude-code", "codex"]);
    expect(mine.usage.byModel.map((m) => m.model).sort()).toEqual(["gpt-5", "sonnet"]);
    expect(mine.usage.daily.reduce((s, d) => s + d.tokens, 0)).toBe(ref.tokens);
    const text = JSON.stringify(mine);
    for (const other of ["bob@example.com", "Bob Secret", "gemini", "99999", "9.99", "cy@example.com", "Cy Third"]) expect(text).not.toContain(other);
    expect(mine.usage.rank).toBeNull(); // ranking individuals is off by default
  });

  it("a manager linked through an email identity sees their own person's figures", async () => {
    const prisma = await db();
    const viewer = (await loadViewer((await prisma.user.findUniqueOrThrow({ where: { email: "bob.work@example.com" } })).id))!;
    const mine = (await myUsage(viewer, PERIOD))!;
    expect(mine.person.email).toBe("bob@example.com");
    expect(mine.usage.totals.tokens).toBe((await raw("bob@example.com")).tokens);
    expect(JSON.stringify(mine)).not.toContain("ann@example.com");
  });

  it("a user linked to no person gets nothing, not someone else's figures", async () => {
    expect(await myUsage({ email: "admin@example.com" }, PERIOD)).toBeNull();
  });

  it("shows a rank within the team only once an admin turns ranking on", async () => {
    const prisma = await db();
    const admin = (await loadViewer((await prisma.user.findUniqueOrThrow({ where: { email: "admin@example.com" } })).id))!;
    await setRankIndividuals(admin, true);
    const mine = (await myUsage({ email: "ann@example.com" }, PERIOD))!;
    // Bob has the most tokens, then Ann, then Cy.
    expect(mine.usage.rank).toEqual({ team: "Core", rank: 2, of: 3 });
    expect(JSON.stringify(mine)).not.toContain("bob@example.com");
    await setRankIndividuals(admin, false);
    expect((await myUsage({ email: "ann@example.com" }, PERIOD))!.usage.rank).toBeNull();
  });
});
