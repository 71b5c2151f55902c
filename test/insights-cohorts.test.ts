import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { buildDataset, NOW, type Dataset } from "@/test/helpers/queries-dataset";
import { db } from "@/lib/db/client";
import { addDaysTo, dayStart } from "@/lib/time/calendar";
import { bucketsOf } from "@/lib/time/buckets";
import { periodLength, resolvePeriod } from "@/lib/time/period";
import { bucketOf, BUCKETS, getAdoptionCohorts } from "@/lib/queries/get-adoption-cohorts";

// Adoption cohorts against a direct count over raw events: each person's active days (a day
// in WAKEBOARD_TZ with invocations or tokens > 0 for the team) counted straight from
// usage_events, bucketed by the documented thresholds, must give the same counts.

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

describe("bucket thresholds", () => {
  it("are active days per week: none, light below MODERATE, moderate below HEAVY, heavy", () => {
    const t = [2, 4] as const;
    expect(bucketOf(0, 7, t)).toBe("none");
    expect(bucketOf(1, 7, t)).toBe("light");
    expect(bucketOf(2, 7, t)).toBe("moderate");
    expect(bucketOf(3, 7, t)).toBe("moderate");
    expect(bucketOf(4, 7, t)).toBe("heavy");
    // Over 28 days: 8 active days = 2 a week = moderate; 7 = 1.75 a week = light.
    expect(bucketOf(8, 28, t)).toBe("moderate");
    expect(bucketOf(7, 28, t)).toBe("light");
  });
});

async function rawActiveDays(teamIds: number[], from: string, to: string): Promise<Map<number, Set<string>>> {
  const prisma = await db();
  const rows = await prisma.$queryRaw<{ person_id: number; at: Date }[]>`
    SELECT e.person_id, e.occurred_at AS at FROM usage_events e
    WHERE e.team_id = ANY(${teamIds}::int[]) AND e.person_id IS NOT NULL
      AND (e.invocations > 0 OR e.input_tokens + e.output_tokens + e.cache_read_tokens + e.cache_write_tokens > 0)
      AND e.occurred_at >= ${dayStart(from, TZ)} AND e.occurred_at < ${dayStart(addDaysTo(to, 1), TZ)}`;
  const out = new Map<number, Set<string>>();
  const fmt = new Intl.DateTimeFormat("en-CA", { timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit" });
  for (const r of rows) out.set(r.person_id, (out.get(r.person_id) ?? new Set()).add(fmt.format(r.at)));
  return out;
}

describe("cohort counts", () => {
  for (const [team, period] of [["eng", "2026-11-02..2026-11-29"], ["platform", "2026-W47"], ["acme", "2026-11-09..2026-11-29"]] as const) {
    it(`equal a direct count over raw events: ${team}, ${period}`, async () => {
      const p = resolvePeriod(period, { tz: TZ });
      const cohorts = await getAdoptionCohorts({ team, period: p, now: NOW, thresholds: [2, 4] });
      const prisma = await db();
      const teamIds = (await prisma.$queryRaw<{ id: number }[]>`
        WITH RECURSIVE t AS (SELECT id FROM teams WHERE slug = ${team} UNION SELECT c.id FROM teams c JOIN t ON c.parent_id = t.id) SELECT id FROM t`).map((r) => r.id);
      const end = new Date(dayStart(addDaysTo(p.to, 1), TZ).getTime() - 1);
      const members = (await prisma.$queryRaw<{ person_id: number }[]>`
        SELECT DISTINCT person_id FROM memberships WHERE team_id = ANY(${teamIds}::int[]) AND valid_from <= ${end} AND (valid_to IS NULL OR valid_to > ${end})`).map((r) => r.person_id);
      const days = await rawActiveDays(teamIds, p.from, p.to);
      const people = new Set([...members, ...days.keys()]);
      expect(cohorts.people).toBe(people.size);
      const expected = Object.fromEntries(BUCKETS.map((b) => [b, 0]));
      for (const person of people) expected[bucketOf(days.get(person)?.size ?? 0, periodLength(p), [2, 4])]++;
      expect(cohorts.period_counts).toEqual(expected);
      expect(Object.values(expected).some((n, i) => i > 0 && n > 0)).toBe(true);

      // Each week, and the movement between weeks.
      let before: Map<number, string> | null = null;
      for (const [i, w] of bucketsOf(p, "week").entries()) {
        const wd = await rawActiveDays(teamIds, w.from, w.to);
        const now = new Map([...people].map((person) => [person, bucketOf(wd.get(person)?.size ?? 0, periodLength(w), [2, 4])]));
        const counts = Object.fromEntries(BUCKETS.map((b) => [b, [...now.values()].filter((x) => x === b).length]));
        expect(cohorts.weeks[i].counts, w.label).toEqual(counts);
        if (before) {
          const up = [...now].filter(([person, b]) => BUCKETS.indexOf(b) > BUCKETS.indexOf(before!.get(person) as never)).length;
          const down = [...now].filter(([person, b]) => BUCKETS.indexOf(b) < BUCKETS.indexOf(before!.get(person) as never)).length;
          expect([cohorts.weeks[i].up, cohorts.weeks[i].down, cohorts.weeks[i].stayed], w.label).toEqual([up, down, people.size - up - down]);
        }
        before = now;
      }
    });
  }

  it("the funnel narrows from roster to weekly use, per tool", async () => {
    const cohorts = await getAdoptionCohorts({ team: "eng", period: resolvePeriod("2026-W47", { tz: TZ }), now: NOW });
    expect(cohorts.funnel.length).toBeGreaterThan(0);
    for (const f of cohorts.funnel) {
      expect(f.roster).toBeGreaterThanOrEqual(f.everReported);
      expect(f.everReported).toBeGreaterThanOrEqual(f.active28d);
      expect(f.active28d).toBeGreaterThanOrEqual(f.activeWeekly);
    }
    expect(cohorts.funnel[0].roster).toBe(ds.people.filter((p) => ["platform", "payments", "mobile"].includes(p.team)).length);
  });
});
