import { isDatabaseBusy, isDatabaseUnavailable } from "@/lib/http/errors";
import { ingest, type IngestResult, type Outcome } from "@/lib/ingest/ingest";
import type { KeyScope } from "@/lib/ingest/resolve";
import { log } from "@/lib/log";

// Group commit: requests that arrive while a transaction is running wait and are then
// ingested together, as one batch in one statement — whatever API key each came with (the
// key travels with each request's events: ingest()'s `keys`). Each caller gets only its own
// part of the result, and only after that transaction committed, so an answer still means
// "stored" (or, on error, "nothing of yours was written"). Under load, 64 single-event
// requests of many keys become one insert of 64 rows instead of 64 transactions; when idle
// a request goes straight through without waiting.
//
// Isolation: one client's event never fails another client's request. When a shared
// transaction fails for anything but an unavailable or overloaded database (a value the
// database refuses, a bug), each request of the group is run again on its own, so only the
// offender gets the error.

const MAX_GROUP_EVENTS = 1000;
/** Transactions in flight per source: two let one group fill while the other commits. */
const MAX_IN_FLIGHT = 2;

interface Waiter {
  items: readonly unknown[];
  key: KeyScope | null;
  resolve: (r: IngestResult) => void;
  reject: (e: unknown) => void;
}

interface Group {
  queue: Waiter[];
  inFlight: number;
}

export interface GroupOptions {
  source: string;
  key?: KeyScope | null;
}

const store = globalThis as unknown as { __wakeboardGroups?: Map<string, Group> };
const groups = (store.__wakeboardGroups ??= new Map());

/** ingest() for one request, possibly sharing a transaction with concurrent requests of any key. */
export function ingestGrouped(items: readonly unknown[], opts: GroupOptions): Promise<IngestResult> {
  let group = groups.get(opts.source);
  if (!group) groups.set(opts.source, (group = { queue: [], inFlight: 0 }));
  const g = group;
  return new Promise<IngestResult>((resolve, reject) => {
    g.queue.push({ items, key: opts.key ?? null, resolve, reject });
    if (g.inFlight < MAX_IN_FLIGHT) void flush(opts.source, g);
  });
}

async function flush(source: string, g: Group): Promise<void> {
  g.inFlight++;
  try {
    while (g.queue.length) {
      const take: Waiter[] = [];
      const ids = new Map<unknown, KeyScope | null>();
      let size = 0;
      while (g.queue.length && (take.length === 0 || (size + g.queue[0].items.length <= MAX_GROUP_EVENTS && !collides(g.queue[0], ids)))) {
        const w = g.queue.shift()!;
        take.push(w);
        size += w.items.length;
        for (const item of w.items) ids.set(idOf(item), w.key);
      }
      await run(take, source);
    }
  } finally {
    g.inFlight--;
    if (g.inFlight === 0 && g.queue.length === 0) groups.delete(source);
  }
}

const idOf = (item: unknown) => (item && typeof item === "object" ? (item as { id?: unknown }).id : undefined);

/**
 * Whether a request carries an id that another key's request in the group already has: it
 * waits for the next group, so the two meet as they would in transactions of their own
 * (ingest() treats a repeated id in one batch as one client's replay).
 */
function collides(w: Waiter, ids: Map<unknown, KeyScope | null>): boolean {
  return w.items.some((item) => {
    const id = idOf(item);
    return id !== undefined && ids.has(id) && ids.get(id) !== w.key;
  });
}

const alone = (w: Waiter, source: string) => ingest(w.items, { source, key: w.key }).then(w.resolve, w.reject);

async function run(take: Waiter[], source: string): Promise<void> {
  if (take.length === 1) return alone(take[0], source);
  let result: IngestResult;
  try {
    result = await ingest(
      take.flatMap((w) => w.items),
      { source, keys: take.flatMap((w) => w.items.map(() => w.key)) },
    );
  } catch (e) {
    // Nobody's request can succeed now: everyone gets the 503.
    if (isDatabaseUnavailable(e) || isDatabaseBusy(e)) {
      for (const w of take) w.reject(e);
      return;
    }
    log.warn({ err: (e as Error).message, requests: take.length }, "group commit failed; ingesting its requests one by one");
    await Promise.all(take.map((w) => alone(w, source)));
    return;
  }
  let offset = 0;
  for (const w of take) {
    w.resolve(slice(result, offset, w.items.length));
    offset += w.items.length;
  }
}

/** One caller's part of a grouped result, with indexes renumbered from 0. */
function slice(result: IngestResult, offset: number, length: number): IngestResult {
  const outcomes: Outcome[] = result.outcomes!.slice(offset, offset + length);
  const count = (o: Outcome) => outcomes.filter((x) => x === o).length;
  return {
    accepted: count("accepted"),
    duplicates: count("duplicate"),
    forbidden: count("forbidden"),
    rejected: result.rejected.filter((r) => r.index >= offset && r.index < offset + length).map((r) => ({ ...r, index: r.index - offset })),
    outcomes,
  };
}
