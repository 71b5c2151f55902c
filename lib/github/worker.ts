import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/http/errors";
import { log } from "@/lib/log";
import { loadRules } from "@/lib/github/rules";
import { processDelivery } from "@/lib/github/process-delivery";
import { recordJob } from "@/lib/metrics/registry";

// Drains recorded deliveries in the order they arrived, one transaction each: claim the
// oldest pending row, process it, mark it — all or nothing, so a crash leaves it pending
// and the next start (or the next poll) processes it. A transaction-scoped advisory lock
// makes one drainer at a time work across every process on the database, so rollup keys
// are recomputed by one writer. A delivery that fails three times is marked "failed".

const LOCK_KEY = 0x67_68_31_36; // "gh16"
const MAX_ATTEMPTS = 3;

export interface DrainResult {
  processed: number;
  ignored: number;
  failed: number;
}

/** Serialises writers of GitHub facts and their rollup keys (the worker, the import) across processes. */
export async function withGithubLock(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK_KEY})`;
}

/** Processes pending deliveries until none is left (or `limit` is reached). */
export async function drainDeliveries(limit = Infinity): Promise<DrainResult> {
  const prisma = await db();
  const rules = loadRules();
  const result: DrainResult = { processed: 0, ignored: 0, failed: 0 };
  for (let n = 0; n < limit; n++) {
    let claimed: string | null = null;
    try {
      const outcome = await prisma.$transaction(
        async (tx) => {
          await withGithubLock(tx);
          const [d] = await tx.$queryRaw<{ id: string; event: string; payload: unknown }[]>`
            SELECT id, event, payload FROM github_deliveries WHERE status = 'pending' ORDER BY received_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`;
          if (!d) return null;
          claimed = d.id;
          const o = await processDelivery(tx, rules, d.event, d.payload);
          await tx.$executeRaw`
            UPDATE github_deliveries SET status = ${o.status}, summary = ${o.summary}, error = NULL, attempts = attempts + 1, processed_at = now() WHERE id = ${d.id}`;
          return o;
        },
        { timeout: 120_000, maxWait: 30_000 },
      );
      if (!outcome) break;
      result[outcome.status]++;
    } catch (e) {
      if (!claimed || isDatabaseUnavailable(e)) throw e;
      log.error({ err: e, delivery: claimed }, "github delivery failed");
      const message = ((e as Error).message ?? String(e)).slice(0, 500);
      await prisma.$executeRaw`
        UPDATE github_deliveries SET attempts = attempts + 1, error = ${message},
          status = CASE WHEN attempts + 1 >= ${MAX_ATTEMPTS} THEN 'failed' ELSE 'pending' END
        WHERE id = ${claimed}`;
      result.failed++;
    }
  }
  return result;
}

const state = globalThis as unknown as { __wakeboardGithubDrain?: { running: Promise<void> | null; again: boolean } };

/**
 * Asks this process to drain soon, without waiting. Kicks while a drain runs are folded
 * into one more pass, so a delivery recorded during a drain is never left behind.
 */
export function kickGithubWorker(): void {
  const s = (state.__wakeboardGithubDrain ??= { running: null, again: false });
  if (s.running) {
    s.again = true;
    return;
  }
  s.running = (async () => {
    await new Promise((r) => setImmediate(r));
    try {
      do {
        s.again = false;
        await drainDeliveries().then(
          (r) => recordJob("github_deliveries", r.failed === 0),
          (e) => {
            recordJob("github_deliveries", false);
            log.warn({ err: (e as Error).message }, "github deliveries: drain stopped; retried on the next poll");
          },
        );
      } while (s.again);
    } finally {
      s.running = null;
    }
  })();
}

/** Resolves when this process's drain, if one runs, has finished. */
export async function githubWorkerIdle(): Promise<void> {
  await state.__wakeboardGithubDrain?.running;
}

/** The server's poll: drains what a crash or an outage left pending, every `everyMs`. */
export function startGithubWorker(everyMs = 5000): { stop(): Promise<void> } {
  loadRules(); // a bad WAKEBOARD_GITHUB_RULES file stops the start, with its reason
  kickGithubWorker();
  const timer = setInterval(kickGithubWorker, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await githubWorkerIdle();
    },
  };
}
