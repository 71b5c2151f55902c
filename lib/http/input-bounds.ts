// Bounds on the shape of what a client sends (issue 11, item 1), checked on the raw text or
// bytes before anything is parsed, so the work a request causes grows with its size and no
// faster: nesting depth and the number of objects and arrays. JSON is scanned in one pass
// (strings skipped); OTLP protobuf is walked with its schema (lib/otlp/protobuf.ts).

export interface ShapeLimits {
  /** Deepest nesting of objects and arrays. */
  maxDepth: number;
  /** Objects and arrays in all. */
  maxContainers: number;
}

/** Native events: {"events": [{…, "attributes": {…}}]} is 3 deep; 1,000 events of one object each. */
export const NATIVE_LIMITS: ShapeLimits = { maxDepth: 8, maxContainers: 20_000 };
/** One JSONL line or CSV attributes cell: an event is 2 deep. */
export const LINE_LIMITS: ShapeLimits = { maxDepth: 8, maxContainers: 100 };
/**
 * OTLP export requests: a data point's attribute value sits ~10 levels down, each nested
 * AnyValue adds 3; a real 650 KB Codex export has ~25,000 containers.
 */
export const OTLP_LIMITS: ShapeLimits = { maxDepth: 40, maxContainers: 400_000 };

const QUOTE = 0x22, BACKSLASH = 0x5c, OPEN_OBJ = 0x7b, OPEN_ARR = 0x5b, CLOSE_OBJ = 0x7d, CLOSE_ARR = 0x5d;

/** Why JSON text exceeds the limits, or undefined. Malformed text is left to JSON.parse. */
export function jsonShapeProblem(text: string, limits: ShapeLimits): string | undefined {
  let depth = 0;
  let containers = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJ || c === OPEN_ARR) {
      if (++depth > limits.maxDepth) return `nests deeper than ${limits.maxDepth} levels`;
      if (++containers > limits.maxContainers) return `has more than ${limits.maxContainers} objects and arrays`;
    } else if (c === CLOSE_OBJ || c === CLOSE_ARR) depth--;
  }
  return undefined;
}
