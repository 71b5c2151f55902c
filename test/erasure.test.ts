import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { pgDump } from "@/test/helpers/pg-tools";
import { closeDb, db } from "@/lib/db/client";
import { ingest } from "@/lib/ingest/ingest";
import { erasePerson } from "@/lib/admin/erase-person";
import { drainQueue } from "@/lib/rollups/drain";
import { NO_DIFFERENCES, rollupDifferences } from "@/test/helpers/rollup-check";
import { createKey } from "@/lib/keys/api-keys";
import { saveUser } from "@/lib/admin/users";
import { applyRoster } from "@/lib/admin/roster";
import { getLeaderboard } from "@/lib/queries/get-leaderboard";
import { resolvePeriod } from "@/lib/time/period";

// `wakeboard people erase` as an operator runs it. After erasure the person's email and
// identities appear nowhere in a pg_dump of the whole database (events, rollups, audit log,
// keys …); team totals are unchanged (events are anonymised, not deleted) and equal the raw
// events; the person no longer counts as active.

const runFile = promisify(execFile);
let database: TestDatabase;
const ADA = "ada.lovelace@example.com";
const ADA_UUID = "4f1c2d9e-ada0-4b6e-9c55-7a1e0c3b9d21";
const now = new Date();
const day = (n: number) => new Date(now.getTime() - n * 86_400_000).toISOString();

