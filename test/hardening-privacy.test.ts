import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { buildDataset, NOW, referenceFigures, type Dataset } from "@/test/helpers/queries-dataset";
import { resolvePeriod } from "@/lib/time/period";
import { getTeamPeople } from "@/lib/queries/get-team-people";
import { getLeaderboard } from "@/lib/queries/get-leaderboard";
import { openWeeklyExport } from "@/lib/export/weekly-export";
import { db } from "@/lib/db/client";

// Issue 11, item 8: the privacy floor holds through the parent. mobile (a sub-team of eng)
// has 2 people, below the default floor of 3: its own page hides them, and so must eng's page,
// eng's row split by person, and every export grain — for everyone but admins.

const TZ = "UTC";
let database: TestDatabase;
let ds: Dataset;

beforeAll(async () => {
  database = await createTestDatabase();
  ds = await buildDataset();
});
afterAll(() => database.drop());

const period = (p: string) => resolvePeriod(p, { tz: TZ, now: NOW });
const admin = { role: "admin" as const, managedTeamIds: [] };
const engManager = () => ({ role: "manager" as const, managedTeamIds: ["eng", "platform", "payments", "mobile", "empty"].map((s) => ds.teams[s]) });
const mobilePeople = () => ds.people.filter((p) => p.team === "mobile").map((p) => p.email);

describe("a group's page", () => {
  for (const p of ["30d", "2026-W47"]) {
    it(`never lists a person of a sub-team below the floor to a manager (${p})`, async () => {
      const mobile = await referenceFigures([ds.teams.mobile], period(p), TZ);
      expect(mobile.activeUsers).toBeGreaterThan(0);
      expect(mobile.activeUsers).toBeLessThan(3);
      const eng = await getTeamPeople({ team: "eng", period: period(p), viewer: engManager() });
      expect(eng.access).toBe("ok");
      const listed = eng.people.map((x) => x.email);
      for (const email of mobilePeople()) expect(listed).not.toContain(email);
      expect(eng.teamsBelowFloor).toBeGreaterThanOrEqual(1);
      // What is listed is exactly the usage of the sub-teams at or above the floor.
      const shown = await referenceFigures([ds.teams.platform, ds.teams.payments], period(p), TZ);
      expect(eng.people.reduce((s, x) => s + x.tokens, 0)).toBe(shown.tokens);
    });
  }

  it("still lists everyone to an admin", async () => {
    const eng = await getTeamPeople({ team: "eng", period: period("30d"), viewer: admin });
    expect(eng.people.map((x) => x.email)).toEqual(expect.arrayContaining(mobilePeople()));
    // Usage reported by a known person anywhere in eng, straight from the events (UTC days).
    const { from, to } = period("30d");
    const [all] = await (await db()).$queryRaw<{ tokens: number }[]>`
      SELECT coalesce(sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens), 0)::float8 AS tokens FROM usage_events
      WHERE person_id IS NOT NULL AND team_id = ANY(${["eng", "platform", "payments", "mobile", "empty"].map((s) => ds.teams[s])}::int[])
        AND occurred_at >= ${from}::date AND occurred_at < ${to}::date + 1`;
    expect(eng.people.reduce((s, x) => s + x.tokens, 0)).toBe(all.tokens);
    expect(eng.teamsBelowFloor).toBe(0);
  });

  it("the top of the tree hides them too (acme, several levels up)", async () => {
    const everyone = { role: "manager" as const, managedTeamIds: Object.values(ds.teams) };
    const acme = await getTeamPeople({ team: "acme", period: period("30d"), viewer: everyone });
    for (const email of mobilePeople()) expect(acme.people.map((x) => x.email)).not.toContain(email);
  });
});

describe("a group's row split by person (leaderboard parts)", () => {
  it("carries no figure from a sub-team below the floor", async () => {
    const board = await getLeaderboard({ period: period("30d"), view: "units", grain: "person", viewer: engManager() });
    const eng = board.rows.find((r) => r.slug === "eng")!;
    expect(eng.parts).toBeDefined();
    const emails = (eng.parts ?? []).flatMap((x) => (x.person ? [x.person.email] : []));
    for (const email of mobilePeople()) expect(emails).not.toContain(email);
    const shown = await referenceFigures([ds.teams.platform, ds.teams.payments], period("30d"), TZ);
    expect((eng.parts ?? []).reduce((s, x) => s + x.tokens, 0)).toBe(shown.tokens);
  });
});

describe("every export grain", () => {
  async function rows(grain: "team" | "team-tool" | "person", viewer: typeof admin | ReturnType<typeof engManager>) {
    const exp = await openWeeklyExport({ week: "2026-W47", grain, requester: { kind: "viewer", viewer } });
    const out: Record<string, unknown>[] = [];
    for await (const r of exp.rows) out.push(r);
    return out;
  }

  it("has no person column in the team and team-tool grains", async () => {
    for (const grain of ["team", "team-tool"] as const) {
      for (const r of await rows(grain, engManager())) expect(Object.keys(r)).not.toContain("person_email");
    }
  });

  it("gives a manager no person of a team below the floor in the person grain; an admin gets them", async () => {
    const asManager = (await rows("person", engManager())).map((r) => r.person_email);
    for (const email of mobilePeople()) expect(asManager).not.toContain(email);
    const asAdmin = (await rows("person", admin)).map((r) => r.person_email);
    expect(asAdmin).toEqual(expect.arrayContaining(mobilePeople().filter((e) => asAdmin.includes(e))));
    expect(asAdmin.some((e) => mobilePeople().includes(e as string))).toBe(true);
  });
});
