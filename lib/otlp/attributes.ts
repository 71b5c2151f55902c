import type { KeyValue } from "@/lib/otlp/otlp-schema";

// OTLP attributes as a plain record. Scalars keep their type (int64 as a number when it is
// safe, else as its decimal string); arrays and key-value lists become canonical JSON text
// so they still take part in series keys without being interpreted.

export type Scalar = string | number | boolean;
export type Attributes = Record<string, Scalar>;

function anyValue(v: unknown): Scalar | undefined {
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
    const values = (a.arrayValue as { values?: unknown }).values;
    return JSON.stringify(Array.isArray(values) ? values.map(anyValue) : []);
  }
  if (a.kvlistValue && typeof a.kvlistValue === "object") {
    const values = (a.kvlistValue as { values?: unknown }).values;
    return Array.isArray(values) ? canonical(toAttributes(values as KeyValue[])) : "{}";
  }
  return undefined;
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
