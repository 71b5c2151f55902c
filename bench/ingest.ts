import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import pg from "pg";

// Ingest throughput (issues 3 and 10), in one run against `npm start`'s server on the local PostgreSQL:
//   0. the HTTP floor: a plain node:http server answering 401 before any work;
//   1. raw limit: COPY of the same events into a table of usage_events' shape (its indexes);
//   2. POST /api/v1/events with 500 events a request, a few concurrent clients: events/s;
//   3. single-event requests, 32 and 64 concurrent, with 1 worker and with WAKEBOARD_WORKERS=2:
//      requests/s, p50 and p99 latency;
//   4. freshness: during (3) with 32 clients, a probe posts one event every 50 ms to a team of
//      its own and watches the daily rollup: time from the 200 to the event counted there.
//
//   npm run bench:ingest -- [--events 100000] [--singles 30000] [--batch-clients 4] [--write]
//
// Needs a production build in NEXT_DIST_DIR (default .next-ingest):
//   NEXT_DIST_DIR=.next-ingest npx next build
// It creates and drops its own database on BENCH_DATABASE_URL (default the local server).
// The load generator is plain node:http with keep-alive sockets (no dependency); it runs on
// the same machine as the server and the database, so all three share its cores.
// --write puts the results into the ingest section of bench/RESULTS.md.

const args = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const EVENTS = opt("events", 100_000);
const SINGLES = opt("singles", 30_000);
const BATCH = 500;
const BATCH_CLIENTS = opt("batch-clients", 4);
const PORT = opt("port", 3301);
const FLOOR_PORT = PORT + 1;
const WRITE = args.includes("--write");

const BASE_URL = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const root = path.resolve(import.meta.dirname, "..");
const distDir = process.env.NEXT_DIST_DIR ?? ".next-ingest";

const TOOLS = ["claude-code", "codex", "gemini-cli"];
const TEAMS = Array.from({ length: 20 }, (_, i) => `team-${i}`);
const t0 = Date.now() - 3 * 86_400_000;

function event(prefix: string, i: number) {
  return {
    id: `${prefix}-${i}`,
    timestamp: new Date(t0 + ((i * 7919) % (2 * 86_400)) * 1000).toISOString(),
    tool: TOOLS[i % 3],
    team: TEAMS[i % TEAMS.length],
    user: `dev${i % 500}@example.com`,
    model: ["opus", "sonnet", "gpt-5"][i % 3],
    input_tokens: 1000 + (i % 997),
    output_tokens: 100 + (i % 89),
    cache_read_tokens: i % 5000,
    session_id: `s-${i % 1000}`,
  };
}

async function withDb<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function startServer(databaseUrl: string, workers: number): Promise<ChildProcess> {
  if (!fs.existsSync(path.join(root, distDir, "BUILD_ID"))) throw new Error(`no build in ${distDir}: run NEXT_DIST_DIR=${distDir} npx next build`);
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: root,
    env: { ...process.env, NEXT_DIST_DIR: distDir, PORT: String(PORT), HOST: "127.0.0.1", DATABASE_URL: databaseUrl, WAKEBOARD_SEED_DEMO: "0", WAKEBOARD_WORKERS: String(workers), LOG_LEVEL: "warn", WAKEBOARD_DATA_DIR: ".data/ingest-bench", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 90_000;
    const poll = () => {
      if (child.exitCode !== null) return reject(new Error(`server exited with ${child.exitCode}`));
      http
        .get(`http://127.0.0.1:${PORT}/api/health`, (res) => {
          res.resume();
          if (res.statusCode === 200) resolve(child);
          else setTimeout(poll, 300);
        })
        .on("error", () => (Date.now() > deadline ? reject(new Error("server did not start")) : setTimeout(poll, 300)));
    };
    poll();
  });
}

interface Load {
  seconds: number;
  requests: number;
  latencies: number[];
  statuses: Map<number, number>;
  accepted: number;
}

