import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { resetConfig } from "@/lib/config";
import { closeDb, db, withSchemaAdapter } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { rebuildRollups } from "@/lib/ingest/rebuild-rollups";
import { addDaysTo, dayStart, isoWeekStart } from "@/lib/time/calendar";
import { lastCompleteWeek, resolvePeriod } from "@/lib/time/period";
import { getLeaderboard } from "@/lib/queries/get-leaderboard";
import { openWeeklyExport } from "@/lib/export/weekly-export";
import { writeExportFile } from "@/lib/export/write-file";

// Memory of a person-grain weekly export on a large org (issue 7: growth < 150 MB on the
// 10M-event benchmark org). Generates the org once into its own database on a local
// PostgreSQL (SQL generate_series straight into usage_events, then the daily rollup built
// from them with one GROUP BY — the export reads only the rollup), then exports last
// week's person grain to a file while sampling the process's memory every 10 ms.
//
//   node --expose-gc --import tsx bench/export-memory.ts [--events 10000000] [--people 20000] [--teams 500] [--fresh] [--db NAME]
//
// When the dashboard benchmark's org (bench/queries.ts, database wakeboard_bench_queries_<events>)
// exists, it is used instead of generating another one; --db NAME picks any such database.
//
// For contrast it also measures the in-memory path (getLeaderboard with grain "person").

const args = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const EVENTS = opt("events", 10_000_000);
const PEOPLE = opt("people", 20_000);
const TEAMS = opt("teams", 500);
const DAYS = 84;
const BASE = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const OWN_DB = `wakeboard_bench_export_${EVENTS}`;
const QUERIES_DB = `wakeboard_bench_queries_${EVENTS}`;
const MB = 1024 * 1024;

if (!["localhost", "127.0.0.1", "::1", "[::1]"].includes(new URL(BASE).hostname)) throw new Error("refusing a non-local database for a benchmark");

const urlOf = (name: string) => {
  const url = new URL(BASE);
  url.pathname = `/${name}`;
  return url.toString();
};

/** An existing org of EVENTS events (the dashboard benchmark's, or --db), or null. */
async function existingOrg(): Promise<string | null> {
  const i = args.indexOf("--db");
  const name = i >= 0 ? args[i + 1] : QUERIES_DB;
  const admin = new pg.Client({ connectionString: BASE });
  await admin.connect();
  const exists = (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount;
  await admin.end();
  if (!exists) {
    if (i >= 0) throw new Error(`no database ${name}`);
    return null;
  }
  const c = new pg.Client({ connectionString: urlOf(name) });
  await c.connect();
  const n = Number((await c.query("SELECT count(*) FROM usage_events")).rows[0].count);
  await c.end();
  if (i < 0 && n !== EVENTS) return null; // still being generated, or another size
  console.error(`using ${name}: ${n.toLocaleString("en")} events`);
  return urlOf(name);
}

async function ensureDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: BASE });
  await admin.connect();
  if (args.includes("--fresh")) await admin.query(`DROP DATABASE IF EXISTS ${OWN_DB} WITH (FORCE)`);
  const exists = (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [OWN_DB])).rowCount;
  if (!exists) await admin.query(`CREATE DATABASE ${OWN_DB}`);
  await admin.end();
  return urlOf(OWN_DB);
}

async function generate(url: string, lastDay: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const have = Number((await c.query("SELECT count(*) FROM usage_events")).rows[0].count);
  if (have === EVENTS) {
    console.error(`reusing ${OWN_DB}: ${EVENTS} events`);
    await c.end();
    return;
  }
  if (have > 0) throw new Error(`${OWN_DB} holds ${have} events, not ${EVENTS}: run with --fresh`);
  const t0 = Date.now();
  await c.query(`INSERT INTO teams (slug, name) VALUES ('acme', 'Acme')`);
  await c.query(`INSERT INTO teams (slug, name, parent_id) SELECT 'group-' || g, 'Group ' || g, (SELECT id FROM teams WHERE slug = 'acme') FROM generate_series(1, 20) g`);
  await c.query(
    `INSERT INTO teams (slug, name, parent_id) SELECT 'team-' || g, 'Team ' || g, (SELECT id FROM teams WHERE slug = 'group-' || (1 + g % 20)) FROM generate_series(1, $1::int) g`,
    [TEAMS],
  );
  await c.query(`INSERT INTO tools (slug, name) VALUES ('claude-code', 'Claude Code'), ('codex', 'Codex'), ('gemini-cli', 'Gemini CLI'), ('copilot', 'Copilot')`);
  // Person i is in team-(1 + i % TEAMS).
  await c.query(
    `INSERT INTO people (email, name, team_id)
     SELECT 'person' || i || '@example.com', 'Person ' || i, (SELECT id FROM teams WHERE slug = 'team-' || (1 + i % $2::int)) FROM generate_series(0, $1::int - 1) i`,
    [PEOPLE, TEAMS],
  );
  await c.query(`INSERT INTO memberships (person_id, team_id, valid_from) SELECT id, team_id, '2020-01-01' FROM people`);
  const ids = (await c.query(`SELECT (SELECT min(id) FROM people) AS p0, (SELECT min(id) FROM teams WHERE slug LIKE 'team-%') AS t0, (SELECT min(id) FROM tools) AS tool0`)).rows[0];
  const start = dayStart(addDaysTo(lastDay, 1 - DAYS), "UTC").getTime() / 1000;
  const chunk = 1_000_000;
  for (let from = 1; from <= EVENTS; from += chunk) {
    const to = Math.min(EVENTS, from + chunk - 1);
    // Deterministic spread: person by a multiplicative hash, 3% without a person, time over DAYS days.
    await c.query(
      `INSERT INTO usage_events (event_id, content_hash, occurred_at, team_id, person_id, tool_id, model, invocations,
         input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, source)
       SELECT 'bench-' || g, 'bench', to_timestamp($3::float8 + ((g::bigint * 104729) % ($4::bigint * 86400))),
         $6::int + (((g::bigint * 7919) % $5::int) % $7::int)::int,
         CASE WHEN g % 33 = 0 THEN NULL ELSE $8::int + ((g::bigint * 7919) % $5::int)::int END,
         $9::int + (g % 4)::int, 'model-' || (g % 3), 1 + g % 3,
         (g::bigint * 31) % 5000, (g::bigint * 17) % 2000, (g::bigint * 13) % 8000, CASE WHEN g % 5 = 0 THEN (g::bigint * 7) % 1000 ELSE 0 END,
         ((g::bigint * 37) % 10000) / 1e6, 'bench'
       FROM generate_series($1::bigint, $2::bigint) g`,
      [from, to, start, DAYS, PEOPLE, ids.t0, TEAMS, ids.p0, ids.tool0],
    );
    console.error(`  ${to.toLocaleString("en")} events (${Math.round((Date.now() - t0) / 1000)} s)`);
  }
  // Every rollup, by the one definition (`rollups rebuild`).
  await rebuildRollups();
  await c.query("ANALYZE");
  console.error(`generated ${EVENTS.toLocaleString("en")} events and their rollup in ${Math.round((Date.now() - t0) / 1000)} s`);
  await c.end();
}

