import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { post, useIngestServer } from "@/test/helpers/http";
import { db } from "@/lib/db/client";
import { createTeam } from "@/lib/admin/teams";
import { encodeProtobufRequest } from "@/lib/otlp/protobuf";
import { MAX_COST_USD } from "@/lib/ingest/event-schema";

// Issue 11, items 1, 2, 3 and 6 through HTTP: text PostgreSQL cannot store (or that is a lone
// surrogate or a control character) is refused per event in every field of every surface;
// nesting and element counts are bounded before parsing; a CSV record over 1 MiB answers;
// an implausible cost is a 400 for the request that sent it.

const app = useIngestServer("", "hardening");
const events = () => `${app.url}/api/v1/events`;
const recent = () => new Date(Date.now() - 3_600_000).toISOString();
const event = (over: Record<string, unknown> = {}) => ({ id: `ok-${Math.random().toString(36).slice(2)}`, timestamp: recent(), tool: "claude-code", input_tokens: 7, ...over });

// Each class of bad text, and each string field of a native event it may hide in.
const BAD_TEXT: [string, string][] = [
  ["NUL", "a\u0000b"],
  ["lone high surrogate", "x\ud800"],
  ["lone low surrogate", "\udc00y"],
  ["ESC", "m\u001b[31m"],
  ["BEL", "\u0007"],
  ["C1 control", "z\u0085"],
];
const FIELDS: [string, (bad: string) => Record<string, unknown>][] = [
  ["id", (bad) => ({ id: `id-${bad}` })],
  ["user", (bad) => ({ user: `u${bad}@example.com` })],
  ["model", (bad) => ({ model: `claude${bad}` })],
  ["session_id", (bad) => ({ session_id: `s${bad}` })],
  ["attributes", (bad) => ({ attributes: { [`key${bad}`]: 1 } })],
  ["attributes", (bad) => ({ attributes: { department: `eng${bad}` } })],
];

async function storedEvents(): Promise<number> {
  const [r] = await (await db()).$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM usage_events`;
  return r.n;
}

describe("text PostgreSQL cannot store, lone surrogates and control characters (item 2)", () => {
  for (const [cls, bad] of BAD_TEXT) {
    it(`rejects ${cls} per event in every field, keeps the batch's valid event, stores nothing bad`, async () => {
      const before = await storedEvents();
      const batch = [...FIELDS.map(([, make]) => event(make(bad))), event()];
      const res = await post(events(), { events: batch }, { key: app.key });
      expect(res.status).toBe(200);
      expect(res.body.accepted).toBe(1);
      expect(res.body.rejected.map((r: { index: number }) => r.index)).toEqual(FIELDS.map((_, i) => i));
      for (const [i, r] of (res.body.rejected as { errors: { path: string; message: string }[] }[]).entries()) {
        expect(r.errors[0].path.startsWith(FIELDS[i][0])).toBe(true);
        expect(r.errors[0].message).toMatch(/surrogate|NUL|control character/);
      }
      expect(await storedEvents()).toBe(before + 1);
    });
  }

  it("two ids that differ only in a lone surrogate are both refused, never collapsed into one", async () => {
    const a = await post(events(), event({ id: "dup-\ud800" }), { key: app.key });
    const b = await post(events(), event({ id: "dup-\udbff" }), { key: app.key });
    expect([a.status, b.status]).toEqual([400, 400]);
    const [r] = await (await db()).$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM usage_events WHERE event_id LIKE 'dup-%'`;
    expect(r.n).toBe(0);
  });

  it("NDJSON: the bad line is rejected, the others kept", async () => {
    const body = [event(), event({ model: "x\u0000" }), event()].map((e) => JSON.stringify(e)).join("\n");
    const res = await post(events(), body, { key: app.key, type: "application/x-ndjson" });
    expect([res.status, res.body.accepted, res.body.rejected[0]?.index]).toEqual([200, 2, 1]);
  });

  it("import JSONL and CSV: the bad lines are reported, the others stored", async () => {
    const jsonl = [event(), event({ session_id: "\u0000" }), event()].map((e) => JSON.stringify(e)).join("\n");
    const a = await post(`${app.url}/api/v1/import`, jsonl, { key: app.key, type: "application/x-ndjson" });
    expect(a.status).toBe(200);
    expect([a.body.accepted, a.body.rejected, a.body.rejectedLines[0].line]).toEqual([2, 1, 2]);
    const csv = `id,timestamp,tool,model\nc1-${Date.now()},${recent()},codex,gpt\nc2-${Date.now()},${recent()},codex,"g\u001bpt"\n`;
    const b = await post(`${app.url}/api/v1/import`, csv, { key: app.key, type: "text/csv" });
    expect([b.status, b.body.accepted, b.body.rejected]).toEqual([200, 1, 1]);
  });

  it("OTLP: a NUL in an attribute value or an identity rejects that point only", async () => {
    const kv = (k: string, v: string) => ({ key: k, value: { stringValue: v } });
    const at = (ms: number) => String(BigInt(Date.now() - 60_000 + ms) * 1_000_000n);
    const point = (attrs: { key: string; value: unknown }[], t: string) => ({ timeUnixNano: t, asDouble: 10, attributes: [kv("type", "input"), ...attrs] });
    const body = {
      resourceMetrics: [
        {
          resource: { attributes: [kv("service.name", "claude-code")] },
          scopeMetrics: [
            {
              metrics: [
                {
                  name: "claude_code.token.usage",
                  sum: {
                    aggregationTemporality: 1,
                    dataPoints: [point([kv("department", "a\u0000")], at(0)), point([kv("user.account_uuid", "acc\u0000")], at(1)), point([], at(2))],
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    const res = await post(`${app.url}/api/v1/otlp/v1/metrics`, body, { key: app.key });
    expect(res.status).toBe(200);
    expect(res.body.partialSuccess.rejectedDataPoints).toBe("2");
    const [r] = await (await db()).$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM identities WHERE strpos(value, 'acc') = 1`;
    expect(r.n).toBe(0);
  });

  it("a client sending bad text never fails another client's concurrent requests", async () => {
    const bad = Array.from({ length: 20 }, () => post(events(), { events: [event({ model: "\u0000" }), event({ id: "\ud800" })] }, { key: app.key }));
    const good = Array.from({ length: 40 }, () => post(events(), event(), { key: app.key }));
    const results = await Promise.all([...bad, ...good]);
    expect(results.slice(20).map((r) => [r.status, r.body.accepted])).toEqual(good.map(() => [200, 1]));
    expect(results.slice(0, 20).every((r) => r.status === 400)).toBe(true);
  });

  it("admin names refuse control characters", async () => {
    await expect(createTeam({ slug: "esc-team", name: "Evil\u001b[2J", parentId: null, headcount: null }, "test")).rejects.toThrow(/control character/);
  });
});

