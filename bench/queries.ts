import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { resetConfig } from "@/lib/config";
import { closeDb, db, withSchemaAdapter } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { rebuildRollups } from "@/lib/ingest/rebuild-rollups";
import { addDaysTo, dayOf, dayStart } from "@/lib/time/calendar";
import { previousPeriod, resolvePeriod, type Period } from "@/lib/time/period";
import { getLeaderboard } from "@/lib/queries/get-leaderboard";
import { getKpis } from "@/lib/queries/get-kpis";
import { getTeamTrend } from "@/lib/queries/get-team-trend";
import { getTeamBreakdown } from "@/lib/queries/get-team-breakdown";
import { compareTeams } from "@/lib/queries/compare-teams";
import { getTeamPeople } from "@/lib/queries/get-team-people";
import { getTeamSources } from "@/lib/queries/get-team-sources";

// Dashboard query benchmark (issue 5): a large org — 200 teams in 10 groups, 20,000 people,
// 5 tools, 6 models, 10 million events over 180 days — bulk-loaded into its own database on
// a local PostgreSQL (generate_series straight into usage_events, then the rollups built by
// `rollups rebuild`, timed). Then the page queries
// are timed server-side, in-process, beside a naive query over raw events as the baseline.
//
//   npm run bench:queries -- [--events 10000000] [--runs 20] [--fresh] [--write]
//
// The database is kept between runs (the load takes minutes); --fresh rebuilds it.
// --write replaces this benchmark's section of bench/RESULTS.md.

const args = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const EVENTS = opt("events", 10_000_000);
const RUNS = opt("runs", 20);
const PEOPLE = 20_000;
const TEAMS = 200;
const GROUPS = 10;
const DAYS = 180;
const TOOLS = ["claude-code", "gemini-cli", "codex", "copilot", "inhouse-agent"];
const MODELS = ["claude-sonnet-4-5", "claude-opus-4-1", "gemini-2.5-pro", "gpt-5-codex", "gpt-4.1", "inhouse-1"];
const BASE = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const DB_NAME = process.env.BENCH_DB_NAME ?? `wakeboard_bench_queries_${EVENTS}`;
const TARGETS: Record<string, number> = { "leaderboard 30d": 150, "team trend 30d by day": 50, "overview 30d": 200 };

if (!["localhost", "127.0.0.1", "::1", "[::1]"].includes(new URL(BASE).hostname)) throw new Error("refusing a non-local database for a benchmark");

const log = (msg: string) => console.error(msg);
const LOAD_AT_START = os.loadavg();

async function ensureDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: BASE });
  await admin.connect();
  if (args.includes("--fresh")) await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  if (!(await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [DB_NAME])).rowCount) await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
  const url = new URL(BASE);
  url.pathname = `/${DB_NAME}`;
  return url.toString();
}

/**
 * The org and its usage, generated in SQL. Realistic shape rather than uniform: 85% of people
 * ever use an agent, from an adoption day on; heavy users are rarer than light ones;
 * weekends are quiet; each person mostly sticks to one tool, each tool to its models.
 */
