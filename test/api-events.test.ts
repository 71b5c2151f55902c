import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { post, startServer, type TestServer, SERVE_PATHS } from "@/test/helpers/http";
import { db } from "@/lib/db/client";
import { resetKeyRateLimits } from "@/lib/ingest/key-rate-limit";
import { createKey, generateKeySecret, revokeKey } from "@/lib/keys/api-keys";

// DESIGN.md §4.1, row by row, over HTTP.

describe.each(SERVE_PATHS)("%s", (servePath) => {
  let database: TestDatabase;
  let server: TestServer;
  let url: string;
  const keys: Record<string, string> = {};
  let keyIds: Record<string, number> = {};

  const iso = (msAgo = 60_000) => new Date(Date.now() - msAgo).toISOString();
  let n = 0;
  const ev = (over: Record<string, unknown> = {}) => ({ id: `e-${++n}-${Math.random().toString(36).slice(2)}`, timestamp: iso(), tool: "claude-code", ...over });

  beforeAll(async () => {
    database = await createTestDatabase();
    // Key ids restart at 1 in each path's database: start from empty buckets too.
    resetKeyRateLimits();
    server = await startServer({}, servePath);
    url = `${server.url}/api/v1/events`;
    const prisma = await db();
    const org = await prisma.team.create({ data: { slug: "org", name: "Org" } });
    const payments = await prisma.team.create({ data: { slug: "payments", name: "Payments", parentId: org.id } });
    await prisma.team.create({ data: { slug: "payments-api", name: "Payments API", parentId: payments.id } });
    const platform = await prisma.team.create({ data: { slug: "platform", name: "Platform", parentId: org.id } });
    await prisma.person.create({ data: { email: "ada@example.com", name: "Ada", teamId: platform.id, identities: { create: { kind: "github", value: "ada-gh" } } } });
    const make = async (name: string, input: Partial<Parameters<typeof createKey>[0]>) => {
      const k = await createKey({ name, scopes: ["ingest"], actor: "test", ...input });
      keys[name] = k.secret;
      keyIds = { ...keyIds, [name]: k.id };
    };
    await make("ingest", {});
    await make("read", { scopes: ["read"] });
    await make("revoked", {});
    await make("payments", { teamId: payments.id });
    await make("slow", { rateLimit: 1 });
    await revokeKey(keyIds.revoked, "test");
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  async function eventRow(id: string) {
    const prisma = await db();
    return prisma.usageEvent.findUnique({ where: { eventId: id }, include: { team: true, tool: true, person: true } });
  }

  describe("authentication", () => {
    it("answers missing, malformed, unknown and revoked keys with the same 401", async () => {
      const body = ev();
      const answers = await Promise.all([
        post(url, body, {}),
        post(url, body, { headers: { authorization: "Bearer not-a-key" } }),
        post(url, body, { headers: { authorization: "Basic dXNlcjpwYXNz" } }),
        post(url, body, { key: generateKeySecret() }),
        post(url, body, { key: keys.ingest.slice(0, -1) + (keys.ingest.endsWith("A") ? "B" : "A") }),
        post(url, body, { key: keys.revoked }),
      ]);
      for (const a of answers) {
        expect(a.status).toBe(401);
        expect(a.body).toEqual(answers[0].body);
      }
      expect(answers[0].body.error.code).toBe("unauthorized");
      expect(await eventRow(body.id)).toBeNull();
    });

    it("answers 403 to a key without the ingest scope", async () => {
      const a = await post(url, ev(), { key: keys.read });
      expect(a.status).toBe(403);
      expect(a.body.error.message).toMatch(/ingest/);
    });

    it("revocation is effective at once", async () => {
      const k = await createKey({ name: "short-lived", scopes: ["ingest"], actor: "test" });
      expect((await post(url, ev(), { key: k.secret })).status).toBe(200);
      await revokeKey(k.id, "test");
      expect((await post(url, ev(), { key: k.secret })).status).toBe(401);
    });
  });

  describe("bodies", () => {
    it("accepts one event object", async () => {
      const e = ev({ input_tokens: 1200, output_tokens: 80, cache_read_tokens: 5 });
      const a = await post(url, e, { key: keys.ingest });
      expect(a).toMatchObject({ status: 200, body: { accepted: 1, duplicates: 0, rejected: [] } });
      const row = await eventRow(e.id);
      expect(row).toMatchObject({ inputTokens: 1200n, outputTokens: 80n, cacheReadTokens: 5n, cacheWriteTokens: 0n, invocations: 1n, source: "api" });
      expect(row?.tool.slug).toBe("claude-code");
    });

    it('accepts {"events": [...]} and keeps the valid events of a partly invalid batch', async () => {
      const good = [ev(), ev()];
      const a = await post(url, { events: [good[0], { ...ev(), input_tokens: -1 }, good[1]] }, { key: keys.ingest });
      expect(a.status).toBe(200);
      expect(a.body.accepted).toBe(2);
      expect(a.body.rejected).toEqual([{ index: 1, id: expect.any(String), errors: [{ path: "input_tokens", message: "must not be negative" }] }]);
      expect(await eventRow(good[1].id)).not.toBeNull();
    });

    it("accepts NDJSON, one event a line, and reports a line that is not JSON", async () => {
      const [a1, a2] = [ev(), ev()];
      const body = `${JSON.stringify(a1)}\r\n\n{"id": oops}\n${JSON.stringify(a2)}\n`;
      const a = await post(url, body, { key: keys.ingest, type: "application/x-ndjson" });
      expect(a.status).toBe(200);
      expect(a.body.accepted).toBe(2);
      expect(a.body.rejected).toEqual([{ index: 1, errors: [{ path: "", message: expect.stringMatching(/^line 3 is not valid JSON/) }] }]);
    });

    it("accepts an empty batch as nothing to do", async () => {
      expect(await post(url, { events: [] }, { key: keys.ingest })).toMatchObject({ status: 200, body: { accepted: 0, duplicates: 0, rejected: [] } });
    });

    it.each([
      ["malformed JSON", "{not json", "malformed_json"],
      ["an empty body", "", "malformed_body"],
      ["a bare array", "[]", "malformed_body"],
      ["a string", '"x"', "malformed_body"],
      ["events that are not an array", '{"events": {}}', "malformed_body"],
      ["a batch with other fields", '{"events": [], "extra": 1}', "malformed_body"],
    ])("answers 400 to %s", async (_name, body, code) => {
      const a = await post(url, body, { key: keys.ingest });
      expect(a.status).toBe(400);
      expect(a.body.error.code).toBe(code);
    });

    it("answers 400 with error.details.rejected when every event is invalid", async () => {
      const a = await post(url, { events: [{ id: "x1" }, { ...ev(), tool: "Not A Slug!" }] }, { key: keys.ingest });
      expect(a.status).toBe(400);
      expect(a.body.error.code).toBe("invalid_events");
      expect(a.body.error.details.rejected.map((r: { index: number }) => r.index)).toEqual([0, 1]);
      expect(a.body.error.details.rejected[0].errors.map((e: { path: string }) => e.path).sort()).toEqual(["timestamp", "tool"]);
    });

    it.each([
      ["text/plain", "text/plain"],
      ["form data", "application/x-www-form-urlencoded"],
      ["no content type", null],
    ])("answers 415 to %s", async (_name, type) => {
      const a = await post(url, JSON.stringify(ev()), { key: keys.ingest, type });
      expect(a.status).toBe(415);
      expect(a.body.error.code).toBe("unsupported_media_type");
    });

    it("accepts application/json with a charset", async () => {
      expect((await post(url, ev(), { key: keys.ingest, type: "application/json; charset=utf-8" })).status).toBe(200);
    });

    it("answers 413 to a body over 1 MiB, by Content-Length or while streaming, and stores nothing", async () => {
      const e = ev({ attributes: { pad: "x".repeat(1000) } });
      const big = JSON.stringify({ events: Array.from({ length: 1100 }, (_, i) => ({ ...e, id: `big-${i}` })) });
      expect(big.length).toBeGreaterThan(1024 * 1024);
      const a = await post(url, big, { key: keys.ingest });
      expect(a.status).toBe(413);
      expect(a.body.error.code).toBe("payload_too_large");
      // Chunked, without Content-Length: the limit is enforced while reading.
      const stream = new ReadableStream({
        start(c) {
          for (let i = 0; i < 20; i++) c.enqueue(new TextEncoder().encode(big.slice(i * 60_000, (i + 1) * 60_000)));
          c.close();
        },
      });
      const res = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${keys.ingest}`, "content-type": "application/json" }, body: stream, duplex: "half" } as RequestInit);
      expect(res.status).toBe(413);
      expect(await eventRow("big-0")).toBeNull();
    });

    it("answers 413 to more than 1,000 events, as JSON or NDJSON", async () => {
      const events = Array.from({ length: 1001 }, (_, i) => ({ id: `many-${i}`, timestamp: iso(), tool: "t" }));
      const a = await post(url, { events }, { key: keys.ingest });
      expect(a.status).toBe(413);
      expect(a.body.error.message).toMatch(/1000/);
      const b = await post(url, events.map((e) => JSON.stringify(e)).join("\n"), { key: keys.ingest, type: "application/x-ndjson" });
      expect(b.status).toBe(413);
      expect(await eventRow("many-0")).toBeNull();
      expect((await post(url, { events: events.slice(0, 1000) }, { key: keys.ingest })).body.accepted).toBe(1000);
    });
  });

  describe("validation, one rule at a time", () => {
    const cases: [string, Record<string, unknown>, string, RegExp][] = [
      ["a negative count", { output_tokens: -5 }, "output_tokens", /negative/],
      ["a fractional count", { input_tokens: 1.5 }, "input_tokens", /whole number/],
      ["a huge count", { cache_read_tokens: 1e10 + 1 }, "cache_read_tokens", /at most 10000000000/],
      ["a count as text", { input_tokens: "12" }, "input_tokens", /number/],
      ["a count that is null", { invocations: null }, "invocations", /number/],
      ["a negative cost", { cost_usd: -0.01 }, "cost_usd", /negative/],
      ["a missing id", { id: undefined }, "id", /required/],
      ["an empty id", { id: "" }, "id", /empty/],
      ["an id over 128 characters", { id: "i".repeat(129) }, "id", /128/],
      ["a missing timestamp", { timestamp: undefined }, "timestamp", /required/],
      ["a missing tool", { tool: undefined }, "tool", /./],
      ["a tool that is not a slug", { tool: "Claude Code" }, "tool", /slug/],
      ["a team that is not a slug", { team: "a/b" }, "team", /slug/],
      ["a model over 128 characters", { model: "m".repeat(129) }, "model", /128/],
      ["a session id over 128 characters", { session_id: "s".repeat(129) }, "session_id", /128/],
      ["a timestamp without offset", { timestamp: "2026-11-20T10:00:00" }, "timestamp", /offset/],
      ["a date-only timestamp", { timestamp: "2026-11-20" }, "timestamp", /RFC 3339/],
      ["an impossible date", { timestamp: "2026-02-30T10:00:00Z" }, "timestamp", /valid date/],
      ["a timestamp in the future", { timestamp: new Date(Date.now() + 60 * 60_000).toISOString() }, "timestamp", /future/],
      ["an ancient timestamp", { timestamp: "2020-01-01T00:00:00Z" }, "timestamp", /retention/],
      ["attributes with more than 32 keys", { attributes: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i])) }, "attributes", /32/],
      ["a nested attribute value", { attributes: { a: { b: 1 } } }, "attributes.a", /string, number, boolean/],
      ["an unknown field", { tokens: 5 }, "tokens", /unknown field/],
    ];
    it.each(cases)("rejects %s with its path", async (_name, over, path, message) => {
      const e: Record<string, unknown> = { ...ev(), ...over };
      for (const k of Object.keys(over)) if (over[k] === undefined) delete e[k];
      const a = await post(url, e, { key: keys.ingest });
      expect(a.status).toBe(400);
      const errors = a.body.error.details.rejected[0].errors as { path: string; message: string }[];
      expect(errors).toContainEqual({ path, message: expect.stringMatching(message) });
    });

    it("accepts a timestamp with an offset and 4 minutes ahead, and stores it as a UTC instant", async () => {
      const e = ev({ timestamp: "2026-11-20T10:00:00+01:00" });
      e.timestamp = new Date(Date.now() - 3_600_000).toISOString().replace("Z", "+00:00");
      const f = ev({ timestamp: new Date(Date.now() + 4 * 60_000).toISOString() });
      expect((await post(url, { events: [e, f] }, { key: keys.ingest })).body.accepted).toBe(2);
      expect((await eventRow(e.id))?.occurredAt.toISOString()).toBe(new Date(e.timestamp as string).toISOString());
    });

    it("fills defaults and keeps optional fields", async () => {
      const e = ev({ model: "opus", session_id: "s1", cost_usd: 0.25, lines_added: 10, commits: 1, attributes: { repo: "x", n: 1, ok: true, none: null } });
      await post(url, e, { key: keys.ingest });
      expect(await eventRow(e.id)).toMatchObject({ invocations: 1n, inputTokens: 0n, model: "opus", sessionId: "s1", linesAdded: 10n, commits: 1n, attributes: { repo: "x", n: 1, ok: true, none: null } });
    });
  });

  describe("idempotency", () => {
    it("counts a replay as a duplicate and a changed replay as a conflict, changing nothing", async () => {
      const e = ev({ input_tokens: 7 });
      expect((await post(url, e, { key: keys.ingest })).body.accepted).toBe(1);
      expect((await post(url, e, { key: keys.ingest })).body).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
      // The same instant written with another offset is the same content.
      const sameInstant = { ...e, timestamp: new Date(e.timestamp as string).toISOString().replace("Z", "+00:00") };
      expect((await post(url, sameInstant, { key: keys.ingest })).body.duplicates).toBe(1);
      const conflict = await post(url, { events: [{ ...e, input_tokens: 8 }] }, { key: keys.ingest });
      expect(conflict.status).toBe(400);
      expect(conflict.body.error.details.rejected[0].errors).toEqual([{ path: "id", message: expect.stringMatching(/different content/) }]);
      expect((await eventRow(e.id))?.inputTokens).toBe(7n);
    });

    it("applies the same rule to a repeated id inside one batch", async () => {
      const e = ev();
      const a = await post(url, { events: [e, e, { ...e, output_tokens: 3 }] }, { key: keys.ingest });
      expect(a.body).toMatchObject({ accepted: 1, duplicates: 1, rejected: [{ index: 2, errors: [{ path: "id" }] }] });
    });
  });

  describe("team resolution", () => {
    it("uses the explicit team, creating an unknown slug unreviewed", async () => {
      const e = ev({ team: "brand-new-team" });
      await post(url, e, { key: keys.ingest });
      expect((await eventRow(e.id))?.team).toMatchObject({ slug: "brand-new-team", unreviewed: true });
    });

    it("else the person's team, found by email or by another identity", async () => {
      const [a, b] = [ev({ user: "ADA@example.com" }), ev({ user: "ada-gh" })];
      await post(url, { events: [a, b] }, { key: keys.ingest });
      for (const e of [a, b]) expect((await eventRow(e.id))?.team.slug).toBe("platform");
      expect((await eventRow(a.id))?.person?.email).toBe("ada@example.com");
    });

    it("else the key's team, else unassigned; unknown people are recorded for an admin to map", async () => {
      const [a, b] = [ev({ user: "stranger@example.com" }), ev()];
      await post(url, a, { key: keys.payments });
      await post(url, b, { key: keys.ingest });
      expect((await eventRow(a.id))?.team.slug).toBe("payments");
      expect((await eventRow(b.id))?.team.slug).toBe("unassigned");
      const identity = await (await db()).identity.findFirst({ where: { value: "stranger@example.com" } });
      expect(identity).toMatchObject({ kind: "user.email", personId: null });
    });

    it("a team-restricted key keeps events of its subtree and rejects others; 403 when that is every event", async () => {
      const mixed = await post(url, { events: [ev({ team: "payments-api" }), ev({ team: "platform" })] }, { key: keys.payments });
      expect(mixed.status).toBe(200);
      expect(mixed.body).toMatchObject({ accepted: 1, rejected: [{ index: 1, errors: [{ path: "team" }] }] });
      const all = await post(url, { events: [ev({ team: "platform" }), ev({ user: "ada@example.com" })] }, { key: keys.payments });
      expect(all.status).toBe(403);
      expect(all.body.error.code).toBe("forbidden_team");
      expect(all.body.error.details.rejected).toHaveLength(2);
    });
  });

  describe("rate limit", () => {
    // That the key gets through again once Retry-After has passed is tested on a clock the
    // test passes in (lib/ingest/key-rate-limit.test.ts), not by sleeping here.
    it("answers 429 with Retry-After past the key's burst", async () => {
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await post(url, ev(), { key: keys.slow }));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 429, 429]);
      expect(answers[2].body.error.code).toBe("rate_limited");
      expect(Number(answers[2].headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    });

    it("limits each key on its own", async () => {
      expect((await post(url, ev(), { key: keys.ingest })).status).toBe(200);
    });
  });
});