describe("implausible values (item 6)", () => {
  it("a cost above the per-event bound is a 400 for that request; the team's later events are fine", async () => {
    const res = await post(events(), event({ team: "big-spender", cost_usd: MAX_COST_USD * 10 }), { key: app.key });
    expect(res.status).toBe(400);
    expect(res.body.error.details.rejected[0].errors[0].path).toBe("cost_usd");
    const many = await post(events(), { events: Array.from({ length: 1000 }, () => event({ team: "big-spender", cost_usd: MAX_COST_USD })) }, { key: app.key });
    expect([many.status, many.body.accepted]).toEqual([200, 1000]);
    const after = await post(events(), event({ team: "big-spender", cost_usd: 0.5 }), { key: app.key });
    expect([after.status, after.body.accepted]).toEqual([200, 1]);
  });
});

describe("bounded work from small bodies (item 1)", () => {
  /** A kvlist nested `depth` levels: each level used to re-escape the one below (work doubled per level). */
  function nested(depth: number) {
    let value: unknown = { stringValue: '\\"x' };
    for (let i = 0; i < depth; i++) value = { kvlistValue: { values: [{ key: "k", value }] } };
    return value;
  }
  const otlp = (value: unknown) => ({
    resourceMetrics: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: "claude-code" } }, { key: "x", value }] },
        scopeMetrics: [{ metrics: [{ name: "claude_code.session.count", sum: { aggregationTemporality: 1, dataPoints: [{ timeUnixNano: String(BigInt(Date.now()) * 1_000_000n), asDouble: 1 }] } }] }],
      },
    ],
  });

  it("OTLP JSON: a deeply nested attribute answers 400 at once", async () => {
    const res = await post(`${app.url}/api/v1/otlp/v1/metrics`, otlp(nested(30)), { key: app.key });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/deeper than/);
  });

  it("OTLP JSON: nesting within the bound, shared by many branches, is read in linear work", async () => {
    // Eight levels of quotes and backslashes: serialised once, not re-escaped per level.
    const res = await post(`${app.url}/api/v1/otlp/v1/metrics`, otlp(nested(8)), { key: app.key });
    expect(res.status).toBe(200);
  });

  it("OTLP protobuf: deep nesting answers 400", async () => {
    const bytes = encodeProtobufRequest("metrics", otlp(nested(30)));
    const res = await post(`${app.url}/api/v1/otlp/v1/metrics`, bytes, { key: app.key, type: "application/x-protobuf" });
    expect(res.status).toBe(400);
  });

  it("OTLP: millions of empty arrays in a small gzip body answer 400", async () => {
    const body = zlib.gzipSync(Buffer.from(`{"resourceMetrics":[${"[],".repeat(2_000_000)}[]]}`));
    const res = await post(`${app.url}/api/v1/otlp/v1/metrics`, body, { key: app.key, headers: { "content-encoding": "gzip" } });
    expect(res.status).toBe(400);
  });

  it("native JSON and NDJSON: nesting is refused before parsing", async () => {
    const deep = `{"events":[${"[".repeat(100_000)}${"]".repeat(100_000)}]}`;
    const a = await post(events(), deep, { key: app.key });
    expect([a.status, a.body.error.code]).toEqual([400, "malformed_body"]);
    const b = await post(events(), `${JSON.stringify(event())}\n${"[".repeat(50_000)}`, { key: app.key, type: "application/x-ndjson" });
    expect([b.status, b.body.accepted, b.body.rejected[0].errors[0].message]).toEqual([200, 1, expect.stringMatching(/deeper than/)]);
  });
});

describe("every request gets an answer (item 3)", () => {
  it("a CSV record over 1 MiB answers 413 instead of hanging", async () => {
    const csv = `id,timestamp,tool,model\nbig,${recent()},codex,"${"x".repeat(1_200_000)}"\n`;
    const res = await fetch(`${app.url}/api/v1/import`, {
      method: "POST",
      headers: { authorization: `Bearer ${app.key}`, "content-type": "text/csv" },
      body: csv,
      signal: AbortSignal.timeout(30_000),
    });
    expect(res.status).toBe(413);
  });
});