async function cli(...args: string[]) {
  await closeDb();
  try {
    const { stdout, stderr } = await runFile(process.execPath, ["--import", "tsx", "scripts/cli/main.ts", ...args], { env: { ...process.env, LOG_LEVEL: "silent" } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** Team totals straight from raw events (not the rollups the pages read). */
async function rawTeamTotals() {
  const prisma = await db();
  return prisma.$queryRaw<{ slug: string; events: number; tokens: number }[]>`
    SELECT t.slug, count(*)::int AS events, sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens)::float8 AS tokens
    FROM usage_events e JOIN teams t ON t.id = e.team_id GROUP BY t.slug ORDER BY t.slug`;
}

async function boardTokens() {
  const period = resolvePeriod("30d", { tz: "UTC" });
  const board = await getLeaderboard({ period, metric: "tokens", view: "teams", unit: null });
  return Object.fromEntries(board.rows.filter((r) => r.tokens > 0).map((r) => [r.slug, { tokens: r.tokens, active: r.activeUsers }]));
}

beforeAll(async () => {
  database = await createTestDatabase();
  const prisma = await db();
  await prisma.team.create({ data: { slug: "alpha", name: "Alpha" } });
  await applyRoster(`email,name,team,identities\n${ADA},Ada Lovelace,alpha,user.account_uuid:${ADA_UUID}\nbob@example.com,Bob,alpha,\ncy@example.com,Cy,alpha,\n`, { actor: "setup@example.com" });
  await saveUser({ email: ADA, password: "long-enough-pw", role: "manager", manages: ["alpha"] }, "setup@example.com", { upsert: true });
  await saveUser({ email: "root@example.com", password: "long-enough-pw", role: "admin", manages: [] }, "setup@example.com", { upsert: true });
  await createKey({ name: "ada's key", scopes: ["ingest"], actor: ADA });
  const events = [];
  for (let d = 1; d <= 10; d++) {
    events.push({ id: `ada-${d}`, timestamp: day(d), tool: "claude-code", user: ADA, input_tokens: 100 * d, session_id: `sess-${ADA}`, attributes: { "user.email": ADA, repo: "x" } });
    events.push({ id: `run-${ADA}-${d}`, timestamp: day(d), tool: "codex", user: ADA_UUID, output_tokens: 7 * d });
    events.push({ id: `bob-${d}`, timestamp: day(d), tool: "codex", user: "bob@example.com", input_tokens: 50 });
    events.push({ id: `cy-${d}`, timestamp: day(d), tool: "codex", user: "cy@example.com", input_tokens: 5 });
  }
  const r = await ingest(events, { source: "test" });
  expect(r.accepted).toBe(events.length);
  await drainQueue();
  // A commit of hers from GitHub (issue 16), and the webhook delivery it came in.
  const ada = await prisma.person.findUniqueOrThrow({ where: { email: ADA } });
  await prisma.$executeRaw`INSERT INTO github_commits (repo, sha, committed_at, author_name, author_email, message, person_id, team_id, ai_tools, signals, source)
    VALUES ('acme/app', 'abc123', now(), 'Ada Lovelace', ${ADA}, ${`Fix\n\nCo-authored-by: Ada <${ADA}>`}, ${ada.id}, ${ada.teamId}, '{}', '[]', 'webhook')`;
  await prisma.$executeRaw`INSERT INTO github_deliveries (id, event, payload) VALUES ('d1', 'push', ${JSON.stringify({ commits: [{ author: { email: ADA, name: "Ada Lovelace" } }] })}::jsonb)`;
});
afterAll(() => database?.drop());

describe("wakeboard people erase", () => {
  it("refuses without --yes and for an unknown person", async () => {
    expect((await cli("people", "erase", ADA)).code).toBe(1);
    const unknown = await cli("people", "erase", "nobody@example.com", "--yes");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No person or identity "nobody@example.com"/);
  });

  it.skipIf(!process.env.WAKEBOARD_TEST_SERVER_URL)("leaves the email nowhere in a pg_dump, team totals unchanged, the person no longer active", async () => {
    const dumpBefore = await pgDump(database.url!);
    expect(dumpBefore).toContain(ADA); // the check below can fail
    expect(dumpBefore).toContain(ADA_UUID);
    const totalsBefore = await rawTeamTotals();
    const boardBefore = await boardTokens();
    expect(boardBefore.alpha.active).toBe(3);

    const erased = await cli("people", "erase", ADA_UUID, "--yes"); // by identity, not email
    expect(erased.code, erased.stderr).toBe(0);
    expect(erased.stdout).toMatch(/20 event\(s\) anonymised/);

    const dump = await pgDump(database.url!);
    expect(dump.toLowerCase()).not.toContain(ADA.toLowerCase());
    expect(dump).not.toContain(ADA_UUID);
    expect(dump).not.toContain("Ada Lovelace");
    expect(dump).toContain("bob@example.com"); // others untouched

    // Events anonymised, not deleted: the same totals, in raw events and in the page query.
    expect(await rawTeamTotals()).toEqual(totalsBefore);
    const boardAfter = await boardTokens();
    expect(boardAfter.alpha.tokens).toBe(boardBefore.alpha.tokens);
    expect(boardAfter.alpha.active).toBe(2);

    const prisma = await db();
    const entry = await prisma.auditLog.findFirst({ where: { action: "person.erase" } });
    expect(entry).toMatchObject({ actor: "cli", targetType: "person" });
    expect(await prisma.user.count({ where: { email: ADA } })).toBe(0);
    // The rollup rows are all "no person" now and still sum to the raw events.
    await drainQueue();
    const [sums] = await prisma.$queryRaw<{ rollup: number; raw: number }[]>`
      SELECT (SELECT sum(input_tokens + output_tokens)::float8 FROM daily_usage) AS rollup,
             (SELECT sum(input_tokens + output_tokens)::float8 FROM usage_events) AS raw`;
    expect(sums.rollup).toBe(sums.raw);
  });

  it("moves a person's contributions still queued for the rollups to no person as well", async () => {
    const prisma = await db();
    const bob = await prisma.person.findUniqueOrThrow({ where: { email: "bob@example.com" } });
    const r = await ingest([{ id: "bob-queued", timestamp: day(1), tool: "codex", user: "bob@example.com", input_tokens: 9 }], { source: "test" });
    expect(r.accepted).toBe(1);
    await erasePerson("bob@example.com", "test");
    await drainQueue();
    const [left] = await prisma.$queryRaw<{ rows: number; bits: number }[]>`
      SELECT (SELECT count(*) FROM daily_usage WHERE person_id = ${bob.id})::int AS rows,
             (SELECT count(*) FROM person_activity WHERE person_id = ${bob.id})::int AS bits`;
    expect(left).toEqual({ rows: 0, bits: 0 });
    expect(await rollupDifferences()).toEqual(NO_DIFFERENCES);
  });
});
