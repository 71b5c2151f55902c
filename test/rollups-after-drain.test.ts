import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { ingest } from "@/lib/ingest/ingest";
import { startAggregator } from "@/lib/rollups/aggregator";

// The server evaluates alerts after each aggregation cycle (DESIGN §1: "alerts … after
// aggregation"): the aggregator tells its subscribers, once per cycle that moved rows, how
// many events reached the rollups, and only after they are there.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

describe("aggregator onDrained", () => {
  it("calls subscribers after a cycle that moved the ingested events into the rollups", async () => {
    const aggregator = startAggregator({ intervalMs: 50 });
    try {
      await aggregator.becameLeader();
      const ts = new Date(Date.now() - 3_600_000).toISOString();
      const events = [1, 2, 3].map((i) => ({ id: `after-drain-${i}`, timestamp: ts, tool: "codex", team: "platform", input_tokens: 10 * i }));
      const seen: number[] = [];
      const drained = new Promise<void>((resolve) => {
        aggregator.onDrained(({ events: n }) => {
          seen.push(n);
          if (seen.reduce((a, b) => a + b, 0) >= events.length) resolve();
        });
      });
      const r = await ingest(events, { source: "test" });
      expect(r.accepted).toBe(3);
      await drained;
      expect(seen.reduce((a, b) => a + b, 0)).toBe(3);
      // By the time subscribers hear of it, the rollups hold the events (10 + 20 + 30 tokens).
      const { db } = await import("@/lib/db/client");
      const prisma = await db();
      const [row] = await prisma.$queryRaw<{ t: number }[]>`SELECT coalesce(sum(input_tokens), 0)::int AS t FROM daily_usage`;
      expect(row.t).toBe(60);
    } finally {
      await aggregator.stop();
    }
  });
});
