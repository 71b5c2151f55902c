import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { buildDataset, NOW, referenceFigures, type Dataset } from "@/test/helpers/queries-dataset";
import { db } from "@/lib/db/client";
import { ingest } from "@/lib/ingest/ingest";
import { resolvePeriod } from "@/lib/time/period";
import { getLeaderboard } from "@/lib/queries/get-leaderboard";
import { drainQueue } from "@/lib/rollups/drain";

const TZ = "America/New_York";
let database: TestDatabase;
let ds: Dataset;

beforeAll(async () => {
  process.env.WAKEBOARD_TZ = TZ;
  database = await createTestDatabase();
  ds = await buildDataset();
});
afterAll(async () => {
  await database.drop();
  delete process.env.WAKEBOARD_TZ;
});

const period = (p: string) => resolvePeriod(p, { tz: TZ, now: NOW });

describe("the leaderboard equals sums over raw events", () => {
  const cases: [string, { tools?: string[]; models?: string[] }][] = [
    ["7d", {}],
    ["30d", {}],
    ["2026-W47", {}],
    ["2026-W48", { tools: ["codex"] }],
    ["2026-11-01..2026-11-15", { models: ["m1", "m3"] }],
    ["2026-11-20..2026-11-23", { tools: ["claude-code", "gemini-cli"], models: ["m2"] }],
  ];
  for (const [p, filter] of cases) {
    it(`for ${p} ${JSON.stringify(filter)} in ${TZ}`, async () => {
      const board = await getLeaderboard({ period: period(p), metric: "tokens", ...filter });
      const slugs = board.rows.map((r) => r.slug).sort();
      expect(slugs).toEqual(["crm", "empty", "mobile", "override", "payments", "platform", "unassigned"]);
      for (const row of board.rows) {
        const ref = await referenceFigures([row.teamId], period(p), TZ, filter);
        expect({ slug: row.slug, invocations: row.invocations, tokens: row.tokens, activeUsers: row.activeUsers }).toEqual({
          slug: row.slug,
          invocations: ref.invocations,
          tokens: ref.tokens,
          activeUsers: ref.activeUsers,
        });
        expect(row.costUsd).toBeCloseTo(ref.costUsd, 6);
        const prevRef = await referenceFigures([row.teamId], board.previous, TZ, filter);
        expect(row.previous.tokens).toBe(prevRef.tokens);
      }
    });
  }

  it("rolls groups up over their sub-teams, counting a moved person once", async () => {
    const board = await getLeaderboard({ period: period("30d"), view: "units" });
    // The org's top level below its single root; `unassigned` (created by ingest) is a root of its own.
    expect(board.rows.map((r) => r.slug).sort()).toEqual(["eng", "sales", "unassigned"]);
    const eng = board.rows.find((r) => r.slug === "eng")!;
    const ids = ["eng", "platform", "payments", "mobile", "empty"].map((s) => ds.teams[s]);
    const ref = await referenceFigures(ids, period("30d"), TZ);
    expect([eng.tokens, eng.activeUsers]).toEqual([ref.tokens, ref.activeUsers]);
    // 12 engineers in eng on the last day (the mover stayed inside eng).
    expect(eng.headcount).toBe(12);
    expect(eng.adoptionPct).toBe(Math.round((ref.activeUsers / 12) * 1000) / 10);
  });

  it("lets a group rank its own sub-teams", async () => {
    const board = await getLeaderboard({ period: period("30d"), unit: "eng", view: "units" });
    expect(board.unit?.slug).toBe("eng");
    expect(board.rows.map((r) => r.slug).sort()).toEqual(["empty", "mobile", "payments", "platform"]);
    const teamsView = await getLeaderboard({ period: period("30d"), unit: "sales" });
    expect(teamsView.rows.map((r) => r.slug).sort()).toEqual(["crm", "override"]);
  });

  it("takes headcount from membership on the period's last day, else the override", async () => {
    const before = await getLeaderboard({ period: period("2026-W46") });
    const after = await getLeaderboard({ period: period("2026-W48") });
    const hc = (b: typeof before, s: string) => b.rows.find((r) => r.slug === s)!.headcount;
    expect([hc(before, "platform"), hc(before, "payments")]).toEqual([6, 4]);
    expect([hc(after, "platform"), hc(after, "payments")]).toEqual([5, 5]);
    expect(hc(after, "override")).toBe(50);
  });

  it("leaves adoption empty for a team with headcount 0 and ranks it last", async () => {
    const board = await getLeaderboard({ period: period("30d"), metric: "adoption" });
    const empty = board.rows.find((r) => r.slug === "empty")!;
    expect(empty.headcount).toBe(0);
    expect(empty.adoptionPct).toBeNull();
    expect(empty.rank).toBeNull();
    expect(board.rows.slice(-2).map((r) => r.slug)).toEqual(["empty", "unassigned"]);
  });

  it("returns plain numbers only (serialisable to client components)", async () => {
    const board = await getLeaderboard({ period: period("7d") });
    expect(() => JSON.stringify(board)).not.toThrow();
    expect(board.rows[0].sparkline).toHaveLength(7);
    expect(board.rows.reduce((s, r) => s + r.sparkline.reduce((a, b) => a + b, 0), 0)).toBe(board.rows.reduce((s, r) => s + r.tokens, 0));
  });
});