async function generate(url: string, lastDay: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const have = Number((await c.query("SELECT count(*) FROM usage_events")).rows[0].count);
  if (have === EVENTS) {
    log(`reusing ${DB_NAME}: ${EVENTS.toLocaleString("en")} events`);
    await c.end();
    return;
  }
  if (have > 0) throw new Error(`${DB_NAME} holds ${have} events, not ${EVENTS}: run with --fresh`);
  const t0 = Date.now();
  await c.query("SELECT setseed(0.2026)");
  await c.query(`INSERT INTO teams (slug, name) VALUES ('bench-org', 'Bench Org')`);
  await c.query(
    `INSERT INTO teams (slug, name, parent_id) SELECT 'group-' || g, 'Group ' || g, (SELECT id FROM teams WHERE slug = 'bench-org') FROM generate_series(1, $1::int) g`,
    [GROUPS],
  );
  await c.query(
    `INSERT INTO teams (slug, name, parent_id, headcount_override)
     SELECT 'team-' || g, 'Team ' || g, (SELECT id FROM teams WHERE slug = 'group-' || (1 + g % $2::int)), CASE WHEN g % 50 = 0 THEN 120 END
     FROM generate_series(1, $1::int) g`,
    [TEAMS, GROUPS],
  );
  await c.query(`INSERT INTO tools (slug, name) SELECT s, s FROM unnest($1::text[]) s`, [TOOLS]);
  // Person i is in team-(1 + i % TEAMS); 2% moved teams 60 days ago.
  await c.query(
    `INSERT INTO people (email, name, team_id)
     SELECT 'person' || i || '@bench.example', 'Person ' || i, (SELECT id FROM teams WHERE slug = 'team-' || (1 + i % $2::int))
     FROM generate_series(0, $1::int - 1) i`,
    [PEOPLE, TEAMS],
  );
  const moved = dayStart(addDaysTo(lastDay, -60), "UTC").toISOString();
  await c.query(
    `INSERT INTO memberships (person_id, team_id, valid_from, valid_to)
     SELECT p.id, CASE WHEN p.id % 50 = 0 THEN (SELECT id FROM teams WHERE slug = 'team-' || (1 + (p.id + 7) % $2::int)) ELSE p.team_id END,
       '2020-01-01', CASE WHEN p.id % 50 = 0 THEN $1::timestamptz END FROM people p`,
    [moved, TEAMS],
  );
  await c.query(`INSERT INTO memberships (person_id, team_id, valid_from) SELECT id, team_id, $1::timestamptz FROM people WHERE id % 50 = 0`, [moved]);

  const ids = (await c.query(`SELECT (SELECT min(id) FROM people) AS p0, (SELECT min(id) FROM tools) AS tool0`)).rows[0];
  // Per person: adoption day (or never), intensity, favourite tool.
  await c.query(`CREATE TEMP TABLE persona AS
    SELECT row_number() OVER (ORDER BY w DESC) AS n, id, team_id, w, adopt, fav FROM (
      SELECT p.id, p.team_id, power(random(), 2) + 0.05 AS w,
        CASE WHEN random() < 0.85 THEN floor(power(random(), 1.5) * ${DAYS} * 0.8)::int ELSE NULL END AS adopt,
        floor(random() * ${TOOLS.length})::int AS fav
      FROM people p) x WHERE adopt IS NOT NULL`);
  const active = Number((await c.query("SELECT count(*) FROM persona")).rows[0].count);
  await c.query(`CREATE TEMP TABLE cdf AS SELECT n, id, team_id, adopt, fav, sum(w) OVER (ORDER BY n) / sum(w) OVER () AS hi FROM persona`);
  await c.query("CREATE INDEX ON cdf (hi)");
  await c.query("ANALYZE cdf");

  // Loading into a table without its secondary indexes and building them once is the
  // fastest equivalent of a steady ingest; the indexes are the migration's own.
  const indexes = (await c.query(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'usage_events' AND indexname NOT LIKE '%pkey'`)).rows as { indexname: string; indexdef: string }[];
  for (const ix of indexes) await c.query(`DROP INDEX ${ix.indexname}`);
  const start = dayStart(addDaysTo(lastDay, 1 - DAYS), "UTC").getTime() / 1000;
  const chunk = 1_000_000;
  for (let from = 1; from <= EVENTS; from += chunk) {
    const to = Math.min(EVENTS, from + chunk - 1);
    await c.query(
      `INSERT INTO usage_events (event_id, content_hash, occurred_at, received_at, team_id, person_id, tool_id, model, invocations,
         input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, source)
       SELECT 'bench-' || g, 'bench', t, t, p.team_id, CASE WHEN random() < 0.02 THEN NULL ELSE p.id END, $4::int + tool, ($5::text[])[1 + (tool + (random() < 0.3)::int) % 6],
         CASE WHEN random() < 0.1 THEN 0 ELSE 1 END,
         floor(random() * 6000)::bigint, floor(random() * 2500)::bigint, floor(random() * 30000)::bigint, floor(random() * random() * 3000)::bigint,
         round((random() * 0.08)::numeric, 6), 'bench'
       FROM (SELECT g, random() AS r, random() AS rt, random() AS rd, random() AS rs FROM generate_series($1::bigint, $2::bigint) g) x
       CROSS JOIN LATERAL (SELECT id, team_id, adopt, fav FROM cdf WHERE cdf.hi >= x.r ORDER BY hi LIMIT 1) p
       CROSS JOIN LATERAL (SELECT CASE WHEN x.rt < 0.75 THEN p.fav ELSE floor(x.rt * 100)::int % ${TOOLS.length} END AS tool) tl
       CROSS JOIN LATERAL (SELECT p.adopt + floor(power(x.rd, 0.8) * (${DAYS} - p.adopt))::int AS d) dd
       CROSS JOIN LATERAL (SELECT to_timestamp($3::float8 + (dd.d * 86400) + floor(x.rs * 86400)
         + CASE WHEN extract(isodow FROM to_timestamp($3::float8 + dd.d * 86400)) >= 6 AND x.rs < 0.8 THEN -2 * 86400 ELSE 0 END) AS t) tt
       WHERE tt.t >= to_timestamp($3::float8)`,
      [from, to, start, ids.tool0, MODELS],
    );
    log(`  ${to.toLocaleString("en")} events (${Math.round((Date.now() - t0) / 1000)} s)`);
  }
  // Weekend events moved back a weekend may fall before the start: top up to exactly EVENTS.
  const missing = EVENTS - Number((await c.query("SELECT count(*) FROM usage_events")).rows[0].count);
  if (missing > 0) {
    await c.query(
      `INSERT INTO usage_events (event_id, content_hash, occurred_at, received_at, team_id, person_id, tool_id, model, invocations, input_tokens, output_tokens, source)
       SELECT 'bench-extra-' || g, 'bench', to_timestamp($2::float8 + 86400 * 100 + g), now(), p.team_id, p.id, $3::int, $4::text, 1, 1000, 100, 'bench'
       FROM generate_series(1, $1::int) g JOIN persona p ON p.n = 1 + g % 1000`,
      [missing, start, ids.tool0, MODELS[0]],
    );
  }
  for (const ix of indexes) await c.query(ix.indexdef);
  log(`  events and indexes (${Math.round((Date.now() - t0) / 1000)} s); building the rollups with \`rollups rebuild\``);
  // The rollups, exactly as `rollups rebuild` builds them (a month per transaction).
  const rebuilt = await rebuildRollups({ onMonth: (m) => log(`  rollups rebuild: ${m.slice(0, 7)} (${Math.round((Date.now() - t0) / 1000)} s)`) });
  log(`  rollups rebuild: ${rebuilt.rollupRows.toLocaleString("en")} daily rows, ${rebuilt.months} months in ${Math.round(rebuilt.ms / 1000)} s`);
  await c.query("VACUUM ANALYZE");
  log(`generated ${EVENTS.toLocaleString("en")} events (${active.toLocaleString("en")} people ever active) and the rollup in ${Math.round((Date.now() - t0) / 1000)} s`);
  await c.end();
}

interface Timing {
  name: string;
  p50: number;
  p95: number;
  max: number;
  target?: number;
}

async function time(name: string, fn: () => Promise<unknown>, runs = RUNS): Promise<Timing> {
  for (let i = 0; i < 2; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const q = (p: number) => Math.round(ms[Math.min(ms.length - 1, Math.ceil(p * ms.length) - 1)] * 10) / 10;
  const t: Timing = { name, p50: q(0.5), p95: q(0.95), max: Math.round(ms.at(-1)! * 10) / 10, target: TARGETS[name] };
  log(`  ${name.padEnd(44)} p50 ${String(t.p50).padStart(8)} ms  p95 ${String(t.p95).padStart(8)} ms${t.target ? `  (target ${t.target})` : ""}`);
  return t;
}

/** The naive baseline: the same leaderboard straight from raw events (the path the rollup replaces). */
async function naiveLeaderboard(cur: Period, prev: Period) {
  const prisma = await db();
  return prisma.$queryRaw`
    SELECT e.team_id, (e.occurred_at >= ${dayStart(cur.from, "UTC")}) AS current,
      sum(e.invocations)::float8 AS invocations,
      sum(e.input_tokens + e.output_tokens + e.cache_read_tokens + e.cache_write_tokens)::float8 AS tokens,
      count(DISTINCT e.person_id) FILTER (WHERE e.invocations > 0 OR e.input_tokens + e.output_tokens > 0)::int AS active_users
    FROM usage_events e
    WHERE e.occurred_at >= ${dayStart(prev.from, "UTC")} AND e.occurred_at < ${dayStart(addDaysTo(cur.to, 1), "UTC")}
    GROUP BY 1, 2`;
}

async function naiveTeamTrend(teamId: number, p: Period) {
  const prisma = await db();
  return prisma.$queryRaw`
    SELECT (e.occurred_at AT TIME ZONE 'UTC')::date AS day, sum(e.input_tokens + e.output_tokens + e.cache_read_tokens + e.cache_write_tokens)::float8 AS tokens,
      count(DISTINCT e.person_id)::int AS active_users
    FROM usage_events e
    WHERE e.team_id = ${teamId} AND e.occurred_at >= ${dayStart(p.from, "UTC")} AND e.occurred_at < ${dayStart(addDaysTo(p.to, 1), "UTC")}
    GROUP BY 1`;
}

async function sizes(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const r = (
    await c.query(`SELECT relname, reltuples::bigint AS rows, pg_total_relation_size(oid) AS bytes FROM pg_class
      WHERE relname IN ('usage_events', 'daily_usage', 'daily_team_usage', 'daily_team_totals', 'person_activity', 'person_tool_activity') ORDER BY relname`)
  ).rows as { relname: string; rows: string; bytes: string }[];
  const settings = (await c.query(`SELECT current_setting('shared_buffers') AS sb, current_setting('work_mem') AS wm, version() AS v`)).rows[0];
  await c.end();
  return { tables: r, settings };
}

function writeResults(timings: Timing[], naive: Timing[], info: Awaited<ReturnType<typeof sizes>>, loadNote: string) {
  const file = path.join(import.meta.dirname, "RESULTS.md");
  const start = "<!-- queries:results:start -->";
  const end = "<!-- queries:results:end -->";
  const row = (t: Timing) => `| ${t.name} | ${t.p50} | ${t.p95} | ${t.max} | ${t.target ? `${t.target} ${t.p95 <= t.target ? "✅" : "❌"}` : ""} |`;
  const body = [
    start,
    `Run ${new Date().toISOString().slice(0, 16)}Z on ${os.cpus().length} cores (load average ${LOAD_AT_START.map((x) => x.toFixed(1)).join(" / ")} at the start: the machine is shared), ${info.settings.v.split(" on ")[0]} (shared_buffers ${info.settings.sb}, work_mem ${info.settings.wm}), ${RUNS} runs after 2 warm-ups, in-process (no HTTP).`,
    "",
    ...info.tables.map((t) => `- \`${t.relname}\`: ${Number(t.rows).toLocaleString("en")} rows, ${(Number(t.bytes) / 1024 ** 3).toFixed(2)} GiB with indexes`),
    `- ${loadNote}`,
    "",
    "| query (page) | p50 ms | p95 ms | max ms | target p95 |",
    "|---|---:|---:|---:|---|",
    ...timings.map(row),
    "",
    "| naive baseline over raw `usage_events` | p50 ms | p95 ms | max ms | |",
    "|---|---:|---:|---:|---|",
    ...naive.map(row),
    end,
  ].join("\n");
  let text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "# Benchmark results\n";
  if (!text.includes("## Dashboard queries (issue 5)")) {
    text += `
## Dashboard queries (issue 5)

Command (creates \`${DB_NAME}\` on the local PostgreSQL once and keeps it; \`--fresh\` rebuilds it):

\`\`\`sh
npm run bench:queries -- --write
\`\`\`

The org: 1 root, ${GROUPS} groups, ${TEAMS} teams, ${PEOPLE.toLocaleString("en")} people (2% moved teams 60 days ago, 4 teams with a
headcount override), ${TOOLS.length} tools, ${MODELS.length} models, ${EVENTS.toLocaleString("en")} events over ${DAYS} days, generated in SQL
(\`generate_series\` into \`usage_events\`, then \`daily_usage\` built with the ingest statement's own GROUP BY). 85% of people
adopt at some point, usage is heavy-tailed, weekends are quiet. The page queries are the functions the pages call
(\`lib/queries/*\`), timed in-process; "overview 30d" is the overview page's three queries run together as the page
does (KPIs, top 10, trend by tool). The naive baseline computes the same figures from raw events.

${start}
${end}
`;
  }
  const a = text.indexOf(start);
  const b = text.indexOf(end) + end.length;
  fs.writeFileSync(file, text.slice(0, a) + body + text.slice(b));
  log(`wrote ${path.relative(process.cwd(), file)}`);
}

async function main() {
  process.env.WAKEBOARD_TZ = "UTC";
  process.env.LOG_LEVEL = "silent";
  const today = dayOf(new Date(), "UTC");
  const url = await ensureDatabase();
  process.env.DATABASE_URL = url;
  resetConfig();
  await withSchemaAdapter(applyMigrations);
  const t0 = Date.now();
  await generate(url, today);
  const loadNote = args.includes("--fresh") || Date.now() - t0 > 10_000 ? `loaded in ${Math.round((Date.now() - t0) / 1000)} s` : "database reused from an earlier run";

  const p30 = resolvePeriod("30d", { tz: "UTC" });
  const p90 = resolvePeriod("90d", { tz: "UTC" });
  const p7 = resolvePeriod("7d", { tz: "UTC" });
  const team = "team-17";
  const prisma = await db();
  const teamId = (await prisma.team.findUniqueOrThrow({ where: { slug: team } })).id;
  const top10 = (await getLeaderboard({ period: p30, sparkline: false })).rows.slice(0, 10).map((r) => r.slug);
  const admin = { role: "admin" as const, managedTeamIds: [] };

  log("page queries:");
  const timings = [
    await time("leaderboard 30d", () => getLeaderboard({ period: p30 })),
    await time("leaderboard 7d", () => getLeaderboard({ period: p7 })),
    await time("leaderboard 90d (weekly sparkline)", () => getLeaderboard({ period: p90 })),
    await time("leaderboard 30d, one tool", () => getLeaderboard({ period: p30, tools: ["codex"] })),
    await time("leaderboard 30d, one tool, two models", () => getLeaderboard({ period: p30, tools: ["codex"], models: ["gpt-5-codex", "gpt-4.1"] })),
    await time("leaderboard 30d, org units (groups)", () => getLeaderboard({ period: p30, view: "units" })),
    await time("leaderboard 30d by growth", () => getLeaderboard({ period: p30, metric: "growth" })),
    await time("overview 30d", () =>
      Promise.all([getKpis({ period: p30 }), getLeaderboard({ period: p30, sparkline: false }), getTeamBreakdown({ period: p30, by: "tool", grain: "day" })]),
    ),
    await time("KPIs 30d", () => getKpis({ period: p30 })),
    await time("trend by tool 30d (whole org)", () => getTeamBreakdown({ period: p30, by: "tool", grain: "day" })),
    await time("team trend 30d by day", () => getTeamTrend({ team, period: p30, grain: "day" })),
    await time("team trend 90d by week", () => getTeamTrend({ team, period: p90, grain: "week" })),
    await time("team breakdown by model 30d", () => getTeamBreakdown({ team, period: p30, by: "model", grain: "day" })),
    await time("team people 30d", () => getTeamPeople({ team, period: p30, viewer: admin })),
    await time("team sources", () => getTeamSources({ team })),
    await time("compare 10 teams 90d by week", () => compareTeams({ teams: top10, period: p90, metric: "tokens", grain: "week" })),
  ];
  log("naive baseline (raw events):");
  const naive = [
    await time("naive leaderboard 30d", () => naiveLeaderboard(p30, previousPeriod(p30)), Math.min(RUNS, 5)),
    await time("naive team trend 30d by day", () => naiveTeamTrend(teamId, p30), Math.min(RUNS, 5)),
  ];
  const info = await sizes(url);
  if (args.includes("--write")) writeResults(timings, naive, info, loadNote);
  await closeDb();
}

main().catch(async (e) => {
  console.error(e);
  await closeDb();
  process.exit(1);
});
