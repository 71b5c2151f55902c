import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgCluster } from "@/test/chaos/pg-cluster";
import { logDir, startServer, type ChaosServer } from "@/test/chaos/server";
import { afterBatches, newStats, runClient, type LoadStats } from "@/test/chaos/load";
import { resetConfig } from "@/lib/config";
import { closeDb, withSchemaAdapter } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { createKey } from "@/lib/keys/api-keys";
import { saveUser, updateUser } from "@/lib/admin/users";

// `npm run test:chaos` (in .ci/run): Wakeboard on a PostgreSQL cluster of its own, under
// bounded load from several clients with known ids, while PostgreSQL is restarted and stopped
// hard and the server is SIGKILLed; then the same with two instances behind two ports.
// Afterwards: every acknowledged event stored exactly once (0 lost, 0 double), nothing stored
// that was not sent, and the rollups equal the raw events; 503 + Retry-After while the
// database is down; the same server process serving again once it is back.

const BASE_PORT = Number(process.env.CHAOS_PORT ?? 3540);
const cluster = new PgCluster(BASE_PORT);
const stats: LoadStats = newStats();
let key = "";
const servers: ChaosServer[] = [];

async function sql<T>(text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: cluster.url });
  await c.connect();
  try {
    return (await c.query(text, values)).rows as T[];
  } finally {
    await c.end();
  }
}

let load: Promise<unknown> = Promise.resolve();
/** Resolves once `n` batches are acknowledged; fails at once if a client failed. */
const after = (n: number) => Promise.race([afterBatches(stats, n), load.then(() => afterBatches(stats, n))]);

async function postProbe(url: string): Promise<{ status: number; retryAfter: string | null }> {
  const res = await fetch(`${url}/api/v1/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ id: `probe-${Date.now()}-${Math.random()}`, timestamp: new Date().toISOString(), tool: "claude-code", input_tokens: 0 }),
  });
  await res.arrayBuffer();
  return { status: res.status, retryAfter: res.headers.get("retry-after") };
}

/** Every acknowledged id stored once, nothing else stored, rollups = raw events. */
async function expectExact() {
  const stored = await sql<{ event_id: string; input_tokens: string }>(`SELECT event_id, input_tokens FROM usage_events WHERE event_id NOT LIKE 'probe-%'`);
  const storedIds = new Set(stored.map((r) => r.event_id));
  const lost = [...stats.acked.keys()].filter((id) => !storedIds.has(id));
  const unexpected = stored.filter((r) => !stats.acked.has(r.event_id)).map((r) => r.event_id);
  expect({ lost: lost.length, unexpected: unexpected.length, double: stored.length - storedIds.size }).toEqual({ lost: 0, unexpected: 0, double: 0 });
  const sent = [...stats.acked.values()].reduce((a, b) => a + b, 0);
  const raw = stored.reduce((a, r) => a + Number(r.input_tokens), 0);
  expect(raw).toBe(sent);
  await rollupsDrained();
  const [sums] = await sql<{ events: string; fine: string; team: string; totals: string; raw_all: string; raw_events: string }>(`
    SELECT (SELECT sum(events) FROM daily_usage) AS events, (SELECT sum(input_tokens) FROM daily_usage) AS fine,
      (SELECT sum(input_tokens) FROM daily_team_usage) AS team, (SELECT sum(input_tokens) FROM daily_team_totals) AS totals,
      (SELECT sum(input_tokens) FROM usage_events) AS raw_all, (SELECT count(*) FROM usage_events) AS raw_events`);
  expect({ events: Number(sums.events), fine: Number(sums.fine), team: Number(sums.team), totals: Number(sums.totals) }).toEqual({
    events: Number(sums.raw_events),
    fine: Number(sums.raw_all),
    team: Number(sums.raw_all),
    totals: Number(sums.raw_all),
  });
}

/** Waits for a durable rollup queue (issue 10), when there is one, to be empty. */
async function rollupsDrained() {
  const [q] = await sql<{ t: string | null }>(`SELECT to_regclass('rollup_queue')::text AS t`);
  if (!q.t) return;
  const deadline = Date.now() + 60_000;
  while (Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM rollup_queue`))[0].n) > 0) {
    if (Date.now() > deadline) throw new Error("the rollup queue did not drain within 60 s");
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  await cluster.init();
  process.env.DATABASE_URL = cluster.url;
  resetConfig();
  await withSchemaAdapter(applyMigrations);
  key = (await createKey({ name: "chaos", scopes: ["ingest", "read"], rateLimit: 100_000, actor: "chaos" })).secret;
  await closeDb();
}, 120_000);

afterAll(async () => {
  for (const s of servers) await s.kill("SIGKILL");
  console.error(`chaos: server logs in ${logDir}`);
  await closeDb();
  await cluster.destroy();
});

