import type { KeyValue } from "@/lib/otlp/otlp-schema";

// OTLP attributes as a plain record. Scalars keep their type (int64 as a number when it is
// safe, else as its decimal string); arrays and key-value lists become canonical JSON text
// so they still take part in series keys without being interpreted.

export type Scalar = string | number | boolean;
export type Attributes = Record<string, Scalar>;

/** The most AnyValue levels read inside one attribute; deeper ones become null. */
const MAX_VALUE_DEPTH = 8;

type Plain = Scalar | null | Plain[] | [string, Plain][];

/**
 * An AnyValue as a plain value: scalars as they are, arrays as arrays, key-value lists as
 * sorted [key, value] pairs. Nested values are built as plain data and turned into text
 * once at the top, so the work is linear in the value's size (text re-escaped at each
 * level doubled it per level).
 */
function plain(v: unknown, depth: number): Plain | undefined {
  if (!v || typeof v !== "object") return undefined;
  const a = v as Record<string, unknown>;
  if (typeof a.stringValue === "string") return a.stringValue;
  if (typeof a.boolValue === "boolean") return a.boolValue;
  if (typeof a.intValue === "number") return a.intValue;
  if (typeof a.intValue === "string" && /^-?\d+$/.test(a.intValue)) {
    const n = Number(a.intValue);
    return Number.isSafeInteger(n) ? n : a.intValue;
  }
  if (typeof a.doubleValue === "number") return a.doubleValue;
  if (typeof a.doubleValue === "string") return a.doubleValue;
  if (typeof a.bytesValue === "string") return a.bytesValue;
  if (a.arrayValue && typeof a.arrayValue === "object") {
    if (depth >= MAX_VALUE_DEPTH) return null;
    const values = (a.arrayValue as { values?: unknown }).values;
    return Array.isArray(values) ? values.map((x) => plain(x, depth + 1) ?? null) : [];
  }
  if (a.kvlistValue && typeof a.kvlistValue === "object") {
    if (depth >= MAX_VALUE_DEPTH) return null;
    const values = (a.kvlistValue as { values?: unknown }).values;
    const pairs: [string, Plain][] = [];
    for (const kv of Array.isArray(values) ? values : []) {
      const key = (kv as { key?: unknown })?.key;
      const value = plain((kv as { value?: unknown })?.value, depth + 1);
      if (typeof key === "string" && value !== undefined) pairs.push([key, value]);
    }
    return pairs.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  }
  return undefined;
}

function anyValue(v: unknown): Scalar | undefined {
  const p = plain(v, 0);
  return p === undefined || p === null || typeof p !== "object" ? (p ?? undefined) : JSON.stringify(p);
}

export function toAttributes(kvs: readonly KeyValue[] | undefined): Attributes {
  const out: Attributes = {};
  for (const kv of kvs ?? []) {
    const v = anyValue(kv.value);
    if (v !== undefined) out[kv.key] = v;
  }
  return out;
}

/** JSON with sorted keys: equal attribute sets give equal text whatever the order sent. */
export function canonical(attrs: Attributes): string {
  return JSON.stringify(Object.keys(attrs).sort().map((k) => [k, attrs[k]]));
}

export function str(attrs: Attributes, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v = attrs[k];
    if (v !== undefined && v !== "") return String(v);
  }
  return undefined;
}

/** A number from an attribute that may be sent as a number or a numeric string (log events). */
export function num(attrs: Attributes, key: string): number | undefined {
  const v = attrs[key];
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}