describe("sparklines", () => {
  it("draw daily active people for adoption, equal to raw events per local day", async () => {
    const p = period("2026-11-20..2026-11-26");
    for (const view of ["teams", "units"] as const) {
      const board = await getLeaderboard({ period: p, metric: "adoption", view });
      expect(board.sparkBuckets).toHaveLength(7);
      for (const row of board.rows.filter((r) => ["payments", "crm", "eng", "sales"].includes(r.slug))) {
        const ids = view === "units" ? (row.slug === "eng" ? ["eng", "platform", "payments", "mobile", "empty"] : ["sales", "crm", "override"]).map((s) => ds.teams[s]) : [row.teamId];
        const daily = [];
        for (const day of board.sparkBuckets) daily.push((await referenceFigures(ids, { from: day, to: day }, TZ)).activeUsers);
        expect([row.slug, row.sparkline]).toEqual([row.slug, daily]);
      }
    }
  });
});

describe("ranking", () => {
  beforeAll(async () => {
    const prisma = await db();
    for (const slug of ["tie-a", "tie-b", "tie-c", "tie-d", "tie-late"]) await prisma.team.create({ data: { slug, name: slug } });
    const ev = (id: string, team: string, day: string, tokens: number) => ({ id, team, tool: "codex", timestamp: `${day}T15:00:00Z`, input_tokens: tokens });
    await ingest(
      [
        // 2026-W29: every tie team starts reporting, so W30 is fully covered by its data.
        ...["tie-a", "tie-b", "tie-c", "tie-d"].map((t) => ev(`t0-${t}`, t, "2026-07-13", 20_000)),
        // 2026-W30: a, b, d tie on 100k; c has 50k.
        ev("t1", "tie-a", "2026-07-21", 100_000),
        ev("t2", "tie-b", "2026-07-22", 60_000),
        ev("t3", "tie-b", "2026-07-23", 40_000),
        ev("t4", "tie-c", "2026-07-21", 50_000),
        ev("t5", "tie-d", "2026-07-24", 100_000),
        // 2026-W31: c leads, a second, b and d nothing.
        ev("t6", "tie-c", "2026-07-28", 300_000),
        ev("t7", "tie-a", "2026-07-28", 10_000),
        // A team whose data starts inside W30 (the previous period of W31).
        ev("t8", "tie-late", "2026-07-24", 5_000),
        ev("t9", "tie-late", "2026-07-29", 900_000),
      ],
      { source: "test", now: NOW },
    );
    await drainQueue();
  });

  it("gives equal values the same rank, 1, 1, 1, 4, listed by slug; unassigned is not ranked", async () => {
    const board = await getLeaderboard({ period: period("2026-W30") });
    const top = board.rows.slice(0, 4).map((r) => [r.slug, r.rank]);
    expect(top).toEqual([
      ["tie-a", 1],
      ["tie-b", 1],
      ["tie-d", 1],
      ["tie-c", 4],
    ]);
    const late = board.rows.find((r) => r.slug === "tie-late")!;
    expect(late.rank).toBe(5);
    const rest = board.rows.slice(5).filter((r) => !r.unranked);
    expect(rest.length).toBeGreaterThan(0);
    expect(rest.every((r) => r.rank === 6 && r.tokens === 0)).toBe(true);
    expect(board.rows.find((r) => r.slug === "unassigned")).toMatchObject({ unranked: true, rank: null, rankChange: null });
  });

  it("reports rank change and growth only where the data covers the previous period", async () => {
    const board = await getLeaderboard({ period: period("2026-W31") });
    const by = new Map(board.rows.map((r) => [r.slug, r]));
    // W30 ranks: a, b, d 1; c 4; late 5. W31: late 1 (900k), c 2 (300k), a 3 (10k), b and d 0.
    expect([by.get("tie-c")!.rank, by.get("tie-c")!.rankChange]).toEqual([2, 2]);
    expect([by.get("tie-a")!.rank, by.get("tie-a")!.rankChange]).toEqual([3, -2]);
    // 0 tokens now: never shown as moving (they tie at the bottom), whatever the rank numbers say.
    expect([by.get("tie-b")!.rankChange, by.get("tie-b")!.rankStatus]).toEqual([null, "none"]);
    // Data starting inside the previous period: no rank change, no growth, and the reason.
    expect([by.get("tie-late")!.rank, by.get("tie-late")!.rankChange, by.get("tie-late")!.growthPct]).toEqual([1, null, null]);
    expect(by.get("tie-late")!.growthNote).toMatch(/Data starts 24 Jul 2026, inside the previous period/);
    expect(by.get("crm")!.rankChange).toBeNull();
    // (300k − 50k) / 50k and (0 − 100k) / 100k
    expect(by.get("tie-c")!.growthPct).toBe(500);
    expect(by.get("tie-b")!.growthPct).toBe(-100);
  });

  it("ranks by growth with the period before the previous one", async () => {
    const board = await getLeaderboard({ period: period("2026-W31"), metric: "growth" });
    expect(board.rows[0]).toMatchObject({ slug: "tie-c", value: 500, rank: 1 });
    expect(board.rows.find((r) => r.slug === "crm")!.rank).toBeNull();
    expect(board.rows.find((r) => r.slug === "tie-late")!.rank).toBeNull();
  });
});

describe("grains for the export", () => {
  it("splits a week by tool and by person, adding up to the team", async () => {
    const admin = { role: "admin" as const, managedTeamIds: [] };
    const byTool = await getLeaderboard({ period: period("2026-W47"), grain: "team-tool" });
    const byPerson = await getLeaderboard({ period: period("2026-W47"), grain: "person", viewer: admin });
    for (const board of [byTool, byPerson]) {
      for (const row of board.rows) {
        expect((row.parts ?? []).reduce((s, p) => s + p.tokens, 0)).toBe(row.tokens);
      }
    }
    const viewer = await getLeaderboard({ period: period("2026-W47"), grain: "person", viewer: { role: "viewer", managedTeamIds: [] } });
    expect(viewer.rows.every((r) => r.parts === undefined && r.partsHidden === "not-allowed")).toBe(true);
  });
});