describe("one instance: PostgreSQL restarted and stopped hard, the server SIGKILLed, mid-load", () => {
  it("loses nothing, doubles nothing, answers 503 + Retry-After while the database is down and recovers without a restart", async () => {
    let server = await startServer(BASE_PORT + 1, cluster.url);
    servers.push(server);
    const clients = 4;
    const batches = 30;
    load = Promise.all(Array.from({ length: clients }, (_, c) => runClient({ client: c, batches, size: 20, key, stats, prefix: "one", urls: () => [server.url] })));

    await after(20);
    await cluster.restart();

    await after(40);
    const pid = server.pid;
    await cluster.stop("immediate");
    const down = await postProbe(server.url);
    expect(down.status).toBe(503);
    expect(down.retryAfter).toMatch(/^\d+$/);
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(503);
    await cluster.start();
    // The same process serves again: no restart needed.
    const back = await postProbe(server.url);
    expect(back.status).toBe(200);
    expect(server.pid).toBe(pid);

    await after(60);
    await server.kill("SIGKILL");
    server = await startServer(BASE_PORT + 1, cluster.url);
    servers.push(server);

    await after(90);
    // The aggregator (issue 10) runs inside the server: SIGKILL it while the queue holds rows.
    await server.kill("SIGKILL");
    server = await startServer(BASE_PORT + 1, cluster.url);
    servers.push(server);

    await load;
    expect(stats.statuses.get(200)).toBeGreaterThanOrEqual(clients * batches);
    expect(stats.retryAfterOn503.every(Boolean)).toBe(true);
    await expectExact();
  }, 480_000);
});

describe("two instances on one database", () => {
  let a: ChaosServer;
  let b: ChaosServer;
  beforeAll(async () => {
    for (const s of servers) await s.kill("SIGKILL");
    [a, b] = await Promise.all([startServer(BASE_PORT + 1, cluster.url), startServer(BASE_PORT + 2, cluster.url)]);
    servers.push(a, b);
  }, 240_000);

  it("keeps totals exact with clients spread over both and one instance SIGKILLed mid-load", async () => {
    const startDone = stats.batchesDone;
    load = Promise.all(Array.from({ length: 4 }, (_, c) => runClient({ client: c, batches: 20, size: 20, key, stats, prefix: "two", urls: () => [a.url, b.url] })));
    await after(startDone + 30);
    await b.kill("SIGKILL");
    b = await startServer(BASE_PORT + 2, cluster.url);
    servers.push(b);
    await load;
    await expectExact();
  });

  // The two checks below need issue 10's shared state (a rate limit stored in PostgreSQL,
  // LISTEN/NOTIFY cache invalidation). Until that is on main they skip, saying why.
  it("holds one key's rate limit for the sum of both instances", async (ctx) => {
    const [shared] = await sql<{ t: string | null }>(`SELECT to_regclass('rate_limit_buckets')::text AS t`);
    if (!shared.t) ctx.skip("the per-key rate limit is not shared between instances yet (issue 10)");
    process.env.DATABASE_URL = cluster.url;
    resetConfig();
    const slow = (await createKey({ name: "slow", scopes: ["ingest"], rateLimit: 1, actor: "chaos" })).secret;
    await closeDb();
    const started = Date.now();
    let ok = 0;
    const answers = await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        fetch(`${[a.url, b.url][i % 2]}/api/v1/events`, {
          method: "POST",
          headers: { authorization: `Bearer ${slow}`, "content-type": "application/json" },
          body: JSON.stringify({ id: `rl-${i}`, timestamp: new Date().toISOString(), tool: "codex", input_tokens: 1 }),
        }).then((r) => r.status),
      ),
    );
    const seconds = (Date.now() - started) / 1000;
    ok = answers.filter((s) => s === 200).length;
    // One bucket for the key: burst 2 + 1/s over the run (+1 for a refill at the edge); a
    // bucket per instance would let through up to twice that.
    expect(ok).toBeLessThanOrEqual(2 + Math.ceil(seconds) + 1);
    expect(answers.filter((s) => s === 429).length).toBeGreaterThan(0);
  });

  it("refuses a disabled user on both instances within 1 s", async (ctx) => {
    const [notify] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = 'users'::regclass AND NOT tgisinternal`);
    if (!notify.n) ctx.skip("changes to users are not notified to other instances yet (issue 10)");
    process.env.DATABASE_URL = cluster.url;
    resetConfig();
    const user = await saveUser({ email: "chaos-viewer@example.com", password: "chaos-password-1", role: "viewer", manages: [] }, "chaos", { upsert: true });
    await saveUser({ email: "chaos-admin@example.com", password: "chaos-password-1", role: "admin", manages: [] }, "chaos", { upsert: true });
    const cookie = await signIn(a.url, "chaos-viewer@example.com", "chaos-password-1");
    const read = (url: string) => fetch(`${url}/api/v1/leaderboard?period=7d`, { headers: { cookie } }).then((r) => r.status);
    expect([await read(a.url), await read(b.url)]).toEqual([200, 200]);

    await updateUser((user as { id: number }).id, { disabled: true }, "chaos");
    const disabledAt = Date.now();
    await closeDb();
    const refusedWithin = async (url: string) => {
      for (;;) {
        const status = await read(url);
        if (status === 401 || status === 403) return Date.now() - disabledAt;
        if (Date.now() - disabledAt > 5000) return Infinity;
      }
    };
    const [ta, tb] = await Promise.all([refusedWithin(a.url), refusedWithin(b.url)]);
    expect(Math.max(ta, tb)).toBeLessThanOrEqual(1000);
  });
});

/** Signs in through next-auth's credentials endpoint, as the login form does; returns the cookie header. */
async function signIn(url: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${url}/api/auth/csrf`);
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; "), origin: url },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${url}/`, json: "true" }),
  });
  keep(res);
  const session = [...jar.keys()].find((k) => k.includes("session-token"));
  if (!session) throw new Error(`sign-in failed: ${res.status}`);
  return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
}
