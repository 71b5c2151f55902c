import zlib from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { db } from "@/lib/db/client";
import { handleOtlp, type OtlpRequest } from "@/lib/otlp/handle-otlp";
import { MAX_BODY_BYTES } from "@/lib/otlp/decode";
import { encodeProtobufRequest } from "@/lib/otlp/protobuf";
import { captures } from "@/test/fixtures/otlp/captures";

// A client's mistake is a clear 4xx with the error envelope, never a 500, and stores nothing.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

const now = new Date("2026-11-29T04:00:00Z");
const claudeMetrics = captures().find((c) => c.tool === "claude-code" && c.signal === "metrics")!;

async function stored() {
  const prisma = await db();
  const [row] = await prisma.$queryRaw<{ events: number; series: number; rollup: number }[]>`
    SELECT (SELECT count(*) FROM usage_events)::int AS events, (SELECT count(*) FROM otlp_series)::int AS series,
           (SELECT count(*) FROM daily_usage)::int AS rollup`;
  return row;
}

async function expectError(req: Partial<OtlpRequest>, status: number, code: string, message?: RegExp) {
  const res = await handleOtlp({ signal: "metrics", contentType: "application/json", body: claudeMetrics.body, now, logTools: [], ...req });
  expect(res.status).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/json/);
  const body = JSON.parse(res.body as string);
  expect(body.error.code).toBe(code);
  if (message) expect(body.error.message).toMatch(message);
  expect(await stored()).toEqual({ events: 0, series: 0, rollup: 0 });
}

const text = (s: string) => new TextEncoder().encode(s);

describe("OTLP requests a client got wrong", () => {
  beforeEach(async () => expect(await stored()).toEqual({ events: 0, series: 0, rollup: 0 }));

  it("answers 400 to malformed JSON", () => expectError({ body: text('{"resourceMetrics": [') }, 400, "bad_request", /not valid JSON/));

  it("answers 400 to JSON that is not an export request", async () => {
    await expectError({ body: text("[1, 2]") }, 400, "bad_request", /Not an OTLP export request/);
    await expectError({ body: text('{"resourceMetrics": {"a": 1}}') }, 400, "bad_request", /resourceMetrics/);
    await expectError({ body: text('{"resourceMetrics": [{"scopeMetrics": [{"metrics": [{"sum": {}}]}]}]}') }, 400, "bad_request", /name/);
  });

  it("answers 400 to malformed protobuf", async () => {
    // Field 1 (resource_metrics), length-delimited, claiming far more bytes than there are.
    await expectError({ contentType: "application/x-protobuf", body: Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]) }, 400, "bad_request", /protobuf/);
    // A JSON body sent with the protobuf content type.
    await expectError({ contentType: "application/x-protobuf", body: claudeMetrics.body }, 400, "bad_request", /protobuf/);
  });

  it("answers 415 to a wrong or missing content type, naming the ones served", async () => {
    await expectError({ contentType: "text/plain" }, 415, "unsupported_media_type", /application\/json or application\/x-protobuf/);
    await expectError({ contentType: undefined }, 415, "unsupported_media_type");
    await expectError({ contentType: "application/grpc" }, 415, "unsupported_media_type", /gRPC is not served/);
  });

  it("answers 415 to an unknown content encoding and 400 to a broken gzip stream", async () => {
    await expectError({ contentEncoding: "br" }, 415, "unsupported_encoding");
    await expectError({ contentEncoding: "gzip", body: text("not gzip at all") }, 400, "bad_request", /gzip/);
  });

  it("answers 413 to a body over 8 MiB", () => expectError({ body: new Uint8Array(MAX_BODY_BYTES + 1) }, 413, "payload_too_large"));

  it("answers 413 to a gzip bomb without inflating it past 8 MiB", async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 });
    expect(bomb.length).toBeLessThan(200_000);
    await expectError({ contentEncoding: "gzip", body: bomb }, 413, "payload_too_large");
  });

  it("accepts gzip within the limit", async () => {
    const res = await handleOtlp({ signal: "metrics", contentType: "application/json", contentEncoding: "gzip", body: zlib.gzipSync(claudeMetrics.body), now, logTools: [] });
    expect(res.status).toBe(200);
    expect((await stored()).events).toBeGreaterThan(0);
    const prisma = await db();
    await prisma.$executeRaw`TRUNCATE usage_events, daily_usage, otlp_series`;
  });
});

