import { ApiError } from "@/lib/http/errors";
import { jsonShapeProblem, LINE_LIMITS, NATIVE_LIMITS } from "@/lib/http/input-bounds";

// Request bodies of POST /api/v1/events (DESIGN.md §4.1): one event object,
// {"events": […]}, or NDJSON. Limits are checked while reading, so an oversized body is
// refused without being buffered whole.

export const MAX_BODY_BYTES = 1024 * 1024;
export const MAX_EVENTS = 1000;

export type BodyFormat = "json" | "ndjson";

const JSON_TYPES = new Set(["application/json"]);
const NDJSON_TYPES = new Set(["application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines"]);

/** Bytes of an oversized body read and thrown away after the limit, so the connection stays usable. */
const DRAIN_BYTES = 8 * 1024 * 1024;

// "connection: close": the client may still be sending the rest of a body we will not read.
export const tooLarge = (message: string) => new ApiError(413, "payload_too_large", message, undefined, { connection: "close" });

/** The format a Content-Type names, or a 415 that says what to send instead. */
export function bodyFormat(contentType: string | null): BodyFormat {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (JSON_TYPES.has(type)) return "json";
  if (NDJSON_TYPES.has(type)) return "ndjson";
  throw new ApiError(
    415,
    "unsupported_media_type",
    `Content-Type ${type ? `"${type}"` : "is missing; it"} must be application/json (one event or {"events": [...]}) or application/x-ndjson (one event a line)`,
  );
}

/** A request body: a Web stream (Next's routes) or a Node stream (the fast lane); both iterate chunks. */
export type BodySource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/** Reads a body up to `limit` bytes; refuses on Content-Length before reading when it can. */
export async function readLimited(body: BodySource | null, contentLength: string | null, limit = MAX_BODY_BYTES): Promise<Uint8Array> {
  const tooBig = () => tooLarge(`The body exceeds ${limit} bytes (1 MiB); split it into several requests`);
  if (contentLength !== null && Number(contentLength) > limit) throw tooBig();
  if (!body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  for (;;) {
    const { done, value } = await reader.next();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Reading on (and discarding) lets the server answer 413 on a connection it can keep
      // using; a body far past the limit is cancelled, which closes the connection instead.
      let drained = 0;
      while (drained < DRAIN_BYTES) {
        const next = await reader.next();
        if (next.done) break;
        drained += next.value.byteLength;
      }
      if (drained >= DRAIN_BYTES) await reader.return?.().catch(() => {});
      throw tooBig();
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return all;
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ApiError(400, "malformed_body", "The body is not valid UTF-8");
  }
}

/** Where JSON.parse failed, in words a client can act on. */
function jsonError(e: unknown, what: string): ApiError {
  return new ApiError(400, "malformed_json", `${what} is not valid JSON: ${(e as Error).message}`);
}

/**
 * Parsed items, each still unvalidated (ingest() validates every event on its own).
 * `lineErrors` are NDJSON lines that are not JSON: reported per event, not as a whole-body 400.
 */
export interface ParsedBody {
  items: unknown[];
  /** Index → message for items that could not even be parsed (NDJSON only). */
  unparsable: Map<number, string>;
  batch: boolean;
}

export function parseEventsBody(bytes: Uint8Array, format: BodyFormat): ParsedBody {
  const text = decodeUtf8(bytes);
  if (!text.trim()) throw new ApiError(400, "malformed_body", "The body is empty: send one event, {\"events\": [...]}, or NDJSON");
  return format === "json" ? parseJson(text) : parseNdjson(text);
}

function parseJson(text: string): ParsedBody {
  const shape = jsonShapeProblem(text, NATIVE_LIMITS);
  if (shape) throw new ApiError(400, "malformed_body", `The body ${shape}: send events as flat objects`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw jsonError(e, "The body");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ApiError(400, "malformed_body", 'The body must be one event object or {"events": [...]}, not ' + (Array.isArray(value) ? "a bare array" : typeof value));
  }
  if (!("events" in value)) return { items: [value], unparsable: new Map(), batch: false };
  const extra = Object.keys(value).filter((k) => k !== "events");
  if (extra.length) throw new ApiError(400, "malformed_body", `A batch has only an "events" field; unexpected ${extra.map((k) => JSON.stringify(k)).join(", ")}`);
  const events = (value as { events: unknown }).events;
  if (!Array.isArray(events)) throw new ApiError(400, "malformed_body", '"events" must be an array of event objects');
  if (events.length > MAX_EVENTS) throw tooLarge(`A batch holds at most ${MAX_EVENTS} events; this one has ${events.length}`);
  return { items: events, unparsable: new Map(), batch: true };
}

function parseNdjson(text: string): ParsedBody {
  const items: unknown[] = [];
  const unparsable = new Map<number, string>();
  const lines = text.split("\n");
  lines.forEach((raw, i) => {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (!line.trim()) return;
    if (items.length === MAX_EVENTS) throw tooLarge(`An NDJSON body holds at most ${MAX_EVENTS} events (one a line)`);
    const shape = jsonShapeProblem(line, LINE_LIMITS);
    if (shape) {
      unparsable.set(items.length, `line ${i + 1} ${shape}`);
      items.push(undefined);
      return;
    }
    try {
      items.push(JSON.parse(line));
    } catch (e) {
      unparsable.set(items.length, `line ${i + 1} is not valid JSON: ${(e as Error).message}`);
      items.push(undefined);
    }
  });
  return { items, unparsable, batch: true };
}
