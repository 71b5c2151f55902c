import { z } from "zod";

// The one rule for text Wakeboard stores (issue 11, item 2), used by every parser and form:
// native events, NDJSON, bulk import, OTLP (attribute keys and values, identities), admin
// names. PostgreSQL cannot store U+0000 in text or jsonb, and a lone UTF-16 surrogate
// becomes U+FFFD on the way in (two different ids would collapse into one). Control
// characters (ESC, BEL, DEL, C1 …) in names and identifiers end up in terminals, CSV files
// and logs. Such text is refused with a message naming the character, never cleaned up
// silently (a changed id or model would be another id or model).

/** Where text may hold line breaks and tabs (free text); identifiers and names may not. */
export type TextKind = "identifier" | "text";

// Lone surrogates: a high one not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// C0 controls, DEL and C1 controls; plus the Unicode line/paragraph separators and the BOM in identifiers.
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\uFEFF]/;
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFEFF]/;

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;

/** Why `value` cannot be stored as this kind of text, or undefined when it can. */
export function textProblem(value: string, kind: TextKind = "identifier"): string | undefined {
  const surrogate = LONE_SURROGATE.exec(value);
  if (surrogate) return `contains an unpaired UTF-16 surrogate (${codePoint(surrogate[0])} at position ${surrogate.index}); send valid Unicode`;
  const control = (kind === "identifier" ? CONTROL : CONTROL_IN_TEXT).exec(value);
  if (control) {
    const what = control[0] === "\u0000" ? "a NUL character" : "a control character";
    return `contains ${what} (${codePoint(control[0])} at position ${control.index}), which cannot be stored`;
  }
  return undefined;
}

/** A zod refinement of the rule, for schemas: `z.string().check(safeText())`. */
export function safeText(kind: TextKind = "identifier") {
  return z.superRefine<string>((value, ctx) => {
    const problem = textProblem(value, kind);
    if (problem) ctx.addIssue({ code: "custom", message: problem, input: value });
  });
}

/** Throws `make(message)` when a name or identifier breaks the rule (for domain functions). */
export function assertSafeText<E extends Error>(value: string | null | undefined, what: string, make: (message: string) => E, kind: TextKind = "identifier"): void {
  const problem = value ? textProblem(value, kind) : undefined;
  if (problem) throw make(`The ${what} ${problem}.`);
}
