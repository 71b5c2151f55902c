import { z } from "zod";
import { safeText, textProblem } from "@/lib/text/safe-text";

// The native event of DESIGN.md §4.1: the one shape every ingest source is turned into.

export const MAX_TOKENS = 10_000_000_000;
/**
 * The most one event may report as cost (issue 11, item 6): far above any real request or
 * day of one person, far below what the rollups' numeric columns hold after summing many.
 */
export const MAX_COST_USD = 100_000;
export const MAX_FUTURE_MS = 5 * 60_000;

const slug = () =>
  z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "must be a slug: 1–64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit");

const count = (max = MAX_TOKENS) =>
  z
    .number({ error: (i) => (i.input === undefined ? "is required" : "must be a number, not a string") })
    .int("must be a whole number")
    .min(0, "must not be negative")
    .max(max, `must be at most ${max}`);

// RFC 3339 with an explicit offset: "2026-11-23T09:30:00Z" or "…+01:00". No offset, no guess.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

export function parseTimestamp(value: string): Date | string {
  const m = RFC3339.exec(value);
  if (!m) return "must be an RFC 3339 timestamp with an offset, e.g. 2026-11-23T09:30:00Z";
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth || h > 23 || mi > 59 || s > 60) {
    return "is not a valid date and time";
  }
  const date = new Date(value.replace(" ", "T"));
  return Number.isNaN(date.getTime()) ? "is not a valid date and time" : date;
}

const attributeValue = z.union([z.string().max(1024, "must be at most 1024 characters").check(safeText("text")), z.number(), z.boolean(), z.null()], {
  error: "must be a string, number, boolean or null",
});

export const eventSchema = z
  .object({
    id: z.string({ error: "is required and must be a string" }).min(1, "must not be empty").max(128, "must be at most 128 characters").check(safeText()),
    timestamp: z.string({ error: "is required and must be an RFC 3339 string" }),
    tool: slug(),
    team: slug().optional(),
    user: z.string().trim().min(1, "must not be empty").max(320, "must be at most 320 characters").check(safeText()).optional(),
    model: z.string().trim().max(128, "must be at most 128 characters").check(safeText()).optional(),
    invocations: count(1_000_000_000).default(1),
    input_tokens: count().default(0),
    output_tokens: count().default(0),
    cache_read_tokens: count().default(0),
    cache_write_tokens: count().default(0),
    cost_usd: z.number().min(0, "must not be negative").max(MAX_COST_USD, `must be at most ${MAX_COST_USD} per event`).optional(),
    lines_added: count().optional(),
    lines_removed: count().optional(),
    commits: count(1_000_000).optional(),
    pull_requests: count(1_000_000).optional(),
    session_id: z.string().max(128, "must be at most 128 characters").check(safeText()).optional(),
    attributes: z
      .record(z.string().max(64, "keys must be at most 64 characters"), attributeValue)
      .refine((a) => Object.keys(a).length <= 32, "must have at most 32 keys")
      .superRefine((a, ctx) => {
        Object.keys(a).forEach((key, i) => {
          const problem = textProblem(key);
          if (problem) ctx.addIssue({ code: "custom", message: `key #${i + 1} ${problem}`, input: key });
        });
      })
      .optional(),
  })
  .strict();

export type EventInput = z.input<typeof eventSchema>;
export type ParsedEvent = z.output<typeof eventSchema>;
