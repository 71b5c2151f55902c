import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { db, withSchemaAdapter } from "@/lib/db/client";
import { ingest } from "@/lib/ingest/ingest";
import { rebuildRollups } from "@/lib/ingest/rebuild-rollups";
import { resetConfig } from "@/lib/config";
import { applyMigrations, REBUILD_ROLLUPS_MARKER } from "@/lib/db/migrate";
import { MIGRATIONS_DIR } from "@/lib/db/schema-engine";
import { NO_DIFFERENCES, rollupDifferences } from "@/test/helpers/rollup-check";
import { drainQueue } from "@/lib/rollups/drain";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

const now = new Date("2026-11-25T12:00:00Z");

async function rollupByTeam() {
  await drainQueue();
  return (await db()).$queryRaw<{ slug: string; events: number; tokens: number }[]>`
    SELECT t.slug, sum(d.events)::int AS events, sum(d.input_tokens)::float8 AS tokens
    FROM daily_usage d JOIN teams t ON t.id = d.team_id GROUP BY t.slug ORDER BY t.slug`;
}

async function rawByTeam() {
  return (await db()).$queryRaw<{ slug: string; events: number; tokens: number }[]>`
    SELECT t.slug, count(*)::int AS events, sum(e.input_tokens)::float8 AS tokens
    FROM usage_events e JOIN teams t ON t.id = e.team_id GROUP BY t.slug ORDER BY t.slug`;
}

