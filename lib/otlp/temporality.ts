import type { Tx } from "@/lib/ingest/ingest";
import type { CanonicalEvent } from "@/lib/ingest/validate";
import { isEmpty, type Draft, type Part } from "@/lib/otlp/drafts";
import { toCounts, type Components } from "@/lib/otlp/tools";

// Cumulative temporality (DESIGN.md §4.2). Each cumulative series keeps its start time,
// last time and last value in otlp_series. Runs inside the ingest transaction with the
// series rows locked, so concurrent exports of one series (or several app instances) add
// each increase exactly once:
//   - a point at or before the series' last time is a duplicate (a retry, or an old export);
//   - a series' first point counts in full; later points count their increase;
//   - a lower value or a new start time begins a new series (the process restarted).
// An export whose points did not move adds nothing and stores no event.

interface SeriesRow {
  key: string;
  start: string;
  last_time: string;
  last_value: number;
}

const NEW = "-1";

export function cumulativePrepare(drafts: ReadonlyMap<string, Draft>) {
  return async (tx: Tx, events: CanonicalEvent[]): Promise<(CanonicalEvent | "duplicate")[]> => {
    const cumulative = events.flatMap((e) => (drafts.get(e.id)?.parts ?? []).filter((p) => p.cumulative));
    if (cumulative.length === 0) return events;
    const state = await lockSeries(tx, cumulative);

    // In time order per series, so several points of one series in one export chain correctly.
    const order = [...cumulative].sort((a, b) => {
      const x = a.cumulative!, y = b.cumulative!;
      return x.key === y.key ? cmp(BigInt(x.time), BigInt(y.time)) : x.key < y.key ? -1 : 1;
    });
    const increase = new Map<Part, number | "duplicate">();
    for (const part of order) {
      const { key, start, time } = part.cumulative!;
      const s = state.get(key)!;
      const fresh = s.last_time === NEW;
      if (!fresh && BigInt(time) <= BigInt(s.last_time)) {
        increase.set(part, "duplicate");
        continue;
      }
      const restarted = fresh || start !== s.start || part.value < s.last_value;
      increase.set(part, restarted ? part.value : part.value - s.last_value);
      state.set(key, { key, start, last_time: time, last_value: part.value });
    }
    await saveSeries(tx, [...new Set(order.map((p) => p.cumulative!.key))].map((k) => state.get(k)!));

    return events.map((e) => {
      const draft = drafts.get(e.id);
      if (!draft || !draft.parts.some((p) => p.cumulative)) return e;
      const c: Components = {};
      let counted = false;
      for (const p of draft.parts) {
        const inc = p.cumulative ? increase.get(p)! : p.value;
        if (inc === "duplicate") continue;
        counted = true;
        c[p.component] = (c[p.component] ?? 0) + inc;
      }
      if (!counted || isEmpty(c)) return "duplicate";
      return { ...e, ...toCounts(draft.spec, c) };
    });
  };
}

const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Creates missing series rows (a placeholder marks "no point yet"), then locks them all in
 * key order: a concurrent export of a new series waits on the insert instead of racing it.
 */
async function lockSeries(tx: Tx, parts: Part[]): Promise<Map<string, SeriesRow>> {
  const byKey = new Map(parts.map((p) => [p.cumulative!.key, p]));
  const keys = [...byKey.keys()].sort();
  const tools = [...new Set(keys.map((k) => k.slice(0, k.lastIndexOf(":"))))].sort();
  await tx.$executeRaw`INSERT INTO tools (slug, name) SELECT s, s FROM unnest(${tools}::text[]) AS s ORDER BY s ON CONFLICT (slug) DO NOTHING`;
  await tx.$executeRaw`
    INSERT INTO otlp_series (key, tool_id, start_time_nano, last_time_nano, last_value)
    SELECT k.key, t.id, -1, -1, 0 FROM unnest(${keys}::text[]) AS k(key)
    JOIN tools t ON t.slug = substring(k.key FROM '^(.*):[^:]*$')
    ORDER BY k.key
    ON CONFLICT (key) DO NOTHING`;
  const rows = await tx.$queryRaw<SeriesRow[]>`
    SELECT key, start_time_nano::text AS start, last_time_nano::text AS last_time, last_value
    FROM otlp_series WHERE key = ANY(${keys}::text[]) ORDER BY key FOR UPDATE`;
  return new Map(rows.map((r) => [r.key, r]));
}

async function saveSeries(tx: Tx, rows: SeriesRow[]): Promise<void> {
  if (!rows.length) return;
  await tx.$executeRaw`
    UPDATE otlp_series s SET start_time_nano = u.start, last_time_nano = u.last_time, last_value = u.last_value, updated_at = now()
    FROM unnest(${rows.map((r) => r.key)}::text[], ${rows.map((r) => r.start)}::numeric[], ${rows.map((r) => r.last_time)}::numeric[],
                ${rows.map((r) => r.last_value)}::float8[]) AS u(key, start, last_time, last_value)
    WHERE s.key = u.key`;
}
