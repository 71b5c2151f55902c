import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { buildDataset, NOW, type Dataset } from "@/test/helpers/queries-dataset";
import { exportText, num, plain, readCsv } from "@/test/helpers/export-csv";
import { db } from "@/lib/db/client";
import { ingest } from "@/lib/ingest/ingest";
import { addDaysTo, dayStart, isoWeekStart } from "@/lib/time/calendar";
import { resolvePeriod } from "@/lib/time/period";
import { getLeaderboard } from "@/lib/queries/get-leaderboard";
import { openWeeklyExport } from "@/lib/export/weekly-export";
import { exportColumns, type ExportGrain } from "@/lib/export/columns";
import { ExportForbiddenError, type ExportRequester } from "@/lib/export/access";
import { drainQueue } from "@/lib/rollups/drain";

// The weekly export against the query tests' org (America/New_York, a reorg, groups, an
// empty team, a headcount override, unassigned usage) plus people with hostile names:
// every grain reads back with a strict parser to the leaderboard's figures and to sums
// taken straight from usage_events.

const TZ = "America/New_York";
const WEEKS = ["2026-W47", "2026-W48", "2026-W45"];
const SYSTEM: ExportRequester = { kind: "system" };
const NASTY = ["Smith, John", 'The "Boss"', "Multi\nLine", "Carriage\rReturn\r\nBoth", "🚀 Rocket 👩‍💻", "=1+1", "+SUM(A1:A9)", "-2+3", "@cmd", "\tTabbed", "\rCR first", "Ünïcödé Ça"];

let database: TestDatabase;
let ds: Dataset;

beforeAll(async () => {
  process.env.WAKEBOARD_TZ = TZ;
  database = await createTestDatabase();
  ds = await buildDataset();
  const prisma = await db();
  const weird = await prisma.team.create({ data: { slug: "weird", name: 'Weird, "Team"', parentId: ds.teams.eng } });
  ds.teams.weird = weird.id;
  const since = new Date("2026-01-01T00:00:00Z");
  const events = [];
  for (const [i, name] of NASTY.entries()) {
    const email = i === 0 ? "-dash@example.com" : i === 1 ? "+plus@example.com" : `weird${i}@example.com`;
    await prisma.person.create({ data: { email, name, teamId: weird.id, memberships: { create: { teamId: weird.id, validFrom: since } } } });
    for (const day of ["2026-11-17", "2026-11-24"]) {
      events.push({ id: `weird-${i}-${day}`, timestamp: `${day}T15:00:00Z`, tool: "claude-code", user: email, input_tokens: 100 * (i % 4) + 7, output_tokens: 3, cost_usd: 0.0123456 });
    }
  }
  const r = await ingest(events, { source: "test", now: NOW });
  expect(r.rejected).toEqual([]);
  await drainQueue();
});
afterAll(async () => {
  await database.drop();
  delete process.env.WAKEBOARD_TZ;
});

async function exportOf(week: string, grain: ExportGrain, requester: ExportRequester = SYSTEM) {
  const text = await exportText(await openWeeklyExport({ week, grain, requester }));
  return { text, ...readCsv(text) };
}

interface RawSum {
  team: string;
  key: string | null;
  events: number;
  invocations: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  cost_usd: number;
  active_users: number;
}

/** Independent sums over raw events, the week's instants computed in TZ by @date-fns/tz. */
async function rawSums(week: string, by: "team" | "tool" | "person"): Promise<RawSum[]> {
  const monday = isoWeekStart(week)!;
  const from = dayStart(monday, TZ);
  const to = dayStart(addDaysTo(monday, 7), TZ);
  const prisma = await db();
  const rows = await prisma.$queryRaw<RawSum[]>`
    SELECT t.slug AS team,
      CASE ${by} WHEN 'tool' THEN tl.slug WHEN 'person' THEN p.email ELSE NULL END AS key,
      count(*)::float8 AS events, sum(e.invocations)::float8 AS invocations,
      sum(e.input_tokens)::float8 AS input_tokens, sum(e.output_tokens)::float8 AS output_tokens,
      sum(e.cache_read_tokens)::float8 AS cache_read_tokens, sum(e.cache_write_tokens)::float8 AS cache_write_tokens,
      coalesce(sum(e.cost_usd), 0)::float8 AS cost_usd,
      count(DISTINCT e.person_id) FILTER (WHERE e.invocations > 0 OR e.input_tokens + e.output_tokens + e.cache_read_tokens + e.cache_write_tokens > 0)::int AS active_users
    FROM usage_events e JOIN teams t ON t.id = e.team_id JOIN tools tl ON tl.id = e.tool_id LEFT JOIN people p ON p.id = e.person_id
    WHERE e.occurred_at >= ${from} AND e.occurred_at < ${to}
    GROUP BY 1, 2`;
  return rows;
}