describe("rollups rebuild", () => {
  it("--reattribute moves events of a person mapped later to their team at the time, and leaves explicit teams alone", async () => {
    await ingest(
      [
        { id: "r1", timestamp: "2026-11-10T10:00:00Z", tool: "codex", user: "Late@Example.com", input_tokens: 100 },
        { id: "r2", timestamp: "2026-11-20T10:00:00Z", tool: "codex", user: "late@example.com", input_tokens: 200 },
        { id: "r3", timestamp: "2026-11-20T11:00:00Z", tool: "codex", user: "late@example.com", team: "explicit", input_tokens: 400 },
      ],
      { source: "test", now },
    );
    expect(await rollupByTeam()).toEqual([
      { slug: "explicit", events: 1, tokens: 400 },
      { slug: "unassigned", events: 2, tokens: 300 },
    ]);

    const prisma = await db();
    const [oldTeam, newTeam] = [await prisma.team.create({ data: { slug: "old", name: "Old" } }), await prisma.team.create({ data: { slug: "new", name: "New" } })];
    const moved = new Date("2026-11-15T00:00:00Z");
    await prisma.person.create({
      data: {
        email: "late@example.com",
        name: "Late",
        teamId: newTeam.id,
        memberships: { create: [{ teamId: oldTeam.id, validFrom: new Date("2026-01-01T00:00:00Z"), validTo: moved }, { teamId: newTeam.id, validFrom: moved }] },
      },
    });

    const r = await rebuildRollups({ reattribute: true });
    expect(r).toMatchObject({ personsLinked: 3, teamsChanged: 2 });
    expect(await rollupByTeam()).toEqual([
      { slug: "explicit", events: 1, tokens: 400 },
      { slug: "new", events: 1, tokens: 200 },
      { slug: "old", events: 1, tokens: 100 },
    ]);
    expect(await rawByTeam()).toEqual(await rollupByTeam());
  });

  it("--reattribute also links events known only by an OTLP identity once an admin maps it", async () => {
    const prisma = await db();
    const team = await prisma.team.create({ data: { slug: "mapped-later", name: "Mapped later" } });
    await ingest([{ id: "otlp-like", timestamp: "2026-11-21T10:00:00Z", tool: "claude-code", invocations: 0, input_tokens: 7 }], {
      source: "test",
      now,
      identities: [[{ kind: "user.account_uuid", value: "uuid-42" }]],
    });
    const person = await prisma.person.create({ data: { email: "uuid@example.com", name: "Uuid", teamId: team.id } });
    await prisma.identity.update({ where: { kind_value: { kind: "user.account_uuid", value: "uuid-42" } }, data: { personId: person.id } });
    const r = await rebuildRollups({ reattribute: true });
    expect(r).toMatchObject({ personsLinked: 1, teamsChanged: 1 });
    const row = await prisma.usageEvent.findUniqueOrThrow({ where: { eventId: "otlp-like" } });
    expect([row.personId, row.teamId]).toEqual([person.id, team.id]);
    expect(await rawByTeam()).toEqual(await rollupByTeam());
  });

  it("a rebuild without changes reproduces the same rollups, coarse ones included", async () => {
    const prisma = await db();
    const snapshot = () =>
      prisma.$queryRaw`SELECT day::text, team_id, person_id, tool_id, model, events::int, input_tokens::float8 FROM daily_usage ORDER BY 1, 2, 3, 4, 5`;
    const totals = () => prisma.$queryRaw`SELECT day::text, team_id, events::int, input_tokens::float8 FROM daily_team_totals ORDER BY 1, 2`;
    const [before, beforeTotals] = [await snapshot(), await totals()];
    await rebuildRollups();
    expect(await snapshot()).toEqual(before);
    expect(await totals()).toEqual(beforeTotals);
  });

  it("recomputes days in a new WAKEBOARD_TZ", async () => {
    await ingest([{ id: "tz", timestamp: "2026-11-22T02:00:00Z", tool: "tz-tool", input_tokens: 1 }], { source: "test", now });
    await drainQueue();
    const day = async () =>
      (await (await db()).$queryRaw<{ day: string }[]>`SELECT d.day::text AS day FROM daily_usage d JOIN tools t ON t.id = d.tool_id WHERE t.slug = 'tz-tool'`)[0].day;
    expect(await day()).toBe("2026-11-22");
    process.env.WAKEBOARD_TZ = "America/Los_Angeles";
    resetConfig();
    try {
      await rebuildRollups();
      expect(await day()).toBe("2026-11-21");
    } finally {
      delete process.env.WAKEBOARD_TZ;
      resetConfig();
    }
  });

  it("runs a month per transaction while ingest goes on, and every rollup stays exact", async () => {
    if (database.kind !== "postgres") return; // PGlite has one connection: ingest would wait for the month
    const batch = (tag: string, days: string[]) =>
      days.flatMap((day, i) => [
        { id: `live-${tag}-${i}-a`, timestamp: `${day}T10:00:00Z`, tool: "codex", team: "live", user: "late@example.com", input_tokens: 10 + i, invocations: 1 },
        { id: `live-${tag}-${i}-b`, timestamp: `${day}T23:30:00Z`, tool: "claude-code", team: "live", model: "m", output_tokens: 5, cost_usd: 0.25 },
      ]);
    await ingest(batch("before", ["2026-10-03", "2026-11-05", "2026-11-20"]), { source: "test", now });
    const months: string[] = [];
    const r = await rebuildRollups({
      // Inside each month's transaction: events for this month, the previous one and the next
      // are stored (and answered) while the month is being rebuilt.
      onMonth: async (month) => {
        months.push(month);
        const res = await ingest(batch(month, [month, "2026-10-15", "2026-11-11", month.replace(/-01$/, "-24")]), { source: "test", now });
        expect(res.accepted).toBe(8);
      },
    });
    expect(r.months).toBe(months.length);
    expect(months).toContain("2026-11-01");
    await drainQueue();
    expect(await rollupDifferences()).toEqual(NO_DIFFERENCES);
  });

  it("rebuilds the rollups by their one definition once a migration marked for it is applied", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeboard-migrations-"));
    try {
      fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
      // A later migration that, say, replaces a rollup table: it leaves the table empty and
      // asks for the backfill instead of writing the rollup's SQL a second time.
      fs.mkdirSync(path.join(dir, "29991231000000_replace_a_rollup"));
      fs.writeFileSync(path.join(dir, "29991231000000_replace_a_rollup", "migration.sql"), `${REBUILD_ROLLUPS_MARKER}\nDELETE FROM daily_team_totals\n`);
      await drainQueue();
      expect(await withSchemaAdapter((a) => applyMigrations(a, dir))).toEqual(["29991231000000_replace_a_rollup"]);
      const [{ n }] = await (await db()).$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM daily_team_totals`;
      expect(n).toBeGreaterThan(0);
      expect(await rollupDifferences()).toEqual(NO_DIFFERENCES);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
