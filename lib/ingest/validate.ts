import { createHash } from "node:crypto";
import { eventSchema, MAX_FUTURE_MS, parseTimestamp, type ParsedEvent } from "@/lib/ingest/event-schema";

export interface FieldError {
  path: string;
  message: string;
}

/** A validated event in canonical form: defaults filled, time as a UTC instant. */
export interface CanonicalEvent extends Omit<ParsedEvent, "timestamp"> {
  occurredAt: Date;
  /** Identities other than `user` that a source (OTLP) knows for the person, most specific first. */
  identities?: { kind: string; value: string }[];
}

export type Validation = { ok: true; event: CanonicalEvent; hash: string } | { ok: false; id?: string; errors: FieldError[] };

export interface ValidateOptions {
  now: Date;
  retentionDays: number;
}

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/**
 * The content hash stored with each event: a replay of the same content is a duplicate,
 * the same id with other content a conflict. Computed on the canonical event, so
 * "2026-11-23T10:00:00+01:00" and "2026-11-23T09:00:00Z" are the same content.
 */
export function contentHash(event: CanonicalEvent): string {
  // Identities are hints for finding the person, not part of what was reported.
  const { occurredAt, identities: _identities, ...rest } = event;
  return createHash("sha256")
    .update(canonicalJson({ ...rest, occurredAt: occurredAt.toISOString() }))
    .digest("base64url");
}

export function validateEvent(raw: unknown, opts: ValidateOptions): Validation {
  const id = raw && typeof raw === "object" && typeof (raw as { id?: unknown }).id === "string" ? (raw as { id: string }).id : undefined;
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
    return { ok: false, id, errors: [{ path: "", message: "must be a JSON object" }] };
  }
  const parsed = eventSchema.safeParse(raw);
  const errors: FieldError[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => ({
        path: i.path.map(String).join(".") || (i.code === "unrecognized_keys" ? i.keys.join(",") : ""),
        message: i.code === "unrecognized_keys" ? `unknown field${i.keys.length > 1 ? "s" : ""} ${i.keys.map((k) => `"${k}"`).join(", ")}` : i.message,
      }));

  const ts = (raw as { timestamp?: unknown }).timestamp;
  let occurredAt: Date | undefined;
  if (typeof ts === "string") {
    const t = parseTimestamp(ts);
    if (typeof t === "string") errors.push({ path: "timestamp", message: t });
    else if (t.getTime() > opts.now.getTime() + MAX_FUTURE_MS) errors.push({ path: "timestamp", message: "is more than 5 minutes in the future" });
    else if (opts.retentionDays > 0 && t.getTime() < opts.now.getTime() - opts.retentionDays * 86_400_000)
      errors.push({ path: "timestamp", message: `is older than the retention period of ${opts.retentionDays} days` });
    else occurredAt = t;
  }
  if (!parsed.success || !occurredAt || errors.length) return { ok: false, id, errors };

  const { timestamp: _ignored, ...rest } = parsed.data;
  const event: CanonicalEvent = { ...rest, model: rest.model || undefined, occurredAt };
  return { ok: true, event, hash: contentHash(event) };
}
