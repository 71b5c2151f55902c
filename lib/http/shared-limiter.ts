import { Prisma } from "@/lib/generated/prisma/client";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { RateLimiter } from "@/lib/http/rate-limit";

// Token buckets shared by every instance on one database (issue 10 "state that N instances
// share", issue 11): the per-key ingest limit and the read/export limits.
//
// The bucket lives in rate_limit_buckets; one SQL statement refills it from the database's
// clock, takes up to `batch` tokens and answers how many it gave (a lease). A process spends
// its leased tokens locally, so a busy key costs one round trip per `batch` requests, not one
// per request (batch = rate/10, at most burst/4: 20 tokens for the default 200:400, i.e. at
// most 10 leases per second per key at full rate, whatever the number of requests).
//
// What holds: a leased token has left the shared bucket, so the sum of requests let through
// by all instances never exceeds burst + rate × t. The slack is the other way: tokens leased
// and not yet used sit in one process (fewer than `batch` per key and instance) and are
// dropped after LEASE_MS, so another instance may be refused while up to
// instances × (batch − 1) tokens are parked. When the bucket is empty the process remembers
// until when and refuses locally, without asking the database again.
//
// On the embedded database (one process only) the buckets stay in memory: same answers.

export interface LimitDecision {
  /** 0 when let through, else seconds to wait (Retry-After). */
  retryAfter: number;
  /** X-RateLimit-Limit/Remaining/Reset (Reset: seconds until the bucket is full again). */
  headers: Record<string, string>;
}

interface Local {
  tokens: number;
  leasedAt: number;
  /** The shared bucket's level just after the last lease, and when (local clock). */
  shared: number;
  sharedAt: number;
  emptyUntil: number;
  inflight?: Promise<void>;
}

export const LEASE_MS = 1000;

export function leaseBatch(rate: number, burst: number): number {
  return Math.max(1, Math.min(Math.ceil(rate / 10), Math.floor(burst / 4)));
}

function headersFor(burst: number, rate: number, remaining: number): Record<string, string> {
  const left = Math.max(0, Math.min(burst, Math.floor(remaining)));
  return {
    "x-ratelimit-limit": String(burst),
    "x-ratelimit-remaining": String(left),
    "x-ratelimit-reset": String(Math.ceil((burst - left) / rate)),
  };
}

/** One lease from the shared bucket in one statement: how many tokens it gave, and what is left. */
async function lease(key: string, rate: number, burst: number, want: number, at?: Date): Promise<{ granted: number; tokens: number }> {
  const prisma = await db();
  const now = at ? Prisma.sql`${at.toISOString()}::timestamptz` : Prisma.sql`clock_timestamp()`;
  const rows = await prisma.$queryRaw<{ granted: number; tokens: number }[]>`
    INSERT INTO rate_limit_buckets AS b (key, tokens, granted, updated_at)
    VALUES (${key}, ${burst}::float8 - LEAST(${want}::int, floor(${burst}::float8)), LEAST(${want}::int, floor(${burst}::float8))::int, ${now})
    ON CONFLICT (key) DO UPDATE SET
      granted = LEAST(${want}::int, floor(LEAST(${burst}::float8, b.tokens + GREATEST(0, extract(epoch FROM EXCLUDED.updated_at - b.updated_at)) * ${rate}::float8)))::int,
      tokens = LEAST(${burst}::float8, b.tokens + GREATEST(0, extract(epoch FROM EXCLUDED.updated_at - b.updated_at)) * ${rate}::float8)
        - LEAST(${want}::int, floor(LEAST(${burst}::float8, b.tokens + GREATEST(0, extract(epoch FROM EXCLUDED.updated_at - b.updated_at)) * ${rate}::float8))),
      updated_at = GREATEST(b.updated_at, EXCLUDED.updated_at)
    RETURNING granted, tokens`;
  return { granted: Number(rows[0].granted), tokens: Number(rows[0].tokens) };
}

export class SharedLimiter {
  private locals = new Map<string, Local>();
  private memory = new RateLimiter(1, 1);
  private lastSweep = 0;

  constructor(private readonly opts: { shared?: boolean } = {}) {}

  private shared(): boolean {
    return this.opts.shared ?? !config().embedded;
  }

  /**
   * Takes one token from `key`'s bucket (rate per second, burst). `now` lets tests drive
   * the clock; it is also sent to the database as the bucket's time.
   */
  async take(key: string, rate: number, burst: number, now?: number): Promise<LimitDecision> {
    if (!this.shared()) return this.takeInMemory(key, rate, burst, now ?? Date.now());
    for (let attempt = 0; ; attempt++) {
      const t = now ?? Date.now();
      let l = this.locals.get(key);
      if (l && l.tokens >= 1 && t - l.leasedAt < LEASE_MS) {
        l.tokens -= 1;
        return { retryAfter: 0, headers: headersFor(burst, rate, l.tokens + l.shared + ((t - l.sharedAt) / 1000) * rate) };
      }
      if (l && t < l.emptyUntil) {
        return { retryAfter: Math.max(1, Math.ceil((l.emptyUntil - t) / 1000)), headers: headersFor(burst, rate, 0) };
      }
      if (l?.inflight && attempt < 3) {
        await l.inflight;
        continue;
      }
      if (!l) this.locals.set(key, (l = { tokens: 0, leasedAt: 0, shared: burst, sharedAt: t, emptyUntil: 0 }));
      const entry = l;
      const want = leaseBatch(rate, burst);
      const q: Promise<void> = lease(key, rate, burst, want, now === undefined ? undefined : new Date(now))
        .then(({ granted, tokens }) => {
          const at = now ?? Date.now();
          entry.tokens = granted;
          entry.leasedAt = at;
          entry.shared = tokens;
          entry.sharedAt = at;
          entry.emptyUntil = granted === 0 ? at + ((1 - tokens) / rate) * 1000 : 0;
        })
        .finally(() => {
          if (entry.inflight === q) entry.inflight = undefined;
        });
      entry.inflight = q;
      if (now === undefined) this.sweep(t); // (a test's clock is not the database's)
      await q;
      // Loop: take from the fresh lease (or refuse from emptyUntil).
      if (attempt >= 5) {
        return { retryAfter: 1, headers: headersFor(burst, rate, 0) };
      }
    }
  }

  private takeInMemory(key: string, rate: number, burst: number, now: number): LimitDecision {
    const wait = this.memory.take(key, now, rate, burst);
    return { retryAfter: wait, headers: headersFor(burst, rate, wait > 0 ? 0 : this.memory.level(key)) };
  }

  private sweep(now: number) {
    if (this.locals.size > 100_000) for (const [k, l] of this.locals) if (!l.inflight && now - l.leasedAt > 60_000 && now > l.emptyUntil) this.locals.delete(k);
    if (now - this.lastSweep < 10 * 60_000) return;
    this.lastSweep = now;
    // Buckets idle for an hour are full again: dropping their rows changes nothing.
    void db()
      .then((prisma) => prisma.$executeRaw`DELETE FROM rate_limit_buckets WHERE updated_at < clock_timestamp() - interval '1 hour'`)
      .catch(() => undefined);
  }
}
