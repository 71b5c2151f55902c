import { createHash } from "node:crypto";
import type { EventInput } from "@/lib/ingest/event-schema";
import { canonical, str, type Attributes } from "@/lib/otlp/attributes";
import { toCounts, type Components, type ToolSpec } from "@/lib/otlp/tools";

// A draft is one future event: the points (or log record) that share a tool, a resource,
// the attributes other than the kind, and a time. Its id is derived from exactly those, so
// an exporter's retry of the same export produces the same ids and is a duplicate.

export interface CumulativeState {
  /** The series: tool, metric, resource and every point attribute (start time is kept apart). */
  key: string;
  start: string;
  time: string;
}

export interface Part {
  component: string;
  value: number;
  cumulative?: CumulativeState;
}

export interface Draft {
  id: string;
  spec: ToolSpec;
  time: string;
  parts: Part[];
  base: Omit<EventInput, "invocations" | "input_tokens" | "output_tokens" | "cache_read_tokens" | "cache_write_tokens">;
  identities: { kind: string; value: string }[];
}

export const IDENTITY_KINDS = ["user.email", "user.account_uuid", "user.id", "installation.id"] as const;

const hash = (...parts: string[]) => createHash("sha256").update(parts.join("\u0000")).digest("base64url");

export function seriesKey(tool: string, metric: string, resource: Attributes, attrs: Attributes): string {
  return `${tool}:${hash(tool, metric, canonical(resource), canonical(attrs)).slice(0, 32)}`;
}

export function eventId(signal: "m" | "l", tool: string, resource: Attributes, group: Attributes, time: string): string {
  return `otlp${signal}-${tool}-${hash(signal, tool, canonical(resource), canonical(group)).slice(0, 22)}-${time}`;
}

/** Nanoseconds since the epoch (decimal string) as an RFC 3339 instant, millisecond precision. */
export function nanosToIso(nanos: string): string {
  return new Date(Number(BigInt(nanos) / 1_000_000n)).toISOString();
}

// Attributes worth keeping on the event: what a team set itself (OTEL_RESOURCE_ATTRIBUTES,
// e.g. department, cost_center) and the client's version; not the ones already stored in a
// column, identities, nor process and host details.
const SKIP = new Set(["service.name", "session.id", "conversation.id", "team", "team.id", "model", "type", "token_type", "gen_ai.token.type", "prompt", "event.name", "event.timestamp", "event.sequence", ...IDENTITY_KINDS]);
const SKIP_PREFIX = ["process.", "host.", "os.", "telemetry.", "gen_ai.", "prompt", "response", "user."];

export function keptAttributes(...sources: Attributes[]): Record<string, string | number | boolean> {
  const merged: Record<string, string | number | boolean> = {};
  for (const attrs of sources) {
    for (const [k, v] of Object.entries(attrs)) {
      if (SKIP.has(k) || SKIP_PREFIX.some((p) => k.startsWith(p)) || k.length > 64) continue;
      if (typeof v === "string" && v.length > 256) continue;
      merged[k] = v;
    }
  }
  return Object.fromEntries(Object.keys(merged).sort().slice(0, 31).map((k) => [k, merged[k]]));
}

/** The draft's non-counter fields: team (point over resource), person, model, session. */
export function draftBase(
  id: string,
  spec: ToolSpec,
  time: string,
  resource: Attributes,
  point: Attributes,
  signal: string,
): Pick<Draft, "base" | "identities"> {
  const merged = { ...resource, ...point };
  const team = str(point, "team.id", "team") ?? str(resource, "team.id", "team");
  const email = str(merged, "user.email")?.trim().toLowerCase();
  const identities = IDENTITY_KINDS.slice(1).flatMap((kind) => {
    const value = str(merged, kind)?.trim();
    return value ? [{ kind, value: value.slice(0, 320) }] : [];
  });
  const attributes = { ...keptAttributes(resource, point), "otlp.signal": signal };
  return {
    base: {
      id,
      timestamp: nanosToIso(time),
      tool: spec.tool,
      team: team?.trim().toLowerCase(),
      user: email || undefined,
      model: spec.model(merged)?.slice(0, 128),
      session_id: str(merged, "session.id", "conversation.id")?.slice(0, 128),
      attributes,
    },
    identities,
  };
}

export function sumParts(parts: readonly Part[]): Components {
  const c: Components = {};
  for (const p of parts) c[p.component] = (c[p.component] ?? 0) + p.value;
  return c;
}

/** The native event (DESIGN.md §4.1) for a draft with the given components; invocations always explicit. */
export function nativeEvent(d: Draft, components: Components): EventInput {
  return { ...d.base, ...toCounts(d.spec, components) };
}

export function isEmpty(c: Components): boolean {
  return Object.values(c).every((n) => n === 0);
}