/** `concurrency` workers send requests 0..total-1 over keep-alive sockets, each waiting for its answer. */
async function load(total: number, concurrency: number, body: (i: number) => string, key: string | null, port = PORT): Promise<Load> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  let accepted = 0;
  const send = (payload: string) =>
    new Promise<void>((resolve, reject) => {
      const started = performance.now();
      const req = http.request(
        { agent, host: "127.0.0.1", port, path: "/api/v1/events", method: "POST", headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), "content-type": "application/json", "content-length": Buffer.byteLength(payload) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c) => chunks.push(c));
          res.on("end", () => {
            latencies.push(performance.now() - started);
            statuses.set(res.statusCode ?? 0, (statuses.get(res.statusCode ?? 0) ?? 0) + 1);
            if (res.statusCode === 200) accepted += JSON.parse(Buffer.concat(chunks).toString()).accepted;
            resolve();
          });
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await send(body(next++));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { seconds, requests: total, latencies, statuses, accepted };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function stopServer(child: ChildProcess | undefined) {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}

/** The HTTP floor: plain node:http in a process of its own, reading the body and answering 401. */
async function startFloor(): Promise<ChildProcess> {
  const code = `require("node:http").createServer((q, s) => { q.resume(); q.on("end", () => s.writeHead(401, { "content-type": "application/json" }).end('{"error":{"code":"unauthorized"}}')); }).listen(${FLOOR_PORT}, "127.0.0.1", () => process.stdout.write("up\\n"));`;
  const child = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
  return child;
}

/**
 * Freshness under load: while `until` runs, posts one event every 50 ms to a team of its own
 * and polls daily_usage every 10 ms; an event's freshness is from its 200 to the first poll
 * whose rollup count includes it. Returns the freshness of each probe, in ms.
 */
async function freshness(dbUrl: string, key: string, until: Promise<unknown>): Promise<number[]> {
  let done = false;
  void until.finally(() => (done = true));
  const acked: number[] = [];
  const seen: number[] = [];
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  const probe = (async () => {
    for (let i = 0; !done; i++) {
      const r = await load(1, 1, () => JSON.stringify({ ...event("probe", i), team: "fresh-probe" }), key);
      if (r.statuses.get(200) === 1) acked.push(performance.now());
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const poll = (async () => {
    while (!done || seen.length < acked.length) {
      const { rows } = await c.query("SELECT coalesce(sum(d.events), 0)::int AS n FROM daily_usage d JOIN teams t ON t.id = d.team_id WHERE t.slug = 'fresh-probe'");
      const now = performance.now();
      while (seen.length < Math.min(rows[0].n, acked.length)) seen.push(now);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  await probe;
  await poll;
  await c.end();
  return seen.map((t, i) => t - acked[i]);
}

async function copyBaseline(url: string): Promise<number> {
  // The same events, resolved the way ingest() stores them, COPY'd into a table with
  // usage_events' columns, defaults and indexes (the unique event_id index included).
  const ids = await withDb(url, async (c) => {
    await c.query("CREATE TABLE bench_copy (LIKE usage_events INCLUDING ALL)");
    const teams = new Map((await c.query("SELECT slug, id FROM teams")).rows.map((r) => [r.slug, r.id]));
    const tools = new Map((await c.query("SELECT slug, id FROM tools")).rows.map((r) => [r.slug, r.id]));
    return { teams, tools };
  });
  const lines: string[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const e = event("copy", i);
    lines.push(
      [e.id, "h", e.timestamp, new Date().toISOString(), ids.teams.get(e.team), "", ids.tools.get(e.tool), e.model, e.session_id, 1, e.input_tokens, e.output_tokens, e.cache_read_tokens, 0, "api", e.user].join(","),
    );
  }
  const csv = lines.join("\n") + "\n";
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const psql = spawn("psql", [url, "-qc", "\\copy bench_copy (event_id, content_hash, occurred_at, received_at, team_id, person_id, tool_id, model, session_id, invocations, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, source, user_ref) FROM STDIN WITH (FORMAT csv)"], {
      stdio: ["pipe", "ignore", "inherit"],
    });
    psql.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`psql exited ${code}`))));
    psql.stdin.end(csv);
  });
  const seconds = (performance.now() - started) / 1000;
  const n = await withDb(url, async (c) => Number((await c.query("SELECT count(*) FROM bench_copy")).rows[0].count));
  if (n !== EVENTS) throw new Error(`COPY stored ${n} of ${EVENTS}`);
  return EVENTS / seconds;
}

async function main() {
  const name = `wakeboard_bench_ingest_${Date.now()}`;
  await withDb(BASE_URL, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(BASE_URL);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  let server: ChildProcess | undefined;
  try {
    server = await startServer(dbUrl, 1);
    process.env.DATABASE_URL = dbUrl;
    const { createKey } = await import("@/lib/keys/api-keys");
    const { closeDb } = await import("@/lib/db/client");
    const key = (await createKey({ name: "bench", scopes: ["ingest"], rateLimit: 10_000_000, actor: "bench" })).secret;
    await closeDb();

    // Warm-up: opens the pool, creates the teams, tools and people.
    await load(20, 4, (i) => JSON.stringify({ events: Array.from({ length: 500 }, (_, k) => event("warm", i * 500 + k)) }), key);
    await load(2000, 32, (i) => JSON.stringify(event("warm-single", i)), key);

    const loadavg = os.loadavg().map((l) => l.toFixed(2)).join(" / ");
    const floorServer = await startFloor();
    const floor = await load(Math.min(SINGLES, 10_000), 32, (i) => JSON.stringify(event("floor", i)), null, FLOOR_PORT);
    floorServer.kill();
    const floorRate = floor.requests / floor.seconds;
    const copyRate = await copyBaseline(dbUrl);
    const batches = await load(Math.ceil(EVENTS / BATCH), BATCH_CLIENTS, (i) => JSON.stringify({ events: Array.from({ length: BATCH }, (_, k) => event("batch", i * BATCH + k)).filter((_, k) => i * BATCH + k < EVENTS) }), key);
    const batchRate = batches.accepted / batches.seconds;

    const singles: { workers: number; concurrency: number; l: Load }[] = [];
    let fresh: number[] = [];
    for (const workers of [1, 2]) {
      if (workers === 2) {
        await stopServer(server);
        server = await startServer(dbUrl, 2);
        await load(2000, 32, (i) => JSON.stringify(event("warm-single2", i)), key);
      }
      for (const concurrency of [32, 64]) {
        const prefix = `single-w${workers}-c${concurrency}`;
        const run = load(SINGLES, concurrency, (i) => JSON.stringify(event(prefix, i)), key);
        if (workers === 1 && concurrency === 32) fresh = await freshness(dbUrl, key, run);
        singles.push({ workers, concurrency, l: await run });
      }
    }

    // Every acknowledged event is stored once and counted once in the rollups (after the queue drains).
    const expected = await withDb(dbUrl, async (c) => Number((await c.query("SELECT count(*) FROM usage_events")).rows[0].count));
    let check = { events: expected, rollup: -1 };
    for (const deadline = Date.now() + 30_000; check.rollup !== check.events && Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
      check = await withDb(dbUrl, async (c) => (await c.query("SELECT (SELECT count(*) FROM usage_events)::int AS events, (SELECT coalesce(sum(events), 0) FROM daily_usage)::int AS rollup")).rows[0]);
    }
    const statuses = (l: Load) => [...l.statuses].map(([s, n]) => `${n}×${s}`).join(", ");
    const rate = (l: Load) => l.requests / l.seconds;
    const rows = [
      `| 0. Floor: plain node:http answering 401 before any work, 32 concurrent | ${Math.round(floorRate).toLocaleString("en")} req/s; p50 ${pct(floor.latencies, 50).toFixed(1)} ms, p99 ${pct(floor.latencies, 99).toFixed(1)} ms | — | (the HTTP floor of one process here) |`,
      `| 1. COPY into usage_events' shape (baseline) | ${Math.round(copyRate).toLocaleString("en")} events/s | 100 % | — |`,
      `| 2. POST /api/v1/events, ${BATCH} events/request, ${BATCH_CLIENTS} clients, 1 worker | ${Math.round(batchRate).toLocaleString("en")} events/s (${(batches.requests / batches.seconds).toFixed(1)} req/s; p50 ${pct(batches.latencies, 50).toFixed(0)} ms, p99 ${pct(batches.latencies, 99).toFixed(0)} ms) | ${((100 * batchRate) / copyRate).toFixed(1)} % of (1) | ≥ 50 % of (1) |`,
      ...singles.map(
        ({ workers, concurrency, l }) =>
          `| 3. POST /api/v1/events, 1 event/request, ${concurrency} concurrent, ${workers} worker${workers > 1 ? "s" : ""} | ${Math.round(rate(l)).toLocaleString("en")} req/s; p50 ${pct(l.latencies, 50).toFixed(1)} ms, p99 ${pct(l.latencies, 99).toFixed(1)} ms | ${((100 * rate(l)) / 3000).toFixed(1)} % of 3,000 req/s; ${((100 * rate(l)) / floorRate).toFixed(0)} % of (0) | ≥ 3,000 req/s, p99 ≤ 30 ms |`,
      ),
      `| 4. Freshness: 200 → counted in daily_usage, during (3) with 32 clients, 1 worker (${fresh.length} probes) | p50 ${pct(fresh, 50).toFixed(0)} ms, p99 ${pct(fresh, 99).toFixed(0)} ms, max ${Math.max(...fresh).toFixed(0)} ms | — | p99 ≤ 1 s |`,
    ];
    const report = [
      `Run ${new Date().toISOString().slice(0, 16)}Z on ${os.cpus().length} cores (${os.cpus()[0].model.trim()}), load average ${loadavg} (1/5/15 min) at the start of the measured part; ${EVENTS.toLocaleString("en")} events for (1) and (2), ${SINGLES.toLocaleString("en")} requests for each line of (3).`,
      ``,
      `| scenario | measured | ratio | target |`,
      `|---|---|---|---|`,
      ...rows,
      ``,
      `Statuses: (0) ${statuses(floor)}; (2) ${statuses(batches)}; (3) ${singles.map((x) => statuses(x.l)).join(" | ")}. After the run: ${check.events} events stored, rollup event count ${check.rollup} (must be equal).`,
    ].join("\n");
    process.stdout.write(report + "\n");
    if (WRITE) writeSection(report);
    if (check.events !== check.rollup) throw new Error("events and rollup disagree");
  } finally {
    await stopServer(server);
    await withDb(BASE_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}

/** Replaces the measured block of the ingest section of bench/RESULTS.md. */
function writeSection(report: string) {
  const file = path.join(root, "bench", "RESULTS.md");
  const start = "<!-- ingest:results:start -->";
  const end = "<!-- ingest:results:end -->";
  const text = fs.readFileSync(file, "utf8");
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < 0) throw new Error(`bench/RESULTS.md has no ${start} … ${end} block`);
  fs.writeFileSync(file, text.slice(0, a + start.length) + "\n" + report + "\n" + text.slice(b));
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`bench:ingest: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
