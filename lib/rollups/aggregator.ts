import pg from "pg";
import { config } from "@/lib/config";
import { pgConfig } from "@/lib/db/client";
import { log } from "@/lib/log";
import { DRAIN_BATCH, LEADER_LOCK_IDS, drainOnce } from "@/lib/rollups/drain";
import { recordJob } from "@/lib/metrics/registry";

// The aggregator: one leader per database drains the rollup queue every ≤ 250 ms, so each
// hot rollup row is written once per cycle instead of once per request. Leadership is a
// session-level advisory lock held on a connection of its own: when the leader's process or
// connection dies, PostgreSQL releases the lock and the next instance to try takes over
// (each follower tries once a second). Correctness never rests on leadership: every drain
// takes the drain lock and moves queue rows in the transaction that deletes them, so a
// second drainer would only wait. With the embedded database there is one process, always
// the leader.

export interface AggregatorStats {
  /** Completed attempts to take leadership (one a second while following). */
  attempts: number;
  /** Drain transactions this instance ran that moved at least one row. */
  drains: number;
  rows: number;
  events: number;
  errors: number;
}

export interface Aggregator {
  readonly leader: boolean;
  readonly stats: AggregatorStats;
  /** Resolves once this instance holds leadership (at once if it does). */
  becameLeader(): Promise<void>;
  /**
   * Calls `fn` after each cycle in which this instance, as leader, moved queue rows into the
   * rollups (the insights job evaluates alerts then). Returns the unsubscribe function.
   */
  onDrained(fn: (moved: { rows: number; events: number }) => void): () => void;
  stop(): Promise<void>;
}

const FOLLOWER_RETRY_MS = 1000;

export function startAggregator(opts: { intervalMs?: number } = {}): Aggregator {
  const interval = Math.min(opts.intervalMs ?? 200, 250);
  const url = config().DATABASE_URL;
  const stats: AggregatorStats = { attempts: 0, drains: 0, rows: 0, events: 0, errors: 0 };
  let leader = !url;
  let lockClient: pg.Client | null = null;
  let lastTry = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  let waiters: (() => void)[] = [];
  const drainedListeners = new Set<(moved: { rows: number; events: number }) => void>();

  const setLeader = (v: boolean) => {
    if (v === leader) return;
    leader = v;
    log.info({ leader: v }, v ? "aggregator: leading" : "aggregator: no longer leading");
    if (v) for (const w of waiters.splice(0)) w();
  };

  const dropLock = () => {
    const c = lockClient;
    lockClient = null;
    // An instance that just lost its connection waits a little longer before trying again,
    // so a healthy follower takes over first.
    lastTry = Date.now() + FOLLOWER_RETRY_MS;
    setLeader(false);
    c?.end().catch(() => {});
  };

  async function tryLead(): Promise<void> {
    if (!url || lockClient || Date.now() - lastTry < FOLLOWER_RETRY_MS) return;
    lastTry = Date.now();
    const c = new pg.Client({ ...pgConfig(url, 1), application_name: "wakeboard-aggregator", keepAlive: true });
    c.on("error", () => c === lockClient && dropLock());
    c.on("end", () => c === lockClient && dropLock());
    try {
      await c.connect();
      const { rows } = await c.query("SELECT pg_try_advisory_lock($1::int, $2::int) AS ok", [...LEADER_LOCK_IDS]);
      stats.attempts++;
      if (!rows[0].ok || stopped) {
        await c.end();
        return;
      }
      lockClient = c;
      setLeader(true);
    } catch (e) {
      c.end().catch(() => {});
      log.warn({ err: e }, "aggregator: could not try for leadership");
    }
  }

  async function cycle(): Promise<void> {
    await tryLead();
    if (!leader || stopped) return;
    // Drain until the queue is empty, one transaction a batch.
    const moved = { rows: 0, events: 0 };
    for (;;) {
      const r = await drainOnce({ wait: false });
      if (!r || r.rows === 0) break;
      stats.drains++;
      stats.rows += r.rows;
      stats.events += r.events;
      moved.rows += r.rows;
      moved.events += r.events;
      if (r.rows < DRAIN_BATCH || stopped) break;
    }
    recordJob("rollup_aggregator", true);
    if (moved.rows > 0) for (const fn of drainedListeners) fn(moved);
  }

  const tick = () => {
    running = cycle()
      .catch((e) => {
        stats.errors++;
        recordJob("rollup_aggregator", false);
        log.error({ err: e }, "aggregator: drain failed (retried next cycle; the queue keeps every event)");
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, interval);
      });
  };
  timer = setTimeout(tick, 0);

  return {
    get leader() {
      return leader;
    },
    stats,
    becameLeader: () => (leader ? Promise.resolve() : new Promise<void>((r) => waiters.push(r))),
    onDrained(fn) {
      drainedListeners.add(fn);
      return () => drainedListeners.delete(fn);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      const c = lockClient;
      lockClient = null;
      waiters = [];
      drainedListeners.clear();
      if (c) await c.end().catch(() => {});
    },
  };
}

const store = globalThis as unknown as { __wakeboardAggregator?: Aggregator };

/** The process's aggregator (the server and `next dev` start it once). */
export function ensureAggregator(): Aggregator {
  return (store.__wakeboardAggregator ??= startAggregator());
}

export async function stopAggregator(): Promise<void> {
  const a = store.__wakeboardAggregator;
  store.__wakeboardAggregator = undefined;
  await a?.stop();
}
