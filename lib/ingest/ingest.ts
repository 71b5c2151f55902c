import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import { config } from "@/lib/config";
import { contentHash, validateEvent, type CanonicalEvent, type FieldError } from "@/lib/ingest/validate";
import { resolveEvents, type KeyScope } from "@/lib/ingest/resolve";
import { textProblem } from "@/lib/text/safe-text";
import { QUEUE_COLUMNS, contribution } from "@/lib/rollups/contribution";
import { countEvents } from "@/lib/metrics/registry";

// The one way in (DESIGN.md §1): native API, OTLP, bulk import and the demo seed all end
// here. validate → resolve team/person/tool → one statement that inserts the events with
// ON CONFLICT DO NOTHING and enqueues what only the rows actually inserted add to the
// rollups (rollup_queue, drained by lib/rollups/aggregator.ts). There is no
// check-then-insert: the unique index on event_id decides.

export type Tx = Prisma.TransactionClient;

export interface Rejection {
  index: number;
  id?: string;
  errors: FieldError[];
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: Rejection[];
  /** How many rejections were for a team outside the key's restriction (all of them → 403). */
  forbidden: number;
  /**
   * What became of each item, parallel to the input (lets a grouped commit split the result).
   * Always set by ingest(); optional so callers may build an empty result themselves.
   */
  outcomes?: Outcome[];
}

export type Outcome = "accepted" | "duplicate" | "rejected" | "forbidden";

export interface IngestOptions {
  /** Where the events came from: "api", "otlp", "import", "seed" … stored on each row. */
  source: string;
  key?: KeyScope | null;
  /**
   * The API key of each item (parallel to `items`), when one call carries several keys' events
   * (group commit spans all keys of a process); an item without one falls back to `key`.
   */
  keys?: readonly (KeyScope | null | undefined)[];
  now?: Date;
  /**
   * Runs inside the transaction, before insert. OTLP uses it to turn cumulative points into
   * increments under a row lock; returning "duplicate" for an event drops it as a duplicate.
   */
  prepare?: (tx: Tx, events: CanonicalEvent[]) => Promise<(CanonicalEvent | "duplicate")[]>;
  /**
   * Identities per item (parallel to `items`) that a source knows besides `user` (OTLP:
   * user.account_uuid, user.id, installation.id). Copied onto the validated event to find the
   * person; they are resolution hints, not content, so they are not in the content hash.
   */
  identities?: readonly ({ kind: string; value: string }[] | undefined)[];
}

export const CONFLICT_MESSAGE = "was already used for an event with different content";

interface Pending {
  index: number;
  event: CanonicalEvent;
  hash: string;
}