interface Measured<T> {
  result: T;
  seconds: number;
  /** Peak growth over the baseline taken just before, MB. */
  rssMb: number;
  heapMb: number;
}

/**
 * Runs `fn` while sampling memory every 10 ms. With `live`, a full GC runs before each
 * sample (every 100 ms then), so heap growth is what is still referenced — not garbage
 * waiting for V8's next major collection, which is most of a natural peak.
 */
async function measure<T>(fn: () => Promise<T>, live = false): Promise<Measured<T>> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const base = process.memoryUsage();
  let peak = { rss: base.rss, heap: base.heapUsed };
  const sample = () => {
    if (live) gc?.();
    const m = process.memoryUsage();
    peak = { rss: Math.max(peak.rss, m.rss), heap: Math.max(peak.heap, m.heapUsed) };
  };
  const timer = setInterval(sample, live ? 100 : 10);
  const t0 = performance.now();
  const result = await fn();
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  sample();
  const mb = (x: number) => Math.round((x / MB) * 10) / 10;
  return { result, seconds: Math.round(seconds * 100) / 100, rssMb: mb(peak.rss - base.rss), heapMb: mb(peak.heap - base.heapUsed) };
}

async function main() {
  process.env.WAKEBOARD_TZ = "UTC";
  process.env.LOG_LEVEL = "silent";
  const week = lastCompleteWeek({ tz: "UTC" });
  const reused = args.includes("--fresh") ? null : await existingOrg();
  const url = reused ?? (await ensureDatabase());
  process.env.DATABASE_URL = url;
  resetConfig();
  await withSchemaAdapter(applyMigrations);
  if (!reused) await generate(url, addDaysTo(isoWeekStart(week)!, 6));

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeboard-bench-export-"));
  // Warm-up: connections, code paths, the org — so the baseline is the steady state.
  const warm = await openWeeklyExport({ week, grain: "team", requester: { kind: "system" } });
  for await (const _ of warm.rows);

  const period = resolvePeriod(week, { tz: "UTC" });
  const streamedExport = async () => writeExportFile(await openWeeklyExport({ week, grain: "person", requester: { kind: "system" } }), dir);
  const inMemoryLeaderboard = async () => {
    const board = await getLeaderboard({ period, grain: "person", viewer: { role: "admin", managedTeamIds: [] }, sparkline: false });
    return board.rows.reduce((n, r) => n + (r.parts?.length ?? 0), 0);
  };
  // First the criterion (the process as it runs, natural GC), then live memory for both paths.
  const streamed = await measure(streamedExport);
  const streamedLive = await measure(streamedExport, true);
  const inMemoryLive = await measure(inMemoryLeaderboard, true);
  const prisma = await db();
  const [org] = await prisma.$queryRaw<{ events: number; people: number; teams: number }[]>`
    SELECT (SELECT count(*) FROM usage_events)::int AS events, (SELECT count(*) FROM people)::int AS people, (SELECT count(*) FROM teams)::int AS teams`;
  const report = {
    database: new URL(url).pathname.slice(1),
    ...org,
    week,
    streamed: {
      rows: streamed.result.rows,
      fileMb: Math.round((streamed.result.bytes / MB) * 10) / 10,
      seconds: streamed.seconds,
      rssGrowthMb: streamed.rssMb,
      heapPeakGrowthMb: streamed.heapMb,
      liveHeapGrowthMb: streamedLive.heapMb,
    },
    inMemoryLeaderboard: { parts: inMemoryLive.result, seconds: inMemoryLive.seconds, liveHeapGrowthMb: inMemoryLive.heapMb },
    node: process.version,
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === "function",
  };
  console.log(JSON.stringify(report, null, 2));
  fs.rmSync(dir, { recursive: true, force: true });
  await closeDb();
  if (streamed.rssMb >= 150) {
    console.error(`FAIL: the person export grew the process by ${streamed.rssMb} MB (limit 150 MB)`);
    process.exit(1);
  }
}

main().catch(async (e) => {
  console.error(e);
  await closeDb().catch(() => {});
  process.exit(1);
});
