import { createHash } from "node:crypto";
import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import { config } from "@/lib/config";
import { ingest, rollupRowsOf, rollupUpserts, type Rejection, type Tx } from "@/lib/ingest/ingest";
import type { CanonicalEvent } from "@/lib/ingest/validate";
import { activeUsage } from "@/lib/rules/active-person";
import { DRAIN_LOCK } from "@/lib/rollups/drain";
import type { EventInput } from "@/lib/ingest/event-schema";
import type { Vendor, VendorRecord } from "@/lib/connectors/types";

// Stores one vendor day through the one ingest() path, with the connector rule for revisions:
// a vendor record (one person's day) is stored with its content hash and the ids of its
// events. When a later pull of that day gives the same hash, nothing is written; when it
// differs, the old events are deleted — their counters taken out of every rollup by the same
// upserts with a negative sign — and the new ones inserted, all in one transaction with the
// connector's cursor. So every rollup moves by exactly the difference, and a run killed at any
// point leaves either the old day or the new one. (The native API's idempotency contract is
// untouched: only events whose source is "connector:<vendor>" are ever replaced.)
//
// One source per tool and person: a record is skipped (and any earlier connector version of
// it removed) when the same person already has events of that tool on that UTC day from
// another path (OTLP, the native API, an import) — those were there first and stay.

export interface DayOutcome {
  day: string;
  records: number;
  unchanged: number;
  revised: number;
  added: number;
  removed: number;
  otherSource: number;
  eventsStored: number;
  rejected: Rejection[];
}

const sha = (s: string) => createHash("sha256").update(s).digest("base64url");

/** The event id of one part of one record: stable across pulls, ≤ 128 characters. */
export function connectorEventId(vendor: string, scope: string, day: string, userKey: string, part: string): string {
  return `${vendor}:${day}:${sha(`${scope}\u0000${userKey}\u0000${part}`).slice(0, 24)}`;
}

export const recordKeyOf = (vendor: string, scope: string, day: string, userKey: string) => `${vendor}|${scope}|${day}|${userKey}`;

/** Vendor days are UTC days; events sit at noon UTC so any WAKEBOARD_TZ from −12 to +11 keeps the date. */
export const dayTimestamp = (day: string) => `${day}T12:00:00Z`;

interface Built {
  key: string;
  hash: string;
  record: VendorRecord;
  events: EventInput[];
}

function build(vendor: Vendor, scope: string, day: string, records: VendorRecord[]): Built[] {
  return records.map((record) => {
    const events: EventInput[] = record.events.map((d) => {
      // Acceptance counters wait for their columns (see docs/connectors.md); the rest is native.
      const { part, suggestions_shown: _s, suggestions_accepted: _a, tool_accepted: _ta, tool_rejected: _tr, ...fields } = d;
      return {
        id: connectorEventId(vendor.slug, scope, day, record.userKey, part),
        timestamp: dayTimestamp(day),
        tool: vendor.tool,
        ...(record.email ? { user: record.email } : {}),
        ...fields,
        model: fields.model || undefined,
      };
    });
    const hash = sha(JSON.stringify({ email: record.email ?? null, identities: record.identities, events }));
    return { key: recordKeyOf(vendor.slug, scope, day, record.userKey), hash, record, events };
  });
}