export async function ingest(items: readonly unknown[], opts: IngestOptions): Promise<IngestResult> {
  const cfg = config();
  const now = opts.now ?? new Date();
  const keyOf = (index: number): KeyScope | null => opts.keys?.[index] ?? opts.key ?? null;
  const outcomes: Outcome[] = new Array(items.length).fill("rejected");
  const result: IngestResult = { accepted: 0, duplicates: 0, rejected: [], forbidden: 0, outcomes };

  // Validate each event on its own; repeated ids inside the batch follow the replay rule.
  const seen = new Map<string, string>();
  // A repeat of an id in the batch → the index of its first occurrence (it shares that fate).
  const repeatOf = new Map<number, number>();
  const firstIndex = new Map<string, number>();
  let pending: Pending[] = [];
  items.forEach((raw, index) => {
    const v = validateEvent(raw, { now, retentionDays: cfg.WAKEBOARD_RETENTION_DAYS });
    if (!v.ok) return result.rejected.push({ index, id: v.id, errors: v.errors });
    const identities = opts.identities?.[index];
    const badIdentity = identities?.find((i) => textProblem(i.value));
    if (badIdentity) return result.rejected.push({ index, id: v.event.id, errors: [{ path: badIdentity.kind, message: textProblem(badIdentity.value)! }] });
    if (identities?.length) v.event.identities = identities;
    const prior = seen.get(v.event.id);
    if (prior === undefined) {
      seen.set(v.event.id, v.hash);
      firstIndex.set(v.event.id, index);
      pending.push({ index, event: v.event, hash: v.hash });
    } else if (prior === v.hash) {
      result.duplicates++;
      outcomes[index] = "duplicate";
      repeatOf.set(index, firstIndex.get(v.event.id)!);
    } else result.rejected.push({ index, id: v.event.id, errors: [{ path: "id", message: CONFLICT_MESSAGE }] });
  });
  if (pending.length === 0) return finish(result, repeatOf, opts.source);

  // Events refused as conflicts inside a transaction, which was then rolled back and run
  // again without them: nothing a refused event names (its tool, team, identity, the state of
  // its cumulative series) may stay written.
  const refusedInTx = new Set<number>();

  /**
   * Resolves and stores `pending` through `tx`; answers false, having changed nothing, when
   * `readOnly` and something must be created first (a tool, a team, an identity).
   */
  const store = async (tx: Tx, readOnly: boolean): Promise<boolean> => {
    // Refusals first (team outside the key, unknown team when strict), from what exists:
    // a refused event creates nothing and never reaches `prepare` (cumulative series).
    const candidates = pending.filter((p) => !refusedInTx.has(p.index));
    const resolved = await resolveEvents(tx, candidates.map((p) => p.event), { keys: candidates.map((p) => keyOf(p.index)), strictTeams: cfg.WAKEBOARD_STRICT_TEAMS, readOnly });
    if (!resolved) return false;
    for (const p of pending) if (refusedInTx.has(p.index)) result.rejected.push({ index: p.index, id: p.event.id, errors: [{ path: "id", message: CONFLICT_MESSAGE }] });
    let rows: (Pending & { teamId: number; personId: number | null; toolId: number; apiKeyId: number | null })[] = [];
    candidates.forEach((p, i) => {
      const r = resolved[i];
      if ("error" in r) {
        if (r.forbidden) {
          result.forbidden++;
          outcomes[p.index] = "forbidden";
        }
        result.rejected.push({ index: p.index, id: p.event.id, errors: [r.error] });
      } else rows.push({ ...p, ...r, apiKeyId: keyOf(p.index)?.id ?? null });
    });
    if (opts.prepare && rows.length) {
      const prepared = await opts.prepare(tx, rows.map((r) => r.event));
      rows = rows.flatMap((r, i) => {
        const e = prepared[i];
        if (e === "duplicate") {
          result.duplicates++;
          outcomes[r.index] = "duplicate";
          return [];
        }
        return [{ ...r, event: e, hash: e === r.event ? r.hash : contentHash(e) }];
      });
    }
    if (rows.length === 0) return true;

    const { inserted, prior } = await insertEvents(tx, rows, opts.source, now, cfg.WAKEBOARD_TZ);
    result.accepted += inserted.size;
    for (const r of rows) if (inserted.has(r.event.id)) outcomes[r.index] = "accepted";
    const notInserted = rows.filter((r) => !inserted.has(r.event.id));
    if (notInserted.length) {
      // An id that a concurrent transaction committed while the insert ran is in neither
      // set: only then is the stored hash read again, in a statement that sees it. (Without
      // an interactive transaction, a database lost between these two statements answers 503
      // after the insert committed; the retry then counts those events as duplicates.)
      const hashes = prior;
      const racing = notInserted.filter((r) => !prior.has(r.event.id)).map((r) => r.event.id);
      if (racing.length) {
        const existing = await tx.$queryRaw<{ event_id: string; content_hash: string }[]>`
          SELECT event_id, content_hash FROM usage_events WHERE event_id = ANY(${racing}::text[])`;
        for (const x of existing) hashes.set(x.event_id, x.content_hash);
      }
      const conflicts = notInserted.filter((r) => hashes.get(r.event.id) !== r.hash);
      // In a transaction, a conflict may have created what it named or moved a series:
      // roll back and run again without it.
      if (!readOnly && conflicts.length) {
        for (const r of conflicts) refusedInTx.add(r.index);
        throw new RedoWithoutRefused();
      }
      for (const r of notInserted) {
        if (!conflicts.includes(r)) {
          result.duplicates++;
          outcomes[r.index] = "duplicate";
        } else result.rejected.push({ index: r.index, id: r.event.id, errors: [{ path: "id", message: CONFLICT_MESSAGE }] });
      }
    }
    return true;
  };

  const prisma = await db();
  // A deadlock or serialization failure rolls the whole transaction back, so running it
  // again is safe; the state it changed in `result` is restored first.
  const before = { pending, duplicates: result.duplicates, rejected: result.rejected.length, outcomes: [...outcomes] };
  for (let attempt = 1; ; attempt++) {
    try {
      // The common case needs no transaction of its own: when every tool, team and person
      // is known, resolution only reads, and all writing is the one insert statement, which
      // is atomic by itself (2–3 round trips instead of 6–7). Otherwise — something to
      // create first, or a `prepare` step that locks rows — everything runs in one
      // interactive transaction.
      const done = !opts.prepare && (await store(prisma, true));
      if (!done) await prisma.$transaction((tx) => store(tx, false), { timeout: 60_000, maxWait: 10_000 });
      break;
    } catch (e) {
      // Each redo refuses at least one more event, so this ends.
      if (e instanceof RedoWithoutRefused) attempt--;
      else if (attempt >= 3 || !isRetryable(e)) throw e;
      pending = before.pending;
      Object.assign(result, { accepted: 0, duplicates: before.duplicates, forbidden: 0 });
      result.rejected.length = before.rejected;
      before.outcomes.forEach((o, i) => (outcomes[i] = o));
    }
  }
  return finish(result, repeatOf, opts.source);
}

