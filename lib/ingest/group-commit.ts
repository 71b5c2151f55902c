import { ingest, type IngestResult, type Outcome } from "@/lib/ingest/ingest";
import type { KeyScope } from "@/lib/ingest/resolve";

// Group commit: requests that arrive while a transaction of the same key is running wait
// and are then ingested together, as one batch in one transaction. Each caller gets only
// its own part of the result, and only after that transaction committed, so an answer
// still means "stored" (or, on error, "nothing of yours was written"). Under load, 32
// single-event requests become one insert of 32 rows instead of 32 transactions; when
// idle a request goes straight through without waiting.

const MAX_GROUP_EVENTS = 1000;
/** Transactions in flight per key: two let one group fill while the other commits. */
const MAX_IN_FLIGHT = 2;

interface Waiter {
  items: readonly unknown[];
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

/** ingest() for one request, possibly sharing a transaction with concurrent requests of the same key. */
export function ingestGrouped(items: readonly unknown[], opts: GroupOptions): Promise<IngestResult> {
  const id = `${opts.source}\u0000${opts.key?.id ?? ""}\u0000${opts.key?.teamId ?? ""}`;
  let group = groups.get(id);
  if (!group) groups.set(id, (group = { queue: [], inFlight: 0 }));
  const g = group;
  return new Promise<IngestResult>((resolve, reject) => {
    g.queue.push({ items, resolve, reject });
    if (g.inFlight < MAX_IN_FLIGHT) void flush(id, g, opts);
  });
}

async function flush(id: string, g: Group, opts: GroupOptions): Promise<void> {
  g.inFlight++;
  try {
    while (g.queue.length) {
      const take: Waiter[] = [];
      let size = 0;
      while (g.queue.length && (take.length === 0 || size + g.queue[0].items.length <= MAX_GROUP_EVENTS)) {
        const w = g.queue.shift()!;
        take.push(w);
        size += w.items.length;
      }
      await run(take, opts);
    }
  } finally {
    g.inFlight--;
    if (g.inFlight === 0 && g.queue.length === 0) groups.delete(id);
  }
}

async function run(take: Waiter[], opts: GroupOptions): Promise<void> {
  if (take.length === 1) {
    const [w] = take;
    await ingest(w.items, { source: opts.source, key: opts.key }).then(w.resolve, w.reject);
    return;
  }
  let result: IngestResult;
  try {
    result = await ingest(
      take.flatMap((w) => w.items),
      { source: opts.source, key: opts.key },
    );
  } catch (e) {
    for (const w of take) w.reject(e);
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
