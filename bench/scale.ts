import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { resetConfig } from "@/lib/config";
import { closeDb, db, withSchemaAdapter } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { addDaysTo, dayOf, dayStart } from "@/lib/time/calendar";
import { resolvePeriod } from "@/lib/time/period";
import { ingest } from "@/lib/ingest/ingest";
import { rebuildRollups } from "@/lib/ingest/rebuild-rollups";
import { getLeaderboard } from "@/lib/queries/get-leaderboard";
import { getKpis } from "@/lib/queries/get-kpis";
import { getTeamTrend } from "@/lib/queries/get-team-trend";

// The path to 100k engineers (issue 13, docs/scaling.md): orgs of 1k, 10k and 100k people
// with usage at a realistic density, each in its own database on the local PostgreSQL, and
// for each: ingest throughput of one process, rollup sizes, page query p95, disk per million
// raw events. Then a fit of the growth curve between sizes.
//
//   npm run bench:scale -- [--sizes 1000,10000,100000] [--runs 10] [--keep] [--write]
//
// Scaled down to fit a shared 2-core machine, and how (repeated in the results):
// - One event stands for one person's day × tool × model (the sum a real stream of 20–200
//   OTLP exports would add up to). Rollups and page queries — which read only rollups — are
//   exactly those of the full stream; the raw table holds fewer, larger events, so raw-table
//   disk is measured per million events and multiplied out for real event rates.
// - 1k and 10k people: a full year (365 days). 100k people: the last 31 days only (the 30-day
//   pages read exactly what a year-long database would give them in that window); its
//   rollup sizes per year are the 31-day figures × 365/31 (rollups grow linearly with days).
// - Density: 85 % of people adopt; an adopter is active on 60 % of weekdays and 8 % of
//   weekend days; 1.25 tools a day on average, 1.4 models per tool.
// Databases are named wakeboard_i13_scale_<people> and dropped afterwards unless --keep.

const args = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const SIZES = opt("sizes", "1000,10000,100000").split(",").map(Number);
const RUNS = Number(opt("runs", "10"));
const INGEST_EVENTS = Number(opt("ingest-events", "10000"));
const TOOLS = ["claude-code", "gemini-cli", "codex", "copilot"];
const MODELS = ["claude-sonnet-4-5", "claude-opus-4-1", "gemini-2.5-pro", "gpt-5-codex", "gpt-4.1"];
const BASE = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
if (!["localhost", "127.0.0.1", "::1", "[::1]"].includes(new URL(BASE).hostname)) throw new Error("refusing a non-local database for a benchmark");

const log = (msg: string) => console.error(msg);
const daysFor = (people: number) => (people >= 100_000 ? 31 : 365);