function expectSameFigures(row: Record<string, string>, ref: RawSum) {
  const total = ref.input_tokens + ref.output_tokens + ref.cache_read_tokens + ref.cache_write_tokens;
  expect({
    invocations: num(row.invocations),
    input_tokens: num(row.input_tokens),
    output_tokens: num(row.output_tokens),
    cache_read_tokens: num(row.cache_read_tokens),
    cache_write_tokens: num(row.cache_write_tokens),
    total_tokens: num(row.total_tokens),
    active_users: num(row.active_users),
  }).toEqual({
    invocations: ref.invocations,
    input_tokens: ref.input_tokens,
    output_tokens: ref.output_tokens,
    cache_read_tokens: ref.cache_read_tokens,
    cache_write_tokens: ref.cache_write_tokens,
    total_tokens: total,
    active_users: ref.active_users,
  });
  expect(num(row.cost_usd)).toBeCloseTo(ref.cost_usd, 6);
}

const sumOf = (rows: Record<string, string>[], col: string) => rows.reduce((s, r) => s + (num(r[col]) ?? 0), 0);

describe("the weekly export equals the leaderboard and raw events", () => {
  for (const week of WEEKS) {
    it(`team grain, ${week}: one row per team, figures, rank and rank change as the leaderboard`, async () => {
      const { header, rows } = await exportOf(week, "team");
      expect(header).toEqual(exportColumns("team"));
      const board = await getLeaderboard({ period: resolvePeriod(week, { tz: TZ }), metric: "tokens" });
      expect(rows.map((r) => r.team)).toEqual(board.rows.map((r) => r.slug));
      const raw = new Map((await rawSums(week, "team")).map((r) => [r.team, r]));
      for (const [i, row] of rows.entries()) {
        const b = board.rows[i];
        expect(row.week).toBe(week);
        expect(row.team_path).toBe(b.path);
        expect([num(row.headcount), num(row.adoption_pct), num(row.rank), num(row.rank_change)]).toEqual([b.headcount, b.adoptionPct, b.rank, b.rankChange]);
        expect(num(row.total_tokens)).toBe(b.tokens);
        const ref = raw.get(row.team);
        if (ref) expectSameFigures(row, ref);
        else expect(num(row.total_tokens)).toBe(0);
      }
      expect(sumOf(rows, "total_tokens")).toBe(board.rows.reduce((s, r) => s + r.tokens, 0));
    });

    it(`team × tool grain, ${week}: per-tool ranks from that tool's leaderboard, totals add up`, async () => {
      const { header, rows } = await exportOf(week, "team-tool");
      expect(header).toEqual(exportColumns("team-tool"));
      expect(header.indexOf("tool")).toBe(header.indexOf("team_path") + 1);
      const raw = await rawSums(week, "tool");
      expect(rows.map((r) => `${r.team}/${r.tool}`).sort()).toEqual(raw.map((r) => `${r.team}/${r.key}`).sort());
      for (const row of rows) expectSameFigures(row, raw.find((r) => r.team === row.team && r.key === row.tool)!);
      for (const tool of ["claude-code", "codex"]) {
        const board = await getLeaderboard({ period: resolvePeriod(week, { tz: TZ }), metric: "tokens", tools: [tool] });
        for (const row of rows.filter((r) => r.tool === tool)) {
          const b = board.rows.find((x) => x.slug === row.team)!;
          expect([num(row.rank), num(row.rank_change), num(row.headcount), num(row.adoption_pct)]).toEqual([b.rank, b.rankChange, b.headcount, b.adoptionPct]);
        }
      }
      const team = await exportOf(week, "team");
      expect(sumOf(rows, "total_tokens")).toBe(sumOf(team.rows, "total_tokens"));
      expect(sumOf(rows, "invocations")).toBe(sumOf(team.rows, "invocations"));
    });

    it(`person grain, ${week}: one row per person and team (plus unattributed usage), ranked within the team`, async () => {
      const { header, rows } = await exportOf(week, "person");
      expect(header).toEqual(exportColumns("person"));
      expect(header.slice(2, 5)).toEqual(["team_path", "person_email", "person_name"]);
      const raw = await rawSums(week, "person");
      expect(rows.map((r) => `${r.team}/${plain(r.person_email)}`).sort()).toEqual(raw.map((r) => `${r.team}/${r.key ?? ""}`).sort());
      for (const row of rows) {
        const ref = raw.find((r) => r.team === row.team && (r.key ?? "") === plain(row.person_email))!;
        expectSameFigures(row, ref);
        expect(row.adoption_pct).toBe("");
        if (row.person_email === "") expect([row.rank, row.rank_change]).toEqual(["", ""]);
        else {
          // Competition rank: 1 + the number of people of the team with more tokens.
          const better = rows.filter((o) => o.team === row.team && o.person_email !== "" && num(o.total_tokens)! > num(row.total_tokens)!).length;
          expect(num(row.rank)).toBe(better + 1);
        }
      }
      const team = await exportOf(week, "team");
      for (const col of ["total_tokens", "invocations", "cache_read_tokens"]) expect(sumOf(rows, col)).toBe(sumOf(team.rows, col));
    });
  }

  it("an empty week still has its header, and 2026-W53 exists", async () => {
    const { header, rows } = await exportOf("2026-W53", "person");
    expect(header).toEqual(exportColumns("person"));
    expect(rows).toEqual([]);
    const teams = await exportOf("2026-W53", "team");
    expect(teams.rows.length).toBeGreaterThan(0);
    expect(sumOf(teams.rows, "total_tokens")).toBe(0);
    // unassigned is not a team: listed, never ranked.
    expect(teams.rows.filter((r) => r.team !== "unassigned").every((r) => r.rank === "1" && r.rank_change === "")).toBe(true);
    expect(teams.rows.filter((r) => r.team === "unassigned").every((r) => r.rank === "")).toBe(true);
  });
});

