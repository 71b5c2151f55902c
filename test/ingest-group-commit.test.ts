import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { db } from "@/lib/db/client";
import { ingestGrouped } from "@/lib/ingest/group-commit";

// Group commit: concurrent requests (of any key) share a transaction, but each caller gets
// exactly its own answer, with its own indexes — and never another client's error.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

const ts = new Date(Date.now() - 3_600_000).toISOString();
const ev = (id: string, over: Record<string, unknown> = {}) => ({ id, timestamp: ts, tool: "codex", input_tokens: 1, ...over });

describe("ingestGrouped", () => {
  it("splits a shared transaction's result back into each caller's own answer", async () => {
    const requests = [
      [ev("g-1"), ev("g-2")],
      [{ id: "bad" }, ev("g-3")],
      [ev("g-1")], // the same event as request 0: one of the two stores it
      [ev("g-4"), ev("g-4"), ev("g-4", { input_tokens: 2 })],
      [{ nope: true }],
      [],
    ];
    const answers = await Promise.all(requests.map((items) => ingestGrouped(items, { source: "test" })));
    expect(answers[0].accepted + answers[2].accepted).toBe(2);
    expect(answers[0].duplicates + answers[2].duplicates).toBe(1);
    expect(answers[0].rejected).toEqual([]);
    expect(answers[1]).toMatchObject({ accepted: 1, duplicates: 0, rejected: [{ index: 0, id: "bad" }] });
    expect(answers[3]).toMatchObject({ accepted: 1, duplicates: 1, rejected: [{ index: 2, id: "g-4", errors: [{ path: "id" }] }] });
    expect(answers[4]).toMatchObject({ accepted: 0, duplicates: 0, rejected: [{ index: 0 }] });
    expect(answers[5]).toMatchObject({ accepted: 0, duplicates: 0, rejected: [] });
    const n = await (await db()).usageEvent.count();
    expect(n).toBe(4);
  });

  it("answers hundreds of concurrent single events, each exactly once", async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `s-${i % 250}`);
    const answers = await Promise.all(ids.map((id) => ingestGrouped([ev(id)], { source: "test" })));
    expect(answers.every((a) => a.accepted + a.duplicates === 1 && a.rejected.length === 0)).toBe(true);
    expect(answers.filter((a) => a.accepted === 1)).toHaveLength(250);
  });

  it("spans keys: requests of several keys share one statement, each with its own key, fallback team and refusals", async () => {
    const prisma = await db();
    const team = await prisma.team.create({ data: { slug: "only-here", name: "Only here" } });
    const home = await prisma.team.create({ data: { slug: "home", name: "Home" } });
    const mk = (name: string, teamId: number | null) => prisma.apiKey.create({ data: { name, prefix: `wkb_${name}`, secretHash: name, scopes: ["ingest"], teamId } });
    const [restricted, homed, free] = [await mk("restricted", team.id), await mk("homed", home.id), await mk("free", null)];
    // Two requests in flight first, so the next ones queue and are committed together.
    const asked = [
      ingestGrouped([ev("k-0a")], { source: "test" }),
      ingestGrouped([ev("k-0b")], { source: "test" }),
      ingestGrouped([ev("k-1", { team: "elsewhere" })], { source: "test", key: { id: free.id, teamId: null } }),
      ingestGrouped([ev("k-2", { team: "elsewhere" })], { source: "test", key: { id: restricted.id, teamId: team.id } }),
      ingestGrouped([ev("k-3")], { source: "test", key: { id: homed.id, teamId: home.id } }),
      ingestGrouped([ev("k-4")], { source: "test", key: { id: free.id, teamId: null } }),
      // The same id from two keys in one group: one stores it, the other has a duplicate.
      ingestGrouped([ev("k-5")], { source: "test", key: { id: homed.id, teamId: home.id } }),
      ingestGrouped([ev("k-5")], { source: "test", key: { id: free.id, teamId: null } }),
    ];
    const [, , a1, a2, a3, a4, a5, a6] = await Promise.all(asked);
    expect(a1).toMatchObject({ accepted: 1, rejected: [] });
    expect(a2).toMatchObject({ accepted: 0, forbidden: 1, rejected: [{ index: 0, errors: [{ path: "team" }] }] });
    expect(a3).toMatchObject({ accepted: 1, rejected: [] });
    expect(a4).toMatchObject({ accepted: 1, rejected: [] });
    expect([a5.accepted + a6.accepted, a5.duplicates + a6.duplicates]).toEqual([1, 1]);
    const rows = await prisma.usageEvent.findMany({ where: { eventId: { in: ["k-1", "k-2", "k-3", "k-4"] } }, orderBy: { eventId: "asc" } });
    expect(rows.map((r) => [r.eventId, r.apiKeyId])).toEqual([
      ["k-1", free.id],
      ["k-3", homed.id],
      ["k-4", free.id],
    ]);
    expect(rows[1].teamId).toBe(home.id); // the key's team, as the fallback
    // k-3 (homed) and k-4 (free) were queued together: one statement, one received_at.
    expect(rows[1].receivedAt.getTime()).toBe(rows[2].receivedAt.getTime());
  });

  it("isolates clients: an event the database refuses fails only its own request, not the group it shared", async () => {
    const prisma = await db();
    // An event that passes validation but fails in the database (a data exception).
    await prisma.$executeRaw`CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'poisoned event %', NEW.event_id USING ERRCODE = '22023'; END $$`;
    await prisma.$executeRaw`CREATE TRIGGER refuse_poison BEFORE INSERT ON usage_events FOR EACH ROW WHEN (NEW.event_id LIKE 'poison%') EXECUTE FUNCTION refuse_poison()`;
    try {
      const good = Array.from({ length: 12 }, (_, i) => [ev(`iso-${i}`), ev(`iso-${i}-b`)]);
      const requests = [...good.slice(0, 6), [ev("poison-1")], ...good.slice(6)];
      const answers = await Promise.allSettled(requests.map((items) => ingestGrouped(items, { source: "test" })));
      const poisoned = answers[6];
      expect(poisoned.status).toBe("rejected");
      expect(String((poisoned as PromiseRejectedResult).reason)).toMatch(/poisoned event poison-1/);
      const others = answers.filter((_, i) => i !== 6);
      expect(others.map((a) => (a.status === "fulfilled" ? a.value.accepted : a.reason))).toEqual(others.map(() => 2));
      expect(await prisma.usageEvent.count({ where: { eventId: { startsWith: "iso-" } } })).toBe(24);
      expect(await prisma.usageEvent.count({ where: { eventId: { startsWith: "poison" } } })).toBe(0);
    } finally {
      await prisma.$executeRaw`DROP TRIGGER refuse_poison ON usage_events`;
      await prisma.$executeRaw`DROP FUNCTION refuse_poison()`;
    }
  });
});
