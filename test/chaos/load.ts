// Bounded load with known ids: each client sends its batches in order and retries a batch
// until it is acknowledged (200), as a well-behaved exporter does — through 503s, refused
// connections and a restarting server. What was acknowledged is recorded, with the answers
// seen on the way.

export interface LoadStats {
  acked: Map<string, number>; // event id → input_tokens sent
  statuses: Map<number | string, number>;
  retryAfterOn503: boolean[];
  batchesDone: number;
  /** Resolved when batchesDone reaches their count. */
  waiters: { n: number; resolve: () => void }[];
}

export const tokensOf = (client: number, batch: number, i: number) => 1 + ((client * 7919 + batch * 104729 + i * 31) % 997);

export function newStats(): LoadStats {
  return { acked: new Map(), statuses: new Map(), retryAfterOn503: [], batchesDone: 0, waiters: [] };
}

/** Resolves once `n` batches (over all clients) have been acknowledged. */
export function afterBatches(stats: LoadStats, n: number): Promise<void> {
  if (stats.batchesDone >= n) return Promise.resolve();
  return new Promise((resolve) => stats.waiters.push({ n, resolve }));
}

export async function runClient(opts: { client: number; batches: number; size: number; key: string; urls: () => string[]; stats: LoadStats; prefix: string; onBatch?: () => void }): Promise<void> {
  const { client, batches, size, key, stats } = opts;
  for (let b = 0; b < batches; b++) {
    const events = Array.from({ length: size }, (_, i) => ({
      id: `${opts.prefix}-c${client}-b${b}-${i}`,
      timestamp: new Date(Date.now() - 3_600_000).toISOString(),
      tool: "claude-code",
      team: `team-${client % 3}`,
      input_tokens: tokensOf(client, b, i),
    }));
    for (let attempt = 0; ; attempt++) {
      const urls = opts.urls();
      const url = urls[(b + attempt) % urls.length];
      let status: number | string;
      let text = "";
      try {
        const res = await fetch(`${url}/api/v1/events`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify({ events }), signal: AbortSignal.timeout(30_000) });
        status = res.status;
        text = await res.text();
        let body: { accepted?: number; duplicates?: number; rejected?: unknown[] } | null = null;
        try {
          body = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        if (status === 503) stats.retryAfterOn503.push(/^\d+$/.test(res.headers.get("retry-after") ?? ""));
        if (status === 200) {
          if (!body || (body.rejected?.length ?? 0) > 0 || (body.accepted ?? 0) + (body.duplicates ?? 0) !== size) throw new Error(`unexpected 200 answer: ${JSON.stringify(body)}`);
          for (const e of events) stats.acked.set(e.id, e.input_tokens);
        }
      } catch (e) {
        if ((e as Error).message.startsWith("unexpected 200")) throw e;
        status = "connection";
      }
      stats.statuses.set(status, (stats.statuses.get(status) ?? 0) + 1);
      if (status === 200) break;
      if (status !== 503 && status !== 429 && status !== "connection") throw new Error(`client ${client}: answer ${status} is not retryable: ${text.slice(0, 500)}`);
      // An exporter's backoff (not a synchronisation of the test).
      await new Promise((r) => setTimeout(r, 50 + Math.min(attempt, 10) * 30));
    }
    stats.batchesDone++;
    for (const w of stats.waiters.filter((x) => x.n <= stats.batchesDone)) w.resolve();
    stats.waiters = stats.waiters.filter((x) => x.n > stats.batchesDone);
    opts.onBatch?.();
  }
}
