import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { referenceFigures } from "@/test/helpers/queries-dataset";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/lib/seed/demo";
import { resolvePeriod } from "@/lib/time/period";
import { getLeaderboard } from "@/lib/queries/get-leaderboard";
import { getKpis } from "@/lib/queries/get-kpis";
import { getTeamTrend } from "@/lib/queries/get-team-trend";

// The demo org (what `npm start` shows) read through the page queries equals raw events,
// in a reporting zone east of UTC so local days and UTC days differ.

const TZ = "Europe/Berlin";
const NOW = new Date("2026-11-29T12:00:00Z");
let database: TestDatabase;
let allTeams: number[];

beforeAll(async () => {
  process.env.WAKEBOARD_TZ = TZ;
  database = await createTestDatabase();
  await seedDemo({ today: NOW, days: 70, adminPassword: "demo-password-1" });
  allTeams = (await (await db()).team.findMany({ select: { id: true } })).map((t) => t.id);
}, 300_000);
afterAll(async () => {
  await database.drop();
  delete process.env.WAKEBOARD_TZ;
});

const period = (p: string) => resolvePeriod(p, { tz: TZ, now: NOW });

describe("the demo org", () => {
  for (const p of ["30d", "2026-W47", "2026-11-01..2026-11-15"]) {
    it(`ranks every team on raw-event figures for ${p}`, async () => {
      const board = await getLeaderboard({ period: period(p) });
      expect(board.rows.length).toBeGreaterThan(40);
      for (const row of board.rows) {
        const ref = await referenceFigures([row.teamId], period(p), TZ);
        expect([row.slug, row.tokens, row.invocations, row.activeUsers]).toEqual([row.slug, ref.tokens, ref.invocations, ref.activeUsers]);
      }
      const k = await getKpis({ period: period(p) });
      const all = await referenceFigures(allTeams, period(p), TZ);
      expect([k.tokens.value, k.activeUsers.value]).toEqual([all.tokens, all.activeUsers]);
    });
  }

  it("rolls groups up and filters by tool like raw events", async () => {
    const board = await getLeaderboard({ period: period("30d"), view: "units", tools: ["claude-code"] });
    const prisma = await db();
    for (const row of board.rows) {
      const ids = (await prisma.$queryRaw<{ id: number }[]>`
        WITH RECURSIVE t AS (SELECT id FROM teams WHERE id = ${row.teamId} UNION SELECT c.id FROM teams c JOIN t ON c.parent_id = t.id) SELECT id FROM t`).map((r) => r.id);
      const ref = await referenceFigures(ids, period("30d"), TZ, { tools: ["claude-code"] });
      expect([row.slug, row.tokens, row.activeUsers]).toEqual([row.slug, ref.tokens, ref.activeUsers]);
    }
  });

  it("draws a team's weeks like raw events", async () => {
    const t = await getTeamTrend({ team: "platform", period: period("2026-10-26..2026-11-29"), grain: "week" });
    const prisma = await db();
    const ids = (await prisma.$queryRaw<{ id: number }[]>`
      WITH RECURSIVE t AS (SELECT id FROM teams WHERE slug = 'platform' UNION SELECT c.id FROM teams c JOIN t ON c.parent_id = t.id) SELECT id FROM t`).map((r) => r.id);
    for (const p of t.points) {
      const ref = await referenceFigures(ids, p, TZ);
      expect([p.key, p.tokens, p.activeUsers]).toEqual([p.key, ref.tokens, ref.activeUsers]);
    }
  });
});