describe("hostile text survives, and never runs as a formula", () => {
  it("reads names with commas, quotes, newlines, CR, emoji and leading = + - @ tab back exactly (formulas behind an apostrophe)", async () => {
    const { text, rows } = await exportOf("2026-W47", "person");
    const weird = rows.filter((r) => r.team === "weird");
    const dangerous = (s: string) => /^[=+\-@\t\r]/.test(s);
    expect(weird.map((r) => r.person_name).sort()).toEqual(NASTY.map((n) => (dangerous(n) ? `'${n}` : n)).sort());
    expect(weird.map((r) => r.person_email)).toEqual(expect.arrayContaining(["'-dash@example.com", "'+plus@example.com"]));
    for (const r of rows) for (const col of ["team", "team_path", "person_email", "person_name"]) expect(dangerous(r[col])).toBe(false);
    expect(text).toContain('"The ""Boss"""');
    // Numbers stay numbers: a negative rank change is not neutralised.
    const changes = rows.map((r) => r.rank_change).filter((c) => c.startsWith("-") || c.startsWith("'"));
    for (const c of changes) expect(c).toMatch(/^-\d+$/);
  });

  it("writes a UTF-8 BOM only when asked", async () => {
    const exp = () => openWeeklyExport({ week: "2026-W47", grain: "team", requester: SYSTEM });
    expect((await exportText(await exp(), true)).startsWith("\uFEFFweek,team,team_path,")).toBe(true);
    expect((await exportText(await exp())).startsWith("week,team,team_path,headcount,active_users,adoption_pct,invocations,")).toBe(true);
  });
});

describe("who gets per-person rows", () => {
  it("refuses the person grain to API keys and viewers", async () => {
    await expect(openWeeklyExport({ week: "2026-W47", grain: "person", requester: { kind: "key" } })).rejects.toThrow(ExportForbiddenError);
    const viewer = { role: "viewer" as const, managedTeamIds: [] };
    await expect(openWeeklyExport({ week: "2026-W47", grain: "person", requester: { kind: "viewer", viewer } })).rejects.toThrow(ExportForbiddenError);
    const idle = { role: "manager" as const, managedTeamIds: [] };
    await expect(openWeeklyExport({ week: "2026-W47", grain: "person", requester: { kind: "viewer", viewer: idle } })).rejects.toThrow(/managers/);
  });

  it("gives a manager the people of the teams they manage above the privacy floor, and nothing else", async () => {
    // Manages eng's teams; mobile has 2 people (below the floor of 3), weird has 12.
    const viewer = { role: "manager" as const, managedTeamIds: [ds.teams.eng, ds.teams.platform, ds.teams.payments, ds.teams.mobile, ds.teams.weird] };
    const { rows } = await exportOf("2026-W47", "person", { kind: "viewer", viewer });
    const teams = [...new Set(rows.map((r) => r.team))].sort();
    expect(teams).toEqual(["payments", "platform", "weird"]);
    const admin = await exportOf("2026-W47", "person", { kind: "viewer", viewer: { role: "admin", managedTeamIds: [] } });
    expect([...new Set(admin.rows.map((r) => r.team))]).toEqual(expect.arrayContaining(["mobile", "crm", "override"]));
  });
});
