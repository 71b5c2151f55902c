import { db } from "@/lib/db/client";

// Sign-in throttling (issue 11, item 4), shared by every instance (rows of sign_in_failures):
//
// - per (account, address): the first PAIR.free attempts go through, then each attempt makes
//   the next wait 1 s, 2 s, 4 s … up to 15 minutes; a right password clears the count. Only
//   the address that failed waits: the owner signing in from anywhere else is never slowed,
//   so a stranger cannot lock anyone out.
// - per address, over all accounts (password spraying): ADDRESS.free failures, then growing
//   waits up to 60 s. A success does not clear it (an attacker with one account of their own
//   would otherwise reset it between guesses); it is forgotten an hour after the last attempt.
//
// Every attempt is counted before the password is checked, in the same statement that tells
// whether it may go on: a burst of parallel guesses cannot all slip in before the first
// failure is written. A waiting attempt is refused without checking the password (else the
// wait would not slow guessing) and is not counted (the wait does not grow while refused).
// The address is the client's as WAKEBOARD_TRUSTED_PROXIES allows (lib/http/client-address.ts).

export interface Policy {
  /** Attempts allowed before waits begin. */
  free: number;
  /** First wait, doubled by each further attempt, capped at maxMs. */
  baseMs: number;
  maxMs: number;
  /** The count is forgotten this long after the last counted attempt. */
  windowMs: number;
}

export const PAIR: Policy = { free: 5, baseMs: 1000, maxMs: 15 * 60_000, windowMs: 60 * 60_000 };
export const ADDRESS: Policy = { free: 20, baseMs: 1000, maxMs: 60_000, windowMs: 60 * 60_000 };

/** The wait after the n-th counted attempt (n ≥ 1). */
export function waitAfter(n: number, p: Policy): number {
  return n < p.free ? 0 : Math.min(p.maxMs, p.baseMs * 2 ** Math.min(30, n - p.free));
}

const pairKey = (email: string, address: string) => `pair:${email}|${address}`;
const addressKey = (address: string) => `addr:${address}`;

/**
 * Counts one attempt on a key, unless it must still wait: the seconds to wait (0 = go on).
 * One statement: refill-free counter with the database's clock, so instances agree.
 */
async function attempt(key: string, p: Policy): Promise<number> {
  const prisma = await db();
  const rows = await prisma.$queryRaw<{ wait_ms: number }[]>`
    WITH t AS (SELECT clock_timestamp() AS now),
    up AS (
      INSERT INTO sign_in_failures AS f (key, failures, last_failure, blocked_until)
      SELECT ${key}, 1, t.now, t.now + make_interval(secs => ${waitAfter(1, p) / 1000}::float8) FROM t
      ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN f.blocked_until > EXCLUDED.last_failure THEN f.failures
                        WHEN f.last_failure < EXCLUDED.last_failure - make_interval(secs => ${p.windowMs / 1000}::float8) THEN 1
                        ELSE f.failures + 1 END,
        blocked_until = CASE WHEN f.blocked_until > EXCLUDED.last_failure THEN f.blocked_until
                        WHEN f.last_failure < EXCLUDED.last_failure - make_interval(secs => ${p.windowMs / 1000}::float8) THEN EXCLUDED.blocked_until
                        ELSE EXCLUDED.last_failure + make_interval(secs => LEAST(${p.maxMs / 1000}::float8,
                          CASE WHEN f.failures + 1 < ${p.free}::int THEN 0 ELSE ${p.baseMs / 1000}::float8 * power(2, LEAST(30, f.failures + 1 - ${p.free}::int)) END)) END,
        last_failure = CASE WHEN f.blocked_until > EXCLUDED.last_failure THEN f.last_failure ELSE EXCLUDED.last_failure END
      RETURNING f.last_failure, f.blocked_until
    )
    SELECT CASE WHEN up.last_failure <> t.now THEN GREATEST(1, CEIL(EXTRACT(epoch FROM up.blocked_until - t.now) * 1000))::float8 ELSE 0 END AS wait_ms
    FROM up, t`;
  return Math.max(0, Math.ceil(Number(rows[0]?.wait_ms ?? 0) / 1000));
}

/**
 * Before checking a password: counts the attempt and answers the seconds to wait (0 = check
 * it now). The address limit is taken first: a refused sprayer does not count against pairs.
 */
export async function beginSignIn(email: string, address: string): Promise<number> {
  const byAddress = await attempt(addressKey(address), ADDRESS);
  if (byAddress > 0) return byAddress;
  return attempt(pairKey(email, address), PAIR);
}

/**
 * A right password: the pair's count is cleared, and the address's loses the attempt that
 * was counted in advance (only failures count against an address: an office behind one
 * address signs in all morning without waiting, and a success never erases failures).
 */
export async function signInSucceeded(email: string, address: string): Promise<void> {
  const prisma = await db();
  await prisma.$executeRaw`DELETE FROM sign_in_failures WHERE key = ${pairKey(email, address)}`;
  const p = ADDRESS;
  await prisma.$executeRaw`
    UPDATE sign_in_failures SET
      failures = GREATEST(0, failures - 1),
      blocked_until = last_failure + make_interval(secs => LEAST(${p.maxMs / 1000}::float8,
        CASE WHEN failures - 1 < ${p.free}::int THEN 0 ELSE ${p.baseMs / 1000}::float8 * power(2, LEAST(30, failures - 1 - ${p.free}::int)) END))
    WHERE key = ${addressKey(address)} AND failures > 0`;
}

/** Rows an hour past their last attempt are forgotten anyway: delete them now and then. */
export async function sweepSignInFailures(): Promise<void> {
  const prisma = await db();
  await prisma.$executeRaw`DELETE FROM sign_in_failures WHERE last_failure < clock_timestamp() - interval '1 hour' AND blocked_until < clock_timestamp()`;
}
