import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { db } from "@/lib/db/client";
import { ingest } from "@/lib/ingest/ingest";
import { drainQueue } from "@/lib/rollups/drain";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

const now = new Date("2026-11-25T12:00:00Z");

function batch(prefix: string, n: number) {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    timestamp: new Date(now.getTime() - i * 3_600_000).toISOString(),
    tool: i % 2 ? "claude-code" : "codex",
    team: i % 3 ? "platform" : "payments",
    user: `dev${i % 4}@example.com`,
    model: "m1",
    input_tokens: 100 + i,
    output_tokens: 10,
    cache_read_tokens: i,
  }));
}

async function totals() {
  await drainQueue();
  const prisma = await db();
  const [ev] = await prisma.$queryRaw<{ n: number; tokens: number; inv: number }[]>`
    SELECT count(*)::int AS n, coalesce(sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens), 0)::float8 AS tokens,
           coalesce(sum(invocations), 0)::float8 AS inv FROM usage_events`;
  const [ru] = await prisma.$queryRaw<{ n: number; tokens: number; inv: number }[]>`
    SELECT coalesce(sum(events), 0)::int AS n, coalesce(sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens), 0)::float8 AS tokens,
           coalesce(sum(invocations), 0)::float8 AS inv FROM daily_usage`;
  return { events: ev, rollup: ru };
}

describe("the ingest core", () => {
  it("accepts a batch and the rollup agrees with the events", async () => {
    const r = await ingest(batch("a", 50), { source: "test", now });
    expect(r).toMatchObject({ accepted: 50, duplicates: 0, rejected: [] });
    const t = await totals();
    expect(t.events.n).toBe(50);
    expect(t.rollup).toEqual(t.events);
    expect(t.events.tokens).toBe(50 * 110 + (49 * 50) / 2 + (49 * 50) / 2);
  });

  it("replaying a batch changes no totals", async () => {
    const before = await totals();
    const r = await ingest(batch("a", 50), { source: "test", now });
    expect(r).toMatchObject({ accepted: 0, duplicates: 50, rejected: [] });
    expect(await totals()).toEqual(before);
  });

  it("rejects the same id with other content as a conflict and changes nothing", async () => {
    const before = await totals();
    const changed = batch("a", 3).map((e) => ({ ...e, output_tokens: 999 }));
    const r = await ingest(changed, { source: "test", now });
    expect(r.accepted).toBe(0);
    expect(r.rejected.map((x) => x.errors[0].path)).toEqual(["id", "id", "id"]);
    expect(await totals()).toEqual(before);
  });

  it("treats a repeated id inside one batch by the same rule", async () => {
    const [e] = batch("dup", 1);
    const r = await ingest([e, { ...e }, { ...e, output_tokens: 1 }], { source: "test", now });
    expect(r).toMatchObject({ accepted: 1, duplicates: 1 });
    expect(r.rejected).toEqual([{ index: 2, id: e.id, errors: [{ path: "id", message: expect.stringContaining("different content") }] }]);
  });

  it("keeps valid events when others in the batch are invalid", async () => {
    const good = batch("mixed", 2);
    const r = await ingest([good[0], { id: "bad", timestamp: "yesterday", tool: "x" }, good[1]], { source: "test", now });
    expect(r.accepted).toBe(2);
    expect(r.rejected).toEqual([{ index: 1, id: "bad", errors: [{ path: "timestamp", message: expect.stringContaining("RFC 3339") }] }]);
  });

  it("resolves the person's team from membership history at the event's time", async () => {
    const prisma = await db();
    const [oldTeam, newTeam] = await Promise.all([
      prisma.team.create({ data: { slug: "old-team", name: "Old" } }),
      prisma.team.create({ data: { slug: "new-team", name: "New" } }),
    ]);
    const moved = new Date("2026-11-20T00:00:00Z");
    await prisma.person.create({
      data: {
        email: "mover@example.com",
        name: "Mover",
        teamId: newTeam.id,
        memberships: {
          create: [
            { teamId: oldTeam.id, validFrom: new Date("2026-01-01T00:00:00Z"), validTo: moved },
            { teamId: newTeam.id, validFrom: moved },
          ],
        },
      },
    });
    await ingest(
      [
        { id: "m-before", timestamp: "2026-11-19T23:59:59Z", tool: "codex", user: "Mover@Example.com" },
        { id: "m-after", timestamp: "2026-11-20T00:00:00Z", tool: "codex", user: "mover@example.com" },
      ],
      { source: "test", now },
    );
    const rows = await prisma.usageEvent.findMany({ where: { eventId: { in: ["m-before", "m-after"] } }, orderBy: { eventId: "asc" } });
    expect(rows.map((r) => [r.eventId, r.teamId])).toEqual([
      ["m-after", newTeam.id],
      ["m-before", oldTeam.id],
    ]);
  });

  it("counts days in WAKEBOARD_TZ", async () => {
    const prisma = await db();
    process.env.WAKEBOARD_TZ = "America/New_York";
    const { resetConfig } = await import("@/lib/config");
    resetConfig();
    try {
      await ingest([{ id: "tz-1", timestamp: "2026-11-24T03:00:00Z", tool: "tz-tool" }], { source: "test", now });
      await drainQueue();
      const [row] = await prisma.$queryRaw<{ day: string }[]>`
        SELECT d.day::text AS day FROM daily_usage d JOIN tools t ON t.id = d.tool_id WHERE t.slug = 'tz-tool'`;
      expect(row.day).toBe("2026-11-23");
    } finally {
      delete process.env.WAKEBOARD_TZ;
      resetConfig();
    }
  });
});
