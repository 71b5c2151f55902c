import { parse as parseCsv } from "csv-parse";
import { jsonShapeProblem, LINE_LIMITS } from "@/lib/http/input-bounds";
import { ApiError } from "@/lib/http/errors";
import { ingest } from "@/lib/ingest/ingest";
import type { KeyScope } from "@/lib/ingest/resolve";
import type { FieldError } from "@/lib/ingest/validate";

// Bulk import (DESIGN.md §4.3): JSONL or CSV of native events, read as a stream and sent
// through ingest() 1,000 events at a time, so a file of any length needs little memory
// and gets the same validation and idempotency as the API. Each chunk is its own
// transaction: if the import stops half-way, running it again finishes it (the events
// already stored count as duplicates).

export type ImportFormat = "jsonl" | "csv";

export const IMPORT_CHUNK = 1000;
export const MAX_LINE_BYTES = 1024 * 1024;
/** Rejections listed in the report; beyond that only counted. */
export const MAX_REPORTED = 1000;

export interface RejectedLine {
  line: number;
  id?: string;
  errors: FieldError[];
}

export interface ImportReport {
  lines: number;
  events: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  /** The first MAX_REPORTED rejected lines, in file order. */
  rejectedLines: RejectedLine[];
}

export interface ImportOptions {
  key?: KeyScope | null;
  source?: string;
  chunkSize?: number;
  /** Called after each committed chunk (the CLI prints progress). */
  onChunk?: (report: ImportReport) => void;
}

/** The format a file name or Content-Type names, or undefined. */
export function importFormat(nameOrType: string | null | undefined): ImportFormat | undefined {
  const v = (nameOrType ?? "").split(";")[0].trim().toLowerCase();
  if (/\.csv$/.test(v) || v === "text/csv" || v === "application/csv") return "csv";
  if (/\.(jsonl|ndjson)$/.test(v) || ["application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines"].includes(v)) return "jsonl";
  return undefined;
}

interface Item {
  line: number;
  value: unknown;
  error?: string;
}

const tooLong = () => new ApiError(413, "payload_too_large", `A line is longer than ${MAX_LINE_BYTES} bytes (1 MiB)`);

/** One item per non-blank JSONL line; a line that is not JSON is an item with an error. */
async function* jsonlItems(input: AsyncIterable<Uint8Array | string>): AsyncGenerator<Item> {
  const decoder = new TextDecoder("utf-8");
  let buffer = "";
  let line = 0;
  const item = (text: string): Item | undefined => {
    line++;
    const t = text.endsWith("\r") ? text.slice(0, -1) : text;
    if (line === 1 && t.charCodeAt(0) === 0xfeff) return item2(t.slice(1));
    return item2(t);
  };
  const item2 = (t: string): Item | undefined => {
    if (!t.trim()) return undefined;
    const shape = jsonShapeProblem(t, LINE_LIMITS);
    if (shape) return { line, value: undefined, error: shape };
    try {
      return { line, value: JSON.parse(t) };
    } catch (e) {
      return { line, value: undefined, error: `is not valid JSON: ${(e as Error).message}` };
    }
  };
  for await (const chunk of input) {
    buffer += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const it = item(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
      if (it) yield it;
    }
    if (buffer.length > MAX_LINE_BYTES) throw tooLong();
  }
  buffer += decoder.decode();
  const last = item(buffer);
  if (last) yield last;
}

const NUMERIC = new Set([
  "invocations",
  "input_tokens",
  "output_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
  "cost_usd",
  "lines_added",
  "lines_removed",
  "commits",
  "pull_requests",
]);
const NUMBER_TEXT = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * A CSV record as a native event: a header row names the fields; empty cells are absent;
 * counts that look like numbers become numbers (others stay text, so validation names
 * them); `attributes` holds a JSON object, or columns `attributes.NAME` hold one value each.
 */