class RedoWithoutRefused extends Error {}

function isRetryable(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== "object" || depth > 5) return false;
  const x = e as { code?: unknown; message?: unknown; cause?: unknown };
  if (x.code === "40P01" || x.code === "40001" || x.code === "P2034") return true;
  if (typeof x.message === "string" && /deadlock detected|could not serialize access/i.test(x.message)) return true;
  return isRetryable(x.cause, depth + 1);
}

/** Sorts rejections; a repeated id whose first occurrence was rejected is rejected alike. */
function finish(result: IngestResult, repeatOf: Map<number, number>, source: string): IngestResult {
  const outcomes = result.outcomes!;
  for (const [index, first] of repeatOf) {
    if (outcomes[first] !== "rejected" && outcomes[first] !== "forbidden") continue;
    const original = result.rejected.find((r) => r.index === first);
    outcomes[index] = outcomes[first];
    result.duplicates--;
    if (outcomes[first] === "forbidden") result.forbidden++;
    result.rejected.push({ index, id: original?.id, errors: original?.errors ?? [] });
  }
  result.rejected.sort((a, b) => a.index - b.index);
  countEvents(source, outcomes);
  return result;
}

/**
 * Who the event said it was from, kept on the row so `rollups rebuild --reattribute` can
 * link it once an admin maps that id: the `user`, else the most specific OTLP identity.
 */
const userRef = (e: CanonicalEvent) => e.user ?? e.identities?.[0]?.value ?? null;

const big = (n: number | undefined) => (n === undefined ? null : String(n));

/**
 * For a connector revision (lib/connectors/store-day.ts): the changed events (`from`, a CTE
 * with usage_events' columns) summed per rollup key as `agg` for rollupUpserts(); `sign` −1
 * takes rows away. Both are the one definition in lib/rollups.
 */
export function rollupRowsOf(from: Prisma.Sql, tz: string, sign: 1 | -1): Prisma.Sql {
  return contribution(Prisma.sql`${from} e`, tz, Prisma.sql`true`, sign);
}
export { rollupUpserts } from "@/lib/rollups/drain";

/**
 * Inserts set-wise (one statement for the whole batch) and, in the same statement, enqueues
 * what the rows really inserted add to the rollups. No rollup row is written here, so
 * concurrent requests share no hot row.
 */
