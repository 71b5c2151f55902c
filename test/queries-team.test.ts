import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { buildDataset, NOW, referenceFigures, type Dataset } from "@/test/helpers/queries-dataset";
import { db } from "@/lib/db/client";
import { resolvePeriod } from "@/lib/time/period";
import { getKpis } from "@/lib/queries/get-kpis";
import { getTeamTrend } from "@/lib/queries/get-team-trend";
import { getTeamBreakdown } from "@/lib/queries/get-team-breakdown";
import { compareTeams } from "@/lib/queries/compare-teams";
import { getTeamPeople } from "@/lib/queries/get-team-people";
import { getTeamSources } from "@/lib/queries/get-team-sources";
import { NotFoundError } from "@/lib/queries/errors";

const TZ = "Asia/Kolkata"; // +05:30: no whole-hour offset hides a bug
let database: TestDatabase;
let ds: Dataset;
let allTeams: number[];

beforeAll(async () => {
  process.env.WAKEBOARD_TZ = TZ;
  database = await createTestDatabase();
  ds = await buildDataset();
  allTeams = (await (await db()).team.findMany({ select: { id: true } })).map((t) => t.id);
});
afterAll(async () => {
  await database.drop();
  delete process.env.WAKEBOARD_TZ;
});

const period = (p: string) => resolvePeriod(p, { tz: TZ, now: NOW });

describe("KPIs", () => {
  for (const p of ["7d", "2026-W47", "2026-11-10..2026-11-24"]) {
    it(`equal raw-event sums with their change for ${p}`, async () => {
      const k = await getKpis({ period: period(p) });
      const ref = await referenceFigures(allTeams, period(p), TZ);
      const prev = await referenceFigures(allTeams, k.previous, TZ);
      expect([k.invocations.value, k.tokens.value, k.activeUsers.value]).toEqual([ref.invocations, ref.tokens, ref.activeUsers]);
      expect([k.invocations.previous, k.tokens.previous, k.activeUsers.previous]).toEqual([prev.invocations, prev.tokens, prev.activeUsers]);
      expect(k.tokens.changePct).toBe(Math.round(((ref.tokens - prev.tokens) / prev.tokens) * 1000) / 10);
      expect(k.headcount).toBe(15 + 50); // 15 members elsewhere + the override team counting 50, not its 3
    });
  }

  it("narrow to an org unit and a tool", async () => {
    const k = await getKpis({ period: period("30d"), unit: "eng", tools: ["codex"] });
    const ids = ["eng", "platform", "payments", "mobile", "empty"].map((s) => ds.teams[s]);
    const ref = await referenceFigures(ids, period("30d"), TZ, { tools: ["codex"] });
    expect([k.tokens.value, k.activeUsers.value, k.headcount]).toEqual([ref.tokens, ref.activeUsers, 12]);
  });
});

