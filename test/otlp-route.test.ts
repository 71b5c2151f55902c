import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { createKey } from "@/lib/keys/api-keys";
import { POST as metrics } from "@/app/api/v1/otlp/v1/metrics/route";
import { POST as logs } from "@/app/api/v1/otlp/v1/logs/route";
import { POST as traces } from "@/app/api/v1/otlp/v1/traces/route";
import { captures, storedTotals } from "@/test/fixtures/otlp/captures";

// The thin routes: API-key auth as OTEL_EXPORTER_OTLP_HEADERS sends it, gzip, the 8 MiB
// limit while streaming, and the OTLP answers.

let database: TestDatabase;
let secret: string;
beforeAll(async () => {
  // The routes use the real clock; the captures are from 2026-11-29 and must stay in retention.
  process.env.WAKEBOARD_RETENTION_DAYS = "0";
  database = await createTestDatabase();
  secret = (await createKey({ name: "otlp", scopes: ["ingest"], actor: "test" })).secret;
});
afterAll(async () => {
  delete process.env.WAKEBOARD_RETENTION_DAYS;
  await database.drop();
});

const ctx = { params: Promise.resolve({}) };
function request(signal: string, body: BodyInit, headers: Record<string, string>) {
  return new NextRequest(`http://localhost/api/v1/otlp/v1/${signal}`, { method: "POST", body, headers });
}

describe("POST /api/v1/otlp/v1/*", () => {
  const capture = captures().find((c) => c.tool === "codex" && c.signal === "metrics")!;

  it("refuses a request without a valid key with 401", async () => {
    const res = await metrics(request("metrics", capture.body as BodyInit, { "content-type": "application/json" }), ctx);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("unauthorized");
  });

  it("accepts a gzip-compressed Codex export (~630 KB) with the key as the CLIs send it", async () => {
    const res = await metrics(
      request("metrics", zlib.gzipSync(capture.body) as BodyInit, { "content-type": "application/json", "content-encoding": "gzip", authorization: `Bearer ${secret}` }),
      ctx,
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect((await storedTotals()).codex).toMatchObject({ invocations: 1, input_tokens: 534, cache_read_tokens: 700, output_tokens: 56 });
  });

  it("answers 413 from Content-Length before reading a body over 8 MiB", async () => {
    const res = await metrics(
      request("metrics", "{}", { "content-type": "application/json", "content-length": String(9 * 1024 * 1024), authorization: `Bearer ${secret}` }),
      ctx,
    );
    expect(res.status).toBe(413);
  });

  it("accepts logs with 200 {}", async () => {
    const logCapture = captures().find((c) => c.signal === "logs")!;
    const res = await logs(request("logs", logCapture.body as BodyInit, { "content-type": "application/json", authorization: `Bearer ${secret}` }), ctx);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
  });

  it("answers traces with 200 and stores nothing", async () => {
    const before = await storedTotals();
    const res = await traces(request("traces", new Uint8Array([0x0a, 0x00]) as BodyInit, { "content-type": "application/x-protobuf" }), ctx);
    expect(res.status).toBe(200);
    expect(await storedTotals()).toEqual(before);
  });
});