export function csvRecordToEvent(record: Record<string, string>): { value?: Record<string, unknown>; error?: FieldError } {
  const event: Record<string, unknown> = {};
  const attributes: Record<string, unknown> = {};
  for (const [column, cell] of Object.entries(record)) {
    const name = column.trim();
    if (cell === "" || cell === undefined) continue;
    if (name.startsWith("attributes.")) attributes[name.slice("attributes.".length)] = NUMBER_TEXT.test(cell) ? Number(cell) : cell;
    else if (name === "attributes") {
      if (jsonShapeProblem(cell, LINE_LIMITS)) return { error: { path: "attributes", message: "must be a flat JSON object in CSV" } };
      try {
        Object.assign(attributes, JSON.parse(cell));
      } catch {
        return { error: { path: "attributes", message: "must be a JSON object in CSV" } };
      }
    } else event[name] = NUMERIC.has(name) && NUMBER_TEXT.test(cell.trim()) ? Number(cell.trim()) : cell;
  }
  if (Object.keys(attributes).length) event.attributes = attributes;
  return { value: event };
}

async function* csvItems(input: AsyncIterable<Uint8Array | string>): AsyncGenerator<Item> {
  const parser = parseCsv({ columns: true, bom: true, skip_empty_lines: true, info: true, trim: false, max_record_size: MAX_LINE_BYTES, relax_column_count: true });
  const feed = (async () => {
    try {
      for await (const chunk of input) {
        // A parser that failed (a record over 1 MiB, bad quoting) never drains again: stop
        // feeding it rather than wait forever (the reader below reports its error).
        if (parser.destroyed || parser.errored) break;
        if (!parser.write(chunk)) {
          await new Promise<void>((resolve) => {
            const done = () => {
              parser.off("drain", done).off("error", done).off("close", done);
              resolve();
            };
            parser.on("drain", done).on("error", done).on("close", done);
          });
        }
      }
      if (!parser.destroyed) parser.end();
    } catch (e) {
      parser.destroy(e as Error);
    }
  })();
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      const { value, error } = csvRecordToEvent(record);
      yield { line: info.lines, value, error: error ? `${error.path} ${error.message}` : undefined };
    }
  } catch (e) {
    // Answer now: the feeding loop stops at the client's next chunk (or when the request ends).
    parser.destroy();
    const message = (e as Error).message;
    if ((e as { code?: string }).code === "CSV_MAX_RECORD_SIZE" || /max_record_size/i.test(message)) throw tooLong();
    throw new ApiError(400, "malformed_csv", `The CSV cannot be read: ${message}`);
  }
  await feed;
}

/** Streams a JSONL or CSV source through ingest() chunk by chunk and reports rejected lines. */
export async function importEvents(input: AsyncIterable<Uint8Array | string>, format: ImportFormat, opts: ImportOptions = {}): Promise<ImportReport> {
  const report: ImportReport = { lines: 0, events: 0, accepted: 0, duplicates: 0, rejected: 0, rejectedLines: [] };
  const size = opts.chunkSize ?? IMPORT_CHUNK;
  const reject = (r: RejectedLine) => {
    report.rejected++;
    if (report.rejectedLines.length < MAX_REPORTED) report.rejectedLines.push(r);
  };
  let chunk: Item[] = [];
  const flush = async () => {
    if (!chunk.length) return;
    const items = chunk;
    chunk = [];
    const result = await ingest(
      items.map((i) => i.value),
      { source: opts.source ?? "import", key: opts.key ?? null },
    );
    report.accepted += result.accepted;
    report.duplicates += result.duplicates;
    for (const r of result.rejected) {
      const it = items[r.index];
      reject({ line: it.line, id: r.id, errors: it.error ? [{ path: "", message: it.error }] : r.errors });
    }
    opts.onChunk?.(report);
  };
  for await (const it of format === "csv" ? csvItems(input) : jsonlItems(input)) {
    report.lines = it.line;
    report.events++;
    chunk.push(it);
    if (chunk.length >= size) await flush();
  }
  await flush();
  report.rejectedLines.sort((a, b) => a.line - b.line);
  return report;
}
