import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { db } from "@/lib/db/client";
import { ingestGrouped } from "@/lib/ingest/group-commit";

// Group commit: concurrent requests of one key share a transaction, but each caller gets
// exactly its own answer, with its own indexes.

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

  it("keys do not share transactions: a restricted key's rejections stay its own", async () => {
    const prisma = await db();
    const team = await prisma.team.create({ data: { slug: "only-here", name: "Only here" } });
    const key = await prisma.apiKey.create({ data: { name: "k", prefix: "wkb_grouptest", secretHash: "x", scopes: ["ingest"], teamId: team.id } });
    const [free, restricted] = await Promise.all([
      ingestGrouped([ev("k-1", { team: "elsewhere" })], { source: "test" }),
      ingestGrouped([ev("k-2", { team: "elsewhere" })], { source: "test", key: { id: key.id, teamId: team.id } }),
    ]);
    expect(free.accepted).toBe(1);
    expect(restricted).toMatchObject({ accepted: 0, forbidden: 1, rejected: [{ index: 0, errors: [{ path: "team" }] }] });
  });
});