async function insertEvents(
  tx: Tx,
  rows: { event: CanonicalEvent; hash: string; teamId: number; personId: number | null; toolId: number; apiKeyId: number | null }[],
  source: string,
  now: Date,
  tz: string,
): Promise<{ inserted: Set<string>; prior: Map<string, string> }> {
  // Unique-index entries are locked in input order: sorting by event_id gives overlapping
  // concurrent batches one lock order, so they wait for each other instead of deadlocking.
  rows = [...rows].sort((x, y) => (x.event.id < y.event.id ? -1 : x.event.id > y.event.id ? 1 : 0));
  const e = rows.map((r) => r.event);
  const answer = await tx.$queryRaw<{ event_id: string; prior_hash: string | null }[]>`
    WITH input AS (
      SELECT * FROM unnest(
        ${e.map((x) => x.id)}::text[], ${rows.map((r) => r.hash)}::text[], ${e.map((x) => x.occurredAt.toISOString())}::timestamptz[],
        ${rows.map((r) => r.teamId)}::int[], ${rows.map((r) => r.personId)}::int[], ${rows.map((r) => r.toolId)}::int[],
        ${e.map((x) => x.model ?? "")}::text[], ${e.map((x) => x.session_id ?? null)}::text[],
        ${e.map((x) => String(x.invocations))}::bigint[], ${e.map((x) => String(x.input_tokens))}::bigint[],
        ${e.map((x) => String(x.output_tokens))}::bigint[], ${e.map((x) => String(x.cache_read_tokens))}::bigint[],
        ${e.map((x) => String(x.cache_write_tokens))}::bigint[], ${e.map((x) => (x.cost_usd === undefined ? null : String(x.cost_usd)))}::numeric[],
        ${e.map((x) => big(x.lines_added))}::bigint[], ${e.map((x) => big(x.lines_removed))}::bigint[],
        ${e.map((x) => big(x.commits))}::bigint[], ${e.map((x) => big(x.pull_requests))}::bigint[],
        ${e.map(userRef)}::text[], ${e.map((x) => (x.attributes ? JSON.stringify(x.attributes) : null))}::jsonb[],
        ${rows.map((r) => r.apiKeyId)}::int[]
      ) AS t(event_id, content_hash, occurred_at, team_id, person_id, tool_id, model, session_id, invocations,
             input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd,
             lines_added, lines_removed, commits, pull_requests, user_ref, attributes, api_key_id)
    ),
    ins AS (
      INSERT INTO usage_events (event_id, content_hash, occurred_at, received_at, team_id, person_id, tool_id, model,
        session_id, invocations, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd,
        lines_added, lines_removed, commits, pull_requests, source, api_key_id, user_ref, attributes)
      SELECT event_id, content_hash, occurred_at, ${now}, team_id, person_id, tool_id, model,
        session_id, invocations, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd,
        lines_added, lines_removed, commits, pull_requests, ${source}, api_key_id, user_ref, attributes
      FROM input
      ON CONFLICT (event_id) DO NOTHING
      RETURNING event_id, occurred_at, team_id, person_id, tool_id, model, invocations, input_tokens, output_tokens,
        cache_read_tokens, cache_write_tokens, cost_usd, lines_added, lines_removed, commits, pull_requests
    ),
    -- What the inserted rows add to the rollups, queued in this same statement: a 200 means
    -- stored and enqueued; the aggregator (lib/rollups/aggregator.ts) adds it to every rollup.
    queued AS (
      INSERT INTO rollup_queue (${QUEUE_COLUMNS})
      ${contribution(Prisma.sql`ins e`, tz)}
      RETURNING 1
    ),
    -- Events stored before this statement began, with their content hashes (the snapshot
    -- does not see what ins adds): tells a replay from a conflict without another query.
    prior AS (
      SELECT u.event_id, u.content_hash FROM usage_events u WHERE u.event_id = ANY(${e.map((x) => x.id)}::text[])
    )
    SELECT event_id, NULL::text AS prior_hash FROM ins
    UNION ALL SELECT event_id, content_hash FROM prior`;
  const inserted = new Set<string>();
  const prior = new Map<string, string>();
  for (const r of answer) {
    if (r.prior_hash === null) inserted.add(r.event_id);
    else prior.set(r.event_id, r.prior_hash);
  }
  return { inserted, prior };
}