/** Deletes connector events and takes them out of every rollup; answers the keys it touched. */
async function removeEvents(tx: Tx, ids: string[], tz: string): Promise<{ day: string; team_id: number; person_id: number; tool_id: number }[]> {
  if (!ids.length) return [];
  // Rollup rows are otherwise written by the aggregator's drains and rebuild months only: wait
  // for the one in progress, so this write never interleaves with them.
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(${DRAIN_LOCK})::text`;
  return tx.$queryRaw`
    WITH gone AS (
      DELETE FROM usage_events WHERE event_id = ANY(${ids}::text[]) AND source LIKE 'connector:%'
      RETURNING occurred_at, team_id, person_id, tool_id, model, invocations, input_tokens, output_tokens,
        cache_read_tokens, cache_write_tokens, cost_usd, lines_added, lines_removed, commits, pull_requests
    ),
    agg AS (${rollupRowsOf(Prisma.sql`gone`, tz, -1)}),
    ${rollupUpserts()}
    SELECT DISTINCT day::text AS day, team_id, person_id, tool_id FROM agg WHERE person_id <> 0`;
}

/**
 * After a replacement the activity bitmaps may still mark a day on which the person is no
 * longer active (the revision took all their usage away): clear exactly those bits.
 */
async function clearInactiveDays(keys: { day: string; team_id: number; person_id: number; tool_id: number }[]): Promise<void> {
  if (!keys.length) return;
  const days = keys.map((k) => k.day);
  const teams = keys.map((k) => k.team_id);
  const persons = keys.map((k) => k.person_id);
  const tools = keys.map((k) => k.tool_id);
  // Under the drain lock: a drain between the check and the update could set a bit this clears.
  await (await db()).$transaction(async (prisma) => {
    await prisma.$queryRaw`SELECT pg_advisory_xact_lock(${DRAIN_LOCK})::text`;
    await prisma.$executeRaw`
      WITH k AS (SELECT DISTINCT * FROM unnest(${days}::date[], ${teams}::int[], ${persons}::int[]) AS k(day, team_id, person_id)),
      idle AS (
        SELECT date_trunc('month', k.day)::date AS month, k.team_id, k.person_id, bit_or(1 << (extract(day FROM k.day)::int - 1)) AS bits
        FROM k WHERE NOT EXISTS (
          SELECT 1 FROM daily_usage d WHERE d.day = k.day AND d.team_id = k.team_id AND d.person_id = k.person_id
            AND ${activeUsage("d")})
        GROUP BY 1, 2, 3)
      UPDATE person_activity a SET days = a.days & ~idle.bits FROM idle
      WHERE a.month = idle.month AND a.team_id = idle.team_id AND a.person_id = idle.person_id`;
    await prisma.$executeRaw`
      WITH k AS (SELECT DISTINCT * FROM unnest(${days}::date[], ${teams}::int[], ${persons}::int[], ${tools}::int[]) AS k(day, team_id, person_id, tool_id)),
      idle AS (
        SELECT date_trunc('month', k.day)::date AS month, k.team_id, k.tool_id, k.person_id, bit_or(1 << (extract(day FROM k.day)::int - 1)) AS bits
        FROM k WHERE NOT EXISTS (
          SELECT 1 FROM daily_usage d WHERE d.day = k.day AND d.team_id = k.team_id AND d.person_id = k.person_id AND d.tool_id = k.tool_id
            AND ${activeUsage("d")})
        GROUP BY 1, 2, 3, 4)
      UPDATE person_tool_activity a SET days = a.days & ~idle.bits FROM idle
      WHERE a.month = idle.month AND a.team_id = idle.team_id AND a.tool_id = idle.tool_id AND a.person_id = idle.person_id`;
  }, { timeout: 5 * 60_000, maxWait: 60_000 });
}

/** Record keys whose person already reported this tool on this UTC day by another path. */
async function reportedElsewhere(tx: Tx, tool: string, day: string, built: Built[]): Promise<Set<string>> {
  const keys: string[] = [];
  const refs: string[] = [];
  for (const b of built) {
    for (const ref of [b.record.email?.toLowerCase(), ...b.record.identities.map((i) => i.value)]) {
      if (ref) {
        keys.push(b.key);
        refs.push(ref);
      }
    }
  }
  if (!refs.length) return new Set();
  const from = new Date(`${day}T00:00:00Z`);
  const to = new Date(from.getTime() + 86_400_000);
  const rows = await tx.$queryRaw<{ key: string }[]>`
    SELECT DISTINCT r.key FROM unnest(${keys}::text[], ${refs}::text[]) AS r(key, ref)
    JOIN (SELECT email AS ref, id FROM people UNION ALL SELECT value, person_id FROM identities WHERE person_id IS NOT NULL) p ON p.ref = r.ref
    WHERE EXISTS (
      SELECT 1 FROM usage_events e JOIN tools t ON t.id = e.tool_id
      WHERE e.person_id = p.id AND t.slug = ${tool} AND e.occurred_at >= ${from} AND e.occurred_at < ${to} AND e.source NOT LIKE 'connector:%')`;
  return new Set(rows.map((r) => r.key));
}

export interface StoreDayOptions {
  vendor: Vendor;
  scope: string;
  day: string;
  records: VendorRecord[];
  /** Runs inside the day's transaction (the connector moves its cursor there). */
  onCommit?: (tx: Tx) => Promise<void>;
  now?: Date;
}

export async function storeDay(opts: StoreDayOptions): Promise<DayOutcome> {
  const { vendor, scope, day } = opts;
  const tz = config().WAKEBOARD_TZ;
  const built = build(vendor, scope, day, opts.records);
  const byEvent = new Map<string, Built>();
  for (const b of built) for (const e of b.events) byEvent.set(e.id, b);
  let outcome!: DayOutcome;
  let touched: { day: string; team_id: number; person_id: number; tool_id: number }[] = [];

  // Runs inside ingest's transaction, before its insert (and again if that transaction is retried).
  const apply = async (tx: Tx, events: CanonicalEvent[]): Promise<(CanonicalEvent | "duplicate")[]> => {
    outcome = { day, records: built.length, unchanged: 0, revised: 0, added: 0, removed: 0, otherSource: 0, eventsStored: 0, rejected: [] };
    const stored = new Map(
      (
        await tx.$queryRaw<{ record_key: string; content_hash: string; event_ids: string[] }[]>`
          SELECT record_key, content_hash, event_ids FROM connector_records
          WHERE vendor = ${vendor.slug} AND scope = ${scope} AND day = ${day} ORDER BY record_key FOR UPDATE`
      ).map((r) => [r.record_key, r]),
    );
    const elsewhere = await reportedElsewhere(tx, vendor.tool, day, built);
    const keep = new Set<string>();
    const unchanged = new Set<string>();
    const oldIds: string[] = [];
    for (const b of built) {
      const prior = stored.get(b.key);
      if (elsewhere.has(b.key)) {
        outcome.otherSource++;
        if (prior) oldIds.push(...prior.event_ids);
        continue;
      }
      keep.add(b.key);
      if (prior?.content_hash === b.hash) {
        outcome.unchanged++;
        unchanged.add(b.key);
      } else if (prior) {
        outcome.revised++;
        oldIds.push(...prior.event_ids);
      } else outcome.added++;
    }
    // A person the vendor no longer lists for that day: their record is replaced by nothing.
    for (const [key, prior] of stored) {
      if (!built.some((b) => b.key === key)) {
        outcome.removed++;
        oldIds.push(...prior.event_ids);
      }
    }
    touched = await removeEvents(tx, oldIds, tz);

    const valid = new Map<string, string[]>();
    for (const e of events) {
      const b = byEvent.get(e.id);
      if (b && keep.has(b.key) && !unchanged.has(b.key)) valid.set(b.key, [...(valid.get(b.key) ?? []), e.id]);
    }
    const write = built.filter((b) => keep.has(b.key) && !unchanged.has(b.key));
    const gone = [...stored.keys()].filter((k) => !keep.has(k));
    if (gone.length) await tx.$executeRaw`DELETE FROM connector_records WHERE record_key = ANY(${gone}::text[])`;
    if (write.length) {
      await tx.$executeRaw`
        INSERT INTO connector_records (record_key, vendor, scope, day, content_hash, event_ids, updated_at)
        SELECT k, ${vendor.slug}, ${scope}, ${day}, h, coalesce((SELECT array_agg(x) FROM jsonb_array_elements_text(ids) AS x), '{}'), now()
        FROM unnest(${write.map((b) => b.key)}::text[], ${write.map((b) => b.hash)}::text[], ${write.map((b) => JSON.stringify(valid.get(b.key) ?? []))}::jsonb[]) AS t(k, h, ids)
        ON CONFLICT (record_key) DO UPDATE SET content_hash = excluded.content_hash, event_ids = excluded.event_ids, updated_at = now()`;
    }
    await opts.onCommit?.(tx);
    return events.map((e) => {
      const b = byEvent.get(e.id);
      return b && keep.has(b.key) && !unchanged.has(b.key) ? e : "duplicate";
    });
  };

  const items = built.flatMap((b) => b.events);
  const identities = built.flatMap((b) => b.events.map(() => b.record.identities));
  const result = await ingest(items, { source: `connector:${vendor.slug}`, prepare: apply, identities, now: opts.now });
  if (!outcome) {
    // Nothing valid to insert (an empty day, or every event rejected): ingest never opened its
    // transaction, but vanished records must still go and the cursor must still move.
    const prisma = await db();
    await prisma.$transaction((tx) => apply(tx, []), { timeout: 60_000 });
  }
  outcome.eventsStored = result.accepted;
  outcome.rejected = result.rejected;
  await clearInactiveDays(touched);
  return outcome;
}
