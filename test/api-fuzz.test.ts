import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { post, useIngestServer, SERVE_PATHS } from "@/test/helpers/http";
import { db } from "@/lib/db/client";

// Property-based fuzzing of request bodies: whatever a client sends, the answer is one of
// the documented statuses (never a 500), and no row that breaks a rule is ever stored.
describe.each(SERVE_PATHS)("%s", (servePath) => {
  const api = useIngestServer("/api/v1/events", "fuzz", servePath);

  const DOCUMENTED = new Set([200, 400, 403, 413, 415]);

  const anyValue = fc.oneof(
    fc.integer(),
    fc.double(),
    fc.constantFrom(-1, 0, 1, 1.5, 1e10, 1e10 + 1, 2 ** 53, -0, 1e308, "12", "", " ", null, true, false, "NaN"),
    fc.string({ maxLength: 200 }),
    fc.array(fc.integer(), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  );

  const timestamp = fc.oneof(
    fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString()),
    fc.integer({ min: -3 * 86_400_000, max: 10 * 60_000 }).map((ms) => new Date(Date.now() + ms).toISOString()),
    fc.constantFrom("2026-11-20T10:00:00", "2026-11-20", "2026-02-30T00:00:00Z", "2026-11-20T25:00:00Z", "yesterday", "2026-11-20T10:00:00+14:00", "2026-11-20T10:00:00.123456789-07:30"),
    anyValue,
  );

  const slugish = fc.oneof(fc.constantFrom("claude-code", "codex", "Gemini", "a", "_x", "a".repeat(65), "ünï", "payments"), fc.string({ maxLength: 70 }), anyValue);

  const count = fc.oneof(fc.nat({ max: 1e10 }), fc.integer({ min: -1000, max: 1000 }), fc.constantFrom(1e10, 1e10 + 1, 0.5, -0, 2 ** 63), anyValue);

  /** Event-like objects: mostly plausible, with any field possibly missing or of the wrong kind. */
  const eventish = fc.record(
    {
      id: fc.oneof(fc.string({ minLength: 1, maxLength: 130 }), fc.uuid(), anyValue),
      timestamp,
      tool: slugish,
      team: slugish,
      user: fc.oneof(fc.emailAddress(), fc.string({ maxLength: 330 }), anyValue),
      model: fc.oneof(fc.string({ maxLength: 130 }), anyValue),
      invocations: count,
      input_tokens: count,
      output_tokens: count,
      cache_read_tokens: count,
      cache_write_tokens: count,
      cost_usd: fc.oneof(fc.double({ min: -1, max: 1e10, noNaN: true }), anyValue),
      lines_added: count,
      commits: count,
      session_id: fc.oneof(fc.string({ maxLength: 130 }), anyValue),
      attributes: fc.oneof(fc.dictionary(fc.string({ maxLength: 70 }), fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 1 })), { maxKeys: 35 }), anyValue),
      extra: anyValue,
    },
    { requiredKeys: [] },
  );

  /** Valid events (recent, counts in range), then 0–2 fields replaced by anything at all. */
  const validEvent = fc.record(
    {
      id: fc.string({ minLength: 1, maxLength: 128 }),
      timestamp: fc.integer({ min: -700 * 86_400_000, max: 4 * 60_000 }).map((ms) => new Date(Date.now() + ms).toISOString()),
      tool: fc.constantFrom("claude-code", "codex", "gemini-cli", "in-house.agent_2"),
      team: fc.constantFrom("payments", "platform", "Search", "new-team"),
      user: fc.oneof(fc.emailAddress(), fc.string({ minLength: 1, maxLength: 20 })),
      model: fc.string({ maxLength: 128 }),
      invocations: fc.nat({ max: 1000 }),
      input_tokens: fc.nat({ max: 1e10 }),
      output_tokens: fc.nat({ max: 1e10 }),
      cache_read_tokens: fc.nat({ max: 1e10 }),
      cache_write_tokens: fc.nat({ max: 1e10 }),
      cost_usd: fc.double({ min: 0, max: 1e6, noNaN: true }),
      session_id: fc.string({ maxLength: 128 }),
      attributes: fc.dictionary(fc.string({ maxLength: 64 }), fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.constant(null)), { maxKeys: 32 }),
    },
    { requiredKeys: ["id", "timestamp", "tool"] },
  );
  const FIELDS = ["id", "timestamp", "tool", "team", "user", "model", "invocations", "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "cost_usd", "session_id", "attributes", "lines_added", "unknown"];
  const mutated = fc
    .tuple(validEvent, fc.array(fc.tuple(fc.constantFrom(...FIELDS), anyValue), { maxLength: 2 }))
    .map(([e, changes]) => ({ ...e, ...Object.fromEntries(changes) }));
  const plausible = fc.oneof(validEvent, mutated, eventish);

  const body = fc.oneof(
    { weight: 4, arbitrary: plausible.map((e) => ({ text: JSON.stringify(e), type: "application/json" })) },
    { weight: 4, arbitrary: fc.array(plausible, { maxLength: 20 }).map((events) => ({ text: JSON.stringify({ events }), type: "application/json" })) },
    { weight: 2, arbitrary: fc.array(fc.oneof(plausible.map((e) => JSON.stringify(e)), fc.string({ maxLength: 40 })), { maxLength: 10 }).map((lines) => ({ text: lines.join("\n"), type: "application/x-ndjson" })) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => ({ text: JSON.stringify(v) ?? "", type: "application/json" })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 300, unit: "binary" }).map((text) => ({ text, type: "application/json" })) },
    { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 50 }), fc.constantFrom("text/plain", "", "application/xml", "APPLICATION/JSON", "application/json; charset=latin1")).map(([text, type]) => ({ text, type })) },
  );

  describe("fuzzed bodies", () => {
    it("never answer 500 and never store an invalid row", async () => {
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(body, async ({ text, type }) => {
          const a = await post(api.url, text, { key: api.key, type });
          if (!DOCUMENTED.has(a.status)) throw new Error(`status ${a.status} for ${type}: ${text.slice(0, 300)}\n${JSON.stringify(a.body).slice(0, 500)}`);
          if (a.status === 200) {
            expect(typeof a.body.accepted).toBe("number");
            accepted += a.body.accepted;
          } else expect(a.body.error.code).toEqual(expect.any(String));
        }),
        { numRuns: 400 },
      );

      const prisma = await db();
      const [bad] = await prisma.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM usage_events
        WHERE length(event_id) NOT BETWEEN 1 AND 128
           OR occurred_at > received_at + interval '5 minutes'
           OR occurred_at < received_at - interval '730 days'
           OR least(invocations, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens) < 0
           OR greatest(input_tokens, output_tokens, cache_read_tokens, cache_write_tokens) > 10000000000
           OR coalesce(cost_usd, 0) < 0 OR coalesce(lines_added, 0) < 0 OR coalesce(commits, 0) < 0
           OR length(model) > 128 OR length(coalesce(session_id, '')) > 128
           OR (attributes IS NOT NULL AND (jsonb_typeof(attributes) <> 'object'
               OR (SELECT count(*) FROM jsonb_object_keys(attributes)) > 32
               OR EXISTS (SELECT 1 FROM jsonb_each(attributes) a WHERE jsonb_typeof(a.value) IN ('object', 'array'))))`;
      expect(bad.n).toBe(0);
      // The property also exercised the storage path, not only the validation path.
      expect(accepted).toBeGreaterThan(100);
      const [{ n }] = await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM usage_events`;
      expect(n).toBe(accepted);
      const [tools] = await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM tools WHERE slug !~ '^[a-z0-9][a-z0-9._-]{0,63}$'`;
      expect(tools.n).toBe(0);
    });
  });
});