describe("team trend", () => {
  it("by day equals raw events per local day", async () => {
    const t = await getTeamTrend({ team: "payments", period: period("2026-11-18..2026-11-24"), grain: "day" });
    expect(t.points).toHaveLength(7);
    for (const p of t.points) {
      const ref = await referenceFigures([ds.teams.payments], p, TZ);
      expect([p.key, p.tokens, p.activeUsers]).toEqual([p.key, ref.tokens, ref.activeUsers]);
    }
    // The mover joined payments on 2026-11-20 (New York midnight = 10:30 in Kolkata, so from the 20th on).
    expect(t.points.map((p) => p.headcount)).toEqual([4, 4, 5, 5, 5, 5, 5]);
  });

  it("by week splits at the ISO week boundary and clips to the period", async () => {
    const t = await getTeamTrend({ team: "eng", period: period("2026-11-19..2026-11-28"), grain: "week", tools: ["claude-code"] });
    expect(t.points.map((p) => [p.key, p.from, p.to])).toEqual([
      ["2026-11-16", "2026-11-19", "2026-11-22"],
      ["2026-11-23", "2026-11-23", "2026-11-28"],
    ]);
    const ids = ["eng", "platform", "payments", "mobile", "empty"].map((s) => ds.teams[s]);
    for (const p of t.points) {
      const ref = await referenceFigures(ids, p, TZ, { tools: ["claude-code"] });
      expect([p.invocations, p.tokens, p.activeUsers]).toEqual([ref.invocations, ref.tokens, ref.activeUsers]);
    }
  });

  it("refuses an unknown team", async () => {
    await expect(getTeamTrend({ team: "nope", period: period("7d") })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("breakdown and comparison", () => {
  it("splits a team by tool and model, each adding up to raw events", async () => {
    for (const by of ["tool", "model"] as const) {
      const b = await getTeamBreakdown({ team: "crm", period: period("30d"), by, grain: "week" });
      for (const s of b.series) {
        const ref = await referenceFigures([ds.teams.crm], period("30d"), TZ, by === "tool" ? { tools: [s.key] } : { models: [s.key] });
        expect([s.key, s.total.tokens, s.total.activeUsers]).toEqual([s.key, ref.tokens, ref.activeUsers]);
        expect(s.points.reduce((a, p) => a + p.tokens, 0)).toBe(ref.tokens);
      }
    }
    const org = await getTeamBreakdown({ period: period("7d"), by: "tool" });
    const ref = await referenceFigures(allTeams, period("7d"), TZ);
    expect(org.series.reduce((a, s) => a + s.total.tokens, 0)).toBe(ref.tokens);
  });

  it("compares a group with one of its own teams over time", async () => {
    const c = await compareTeams({ teams: ["eng", "platform"], period: period("2026-W48"), metric: "tokens", grain: "day" });
    expect(c.teams.map((t) => t.slug)).toEqual(["eng", "platform"]);
    const engIds = ["eng", "platform", "payments", "mobile", "empty"].map((s) => ds.teams[s]);
    for (const [i, b] of c.buckets.entries()) {
      expect(c.teams[0].values[i]).toBe((await referenceFigures(engIds, b, TZ)).tokens);
      expect(c.teams[1].values[i]).toBe((await referenceFigures([ds.teams.platform], b, TZ)).tokens);
    }
    const adoption = await compareTeams({ teams: ["empty", "crm"], period: period("2026-W48"), metric: "adoption", grain: "week" });
    expect(adoption.teams[0].values).toEqual([null]);
  });
});

describe("people of a team", () => {
  const admin = { role: "admin" as const, managedTeamIds: [] };

  it("shows people to admins and to the team's managers only", async () => {
    const manager = { role: "manager" as const, managedTeamIds: [ds.teams.platform] };
    const viewer = { role: "viewer" as const, managedTeamIds: [] };
    const asManager = await getTeamPeople({ team: "platform", period: period("30d"), viewer: manager });
    expect(asManager.access).toBe("ok");
    const ref = await referenceFigures([ds.teams.platform], period("30d"), TZ);
    expect(asManager.people.reduce((s, p) => s + p.tokens, 0)).toBe(ref.tokens);
    expect(asManager.people.filter((p) => p.tokens > 0)).toHaveLength(ref.activeUsers);
    expect((await getTeamPeople({ team: "payments", period: period("30d"), viewer: manager })).access).toBe("not-allowed");
    const hidden = await getTeamPeople({ team: "platform", period: period("30d"), viewer });
    expect([hidden.access, hidden.people]).toEqual(["not-allowed", []]);
    expect((await getTeamPeople({ team: "platform", period: period("30d"), viewer: null })).access).toBe("not-allowed");
  });

  it("hides a team below the privacy floor from everyone but admins", async () => {
    // mobile has 2 people: at most 2 active, below the default floor of 3.
    const manager = { role: "manager" as const, managedTeamIds: [ds.teams.mobile] };
    const asManager = await getTeamPeople({ team: "mobile", period: period("30d"), viewer: manager });
    expect(asManager.activeUsers).toBeLessThan(3);
    expect([asManager.access, asManager.people]).toEqual(["privacy-floor", []]);
    const asAdmin = await getTeamPeople({ team: "mobile", period: period("30d"), viewer: admin });
    expect(asAdmin.access).toBe("ok");
    expect(asAdmin.people.map((p) => p.email).sort()).toEqual(["mobile0@example.com", "mobile1@example.com"]);
  });
});

describe("sources", () => {
  it("names the last event per tool and how many members ever reported", async () => {
    const s = await getTeamSources({ team: "crm", now: NOW });
    expect(s.members).toBe(3);
    expect(s.reportingMembers).toBe(3);
    const prisma = await db();
    for (const t of s.tools) {
      const [ref] = await prisma.$queryRaw<{ last: Date | null }[]>`
        SELECT max(e.occurred_at) AS last FROM usage_events e JOIN tools t ON t.id = e.tool_id
        WHERE e.team_id = ${ds.teams.crm} AND t.slug = ${t.tool}`;
      expect(t.lastEventAt).toBe(ref.last?.toISOString() ?? null);
    }
    const empty = await getTeamSources({ team: "empty", now: NOW });
    expect(empty).toEqual({ members: 0, reportingMembers: 0, tools: [] });
  });
});