describe("OTLP requests that are fine but count nothing", () => {
  it("answers traces with 200 {} and stores nothing", async () => {
    const res = await handleOtlp({ signal: "traces", contentType: "application/json", body: text('{"resourceSpans": []}') });
    expect(res).toMatchObject({ status: 200, body: "{}" });
    const proto = await handleOtlp({ signal: "traces", contentType: "application/x-protobuf", body: new Uint8Array() });
    expect(proto).toMatchObject({ status: 200, headers: { "content-type": "application/x-protobuf" } });
    expect(await stored()).toEqual({ events: 0, series: 0, rollup: 0 });
  });

  it("accepts logs and counts nothing from them by default (metrics are the source)", async () => {
    for (const c of captures().filter((x) => x.signal === "logs")) {
      const res = await handleOtlp({ signal: "logs", contentType: "application/json", body: c.body, now, logTools: [] });
      expect(res.status).toBe(200);
      expect(res.summary?.ignored).toBeGreaterThan(0);
    }
    expect(await stored()).toEqual({ events: 0, series: 0, rollup: 0 });
  });

  it("ignores unknown metrics and tools without error", async () => {
    const body = JSON.stringify({
      resourceMetrics: [{
        resource: { attributes: [{ key: "service.name", value: { stringValue: "some-daemon" } }] },
        scopeMetrics: [{ metrics: [
          { name: "http.server.duration", histogram: { aggregationTemporality: 1, dataPoints: [{ timeUnixNano: "1795921221283000000", sum: 3, count: 1 }] } },
          { name: "claude_code.token.usage", gauge: { dataPoints: [{ timeUnixNano: "1795921221283000000", asInt: "4" }] } },
        ] }],
      }],
    });
    const res = await handleOtlp({ signal: "metrics", contentType: "application/json", body: text(body), now });
    expect(res).toMatchObject({ status: 200, body: "{}", summary: { ignored: 2, accepted: 0 } });
    expect(await stored()).toEqual({ events: 0, series: 0, rollup: 0 });
  });

  it("keeps the readable points and reports the others as partialSuccess", async () => {
    const point = (value: unknown, type: string) => ({ timeUnixNano: "1795921221283000000", asInt: value, attributes: [{ key: "type", value: { stringValue: type } }] });
    const body = JSON.stringify({
      resourceMetrics: [{
        resource: { attributes: [{ key: "service.name", value: { stringValue: "claude-code" } }] },
        scopeMetrics: [{ metrics: [{ name: "claude_code.token.usage", sum: { aggregationTemporality: 1, dataPoints: [point("12", "input"), point("twelve", "output"), point(-5, "cacheRead")] } }] }],
      }],
    });
    const res = await handleOtlp({ signal: "metrics", contentType: "application/json", body: text(body), now });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body as string)).toEqual({ partialSuccess: { rejectedDataPoints: "2", errorMessage: expect.stringContaining("claude_code.token.usage") } });
    const prisma = await db();
    const rows = await prisma.$queryRaw<{ input_tokens: number; output_tokens: number }[]>`SELECT input_tokens::int, output_tokens::int FROM usage_events`;
    expect(rows).toEqual([{ input_tokens: 12, output_tokens: 0 }]);
  });

  it("encodes a protobuf-encoded JSON-equivalent request the same way (asInt as int64)", async () => {
    const body = encodeProtobufRequest("metrics", {
      resourceMetrics: [{
        resource: { attributes: [{ key: "service.name", value: { stringValue: "claude-code" } }] },
        scopeMetrics: [{ metrics: [{ name: "claude_code.token.usage", sum: { aggregationTemporality: 1, dataPoints: [{ timeUnixNano: "1795921221283000000", asInt: "12", attributes: [{ key: "type", value: { stringValue: "input" } }] }] } }] }],
      }],
    });
    const res = await handleOtlp({ signal: "metrics", contentType: "application/x-protobuf", body, now });
    expect(res.status).toBe(200);
    expect(res.summary).toMatchObject({ accepted: 0, duplicates: 1 });
  });
});