interface SizeResult {
  people: number;
  teams: number;
  days: number;
  events: number;
  loadSeconds: number;
  ingestPerSecond: number;
  tables: { name: string; rows: number; bytes: number }[];
  queries: { name: string; p50: number; p95: number }[];
  bytesPerMillionEvents: number;
  load: number[];
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: BASE });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function generate(url: string, people: number, days: number, lastDay: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const teams = Math.max(10, Math.round(people / 10));
  const groups = Math.max(3, Math.round(teams / 12));
  await c.query("SELECT setseed(0.13)");
  await c.query(`INSERT INTO teams (slug, name) VALUES ('org', 'Org')`);
  await c.query(`INSERT INTO teams (slug, name, parent_id) SELECT 'group-' || g, 'Group ' || g, (SELECT id FROM teams WHERE slug = 'org') FROM generate_series(1, $1::int) g`, [groups]);
  await c.query(
    `INSERT INTO teams (slug, name, parent_id) SELECT 'team-' || g, 'Team ' || g, (SELECT id FROM teams WHERE slug = 'group-' || (1 + g % $2::int)) FROM generate_series(1, $1::int) g`,
    [teams, groups],
  );
  await c.query(`INSERT INTO tools (slug, name) SELECT s, s FROM unnest($1::text[]) s`, [TOOLS]);
  await c.query(
    `INSERT INTO people (email, name, team_id) SELECT 'p' || i || '@scale.example', 'Person ' || i, (SELECT id FROM teams WHERE slug = 'team-' || (1 + i % $2::int)) FROM generate_series(0, $1::int - 1) i`,
    [people, teams],
  );
  await c.query(`INSERT INTO memberships (person_id, team_id, valid_from) SELECT id, team_id, '2020-01-01' FROM people`);
  const tool0 = Number((await c.query("SELECT min(id) AS t FROM tools")).rows[0].t);
  const start = dayStart(addDaysTo(lastDay, 1 - days), "UTC").getTime() / 1000;
  // Build the secondary indexes once after loading (faster than maintaining them row by row).
  const indexes = (await c.query(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'usage_events' AND indexname NOT LIKE '%pkey'`)).rows as { indexname: string; indexdef: string }[];
  for (const ix of indexes) await c.query(`DROP INDEX ${ix.indexname}`);
  // Chunks of people keep each statement's memory bounded.
  const chunk = Math.max(500, Math.floor(2_000_000 / days));
  for (let from = 0; from < people; from += chunk) {
    await c.query(
      `INSERT INTO usage_events (event_id, content_hash, occurred_at, received_at, team_id, person_id, tool_id, model, invocations,
         input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, source)
       SELECT 's-' || p.id || '-' || d || '-' || tl || '-' || m, 'bench', ts, ts, p.team_id, p.id, $3::int + tl, ($4::text[])[1 + (tl + m) % 5],
         5 + floor(random() * 40)::int, floor(random() * 60000)::bigint, floor(random() * 25000)::bigint, floor(random() * 300000)::bigint,
         floor(random() * 30000)::bigint, round((random() * 3)::numeric, 6), 'bench'
       FROM (SELECT id, team_id, (hashtext(email) & 3) AS fav, random() < 0.85 AS adopter FROM people ORDER BY id OFFSET $5 LIMIT $6) p
       CROSS JOIN generate_series(0, $2::int - 1) d
       CROSS JOIN LATERAL (SELECT to_timestamp($1::float8 + d * 86400 + 28800 + floor(random() * 36000)) AS ts) t
       -- A second tool on 25 % of active days, a second model for 40 % of tool-days (hashes, not
       -- random(): a volatile call without an outer reference would be evaluated only once).
       CROSS JOIN LATERAL (SELECT CASE WHEN k = 0 THEN p.fav ELSE (p.fav + k) % 4 END AS tl
         FROM generate_series(0, CASE WHEN (hashtext(p.id || '/' || d) & 3) = 0 THEN 1 ELSE 0 END) k) tools
       CROSS JOIN LATERAL generate_series(0, CASE WHEN (hashtext(p.id || '/' || d || '/' || tools.tl) & 1023) < 410 THEN 1 ELSE 0 END) m
       WHERE p.adopter AND random() < CASE WHEN extract(isodow FROM t.ts) >= 6 THEN 0.08 ELSE 0.6 END`,
      [start, days, tool0, MODELS, from, chunk],
    );
  }
  for (const ix of indexes) await c.query(ix.indexdef);
  const events = Number((await c.query("SELECT count(*) AS n FROM usage_events")).rows[0].n);
  await c.end();
  return events;
}

async function time(name: string, fn: () => Promise<unknown>): Promise<{ name: string; p50: number; p95: number }> {
  for (let i = 0; i < 2; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const q = (p: number) => Math.round(ms[Math.min(ms.length - 1, Math.ceil(p * ms.length) - 1)]);
  log(`    ${name.padEnd(28)} p50 ${q(0.5)} ms  p95 ${q(0.95)} ms`);
  return { name, p50: q(0.5), p95: q(0.95) };
}

async function measure(people: number): Promise<SizeResult> {
  const name = `wakeboard_i13_scale_${people}`;
  const days = daysFor(people);
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  const url = new URL(BASE);
  url.pathname = `/${name}`;
  await closeDb();
  process.env.DATABASE_URL = url.toString();
  resetConfig();
  await withSchemaAdapter(applyMigrations);
  const load = os.loadavg();
  const today = dayOf(new Date(), "UTC");
  const t0 = Date.now();
  log(`${people.toLocaleString("en")} people, ${days} days: loading …`);
  const events = await generate(url.toString(), people, days, addDaysTo(today, -1));
  await rebuildRollups();
  const prisma = await db();
  await prisma.$executeRaw`VACUUM ANALYZE`;
  const loadSeconds = Math.round((Date.now() - t0) / 1000);
  log(`  ${events.toLocaleString("en")} events + rollups in ${loadSeconds} s`);

  const tables = (
    await prisma.$queryRaw<{ name: string; rows: bigint; bytes: bigint }[]>`
      SELECT relname AS name, (SELECT reltuples FROM pg_class c2 WHERE c2.oid = c.oid)::bigint AS rows, pg_total_relation_size(c.oid) AS bytes
      FROM pg_class c WHERE relkind IN ('r', 'p') AND relnamespace = 'public'::regnamespace
        AND relname IN ('usage_events', 'daily_usage', 'daily_team_usage', 'daily_team_totals', 'person_activity', 'person_tool_activity', 'rollup_queue')
      ORDER BY relname`
  ).map((t) => ({ name: t.name, rows: Number(t.rows), bytes: Number(t.bytes) }));
  const raw = tables.find((t) => t.name === "usage_events")!;

  // Page queries: what the overview, leaderboard and team pages run.
  const p30 = resolvePeriod("30d", { tz: "UTC" });
  const queries = [
    await time("leaderboard 30d", () => getLeaderboard({ period: p30 })),
    await time("KPIs 30d (overview)", () => getKpis({ period: p30 })),
    await time("team trend 30d by day", () => getTeamTrend({ team: "team-7", period: p30, grain: "day" })),
    await time("leaderboard 30d, group units", () => getLeaderboard({ period: p30, view: "units" })),
  ];

  // Ingest throughput of this one process: batches of 500 new events through ingest(), the
  // statement every source ends in, into the loaded tables.
  const ids = await prisma.person.findMany({ select: { email: true }, take: 500, orderBy: { id: "asc" } });
  const now = new Date();
  const batches = Math.ceil(INGEST_EVENTS / 500);
  const t1 = performance.now();
  for (let b = 0; b < batches; b++) {
    const batch = Array.from({ length: 500 }, (_, i) => ({
      id: `ingest-${b}-${i}`,
      timestamp: new Date(now.getTime() - ((b * 500 + i) % 86_400) * 1000).toISOString(),
      tool: TOOLS[i % 4],
      user: ids[i % ids.length].email,
      model: MODELS[i % 5],
      input_tokens: 1000 + i,
      output_tokens: 100,
    }));
    await ingest(batch, { source: "bench" });
  }
  const ingestPerSecond = Math.round((batches * 500) / ((performance.now() - t1) / 1000));
  log(`    ingest (batches of 500)      ${ingestPerSecond.toLocaleString("en")} events/s`);
  await closeDb();
  if (!args.includes("--keep")) await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  return { people, teams: Math.max(10, Math.round(people / 10)), days, events, loadSeconds, ingestPerSecond, tables, queries, bytesPerMillionEvents: Math.round((raw.bytes / Math.max(1, raw.rows)) * 1e6), load };
}

const fmtBytes = (b: number) => (b >= 1024 ** 3 ? `${(b / 1024 ** 3).toFixed(2)} GiB` : `${(b / 1024 ** 2).toFixed(1)} MiB`);

/** Rollup rows and bytes for a full year: the 100k run loaded 31 days. */
const perYear = (r: SizeResult, n: number) => Math.round(n * (365 / r.days));

function report(results: SizeResult[]): string {
  const lines: string[] = [];
  lines.push(`Run ${new Date().toISOString().slice(0, 16)}Z on ${os.cpus().length} cores; load average at the start of each size: ${results.map((r) => `${r.people / 1000}k ${r.load.map((x) => x.toFixed(1)).join("/")}`).join(", ")}, end ${os.loadavg().map((x) => x.toFixed(1)).join("/")} (shared machine). ${RUNS} runs per query after 2 warm-ups, in-process.`);
  lines.push("");
  lines.push("| people | teams | days loaded | events (1 per person-day × tool × model) | ingest, 1 process (events/s, batches of 500) | leaderboard 30d p95 | KPIs 30d p95 | team trend 30d p95 | group units 30d p95 | raw disk per 1M events |");
  lines.push("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of results) {
    const q = (n: string) => r.queries.find((x) => x.name.startsWith(n))!.p95;
    lines.push(`| ${r.people.toLocaleString("en")} | ${r.teams.toLocaleString("en")} | ${r.days} | ${r.events.toLocaleString("en")} | ${r.ingestPerSecond.toLocaleString("en")} | ${q("leaderboard 30d")} ms | ${q("KPIs")} ms | ${q("team trend")} ms | ${q("leaderboard 30d, group")} ms | ${fmtBytes(r.bytesPerMillionEvents)} |`);
  }
  lines.push("");
  lines.push("Rollup sizes for a year (rows / bytes with indexes; the 100k row scaled from 31 days × 365/31):");
  lines.push("");
  const names = ["daily_usage", "daily_team_usage", "daily_team_totals", "person_activity", "person_tool_activity"];
  lines.push(`| people | ${names.join(" | ")} |`);
  lines.push(`|---:|${names.map(() => "---:").join("|")}|`);
  for (const r of results) {
    lines.push(`| ${r.people.toLocaleString("en")} | ${names.map((n) => {
      const t = r.tables.find((x) => x.name === n);
      return t ? `${perYear(r, t.rows).toLocaleString("en")} / ${fmtBytes(perYear(r, t.bytes))}` : "—";
    }).join(" | ")} |`);
  }
  // Growth between the two largest sizes: exponent k of p95 ∝ people^k.
  if (results.length >= 2) {
    const [a, b] = results.slice(-2);
    lines.push("");
    lines.push(`Growth exponent ${a.people / 1000}k → ${b.people / 1000}k (p95 ∝ people^k): ` +
      a.queries.map((qa) => {
        const qb = b.queries.find((x) => x.name === qa.name)!;
        return `${qa.name} k = ${(Math.log(qb.p95 / Math.max(1, qa.p95)) / Math.log(b.people / a.people)).toFixed(2)}`;
      }).join("; ") + ".");
  }
  return lines.join("\n");
}

function writeResults(text: string) {
  const file = path.join(import.meta.dirname, "RESULTS.md");
  const start = "<!-- scale:results:start -->";
  const end = "<!-- scale:results:end -->";
  let doc = fs.readFileSync(file, "utf8");
  if (!doc.includes(start)) {
    doc += `\n## Scale: 1k, 10k, 100k people (issue 13)\n\nCommand: \`npm run bench:scale -- --write\`. How the load is scaled down to fit this machine: see the header of bench/scale.ts and docs/scaling.md.\n\n${start}\n${end}\n`;
  }
  doc = doc.slice(0, doc.indexOf(start)) + `${start}\n${text}\n${end}` + doc.slice(doc.indexOf(end) + end.length);
  fs.writeFileSync(file, doc);
}

async function main() {
  process.env.WAKEBOARD_TZ = "UTC";
  process.env.LOG_LEVEL = "silent";
  process.env.DATABASE_STATEMENT_TIMEOUT_MS = "3600000";
  const results: SizeResult[] = [];
  for (const people of SIZES) results.push(await measure(people));
  const text = report(results);
  console.log(text);
  if (args.includes("--write")) writeResults(text);
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
