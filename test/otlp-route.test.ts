import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { post, SERVE_PATHS, startServer, type TestServer } from "@/test/helpers/http";
import { createKey } from "@/lib/keys/api-keys";
import { captures, expectedTotals, storedTotals } from "@/test/fixtures/otlp/captures";

// The OTLP endpoints over HTTP, on the Next route and on the fast lane: API-key auth as
// OTEL_EXPORTER_OTLP_HEADERS sends it, gzip, the 8 MiB limit while streaming, the OTLP
// answers, and the real CLIs' captures adding up exactly.

describe.each(SERVE_PATHS)("%s", (servePath) => {
  let database: TestDatabase;
  let server: TestServer;
  let secret: string;
  beforeAll(async () => {
    // The routes use the real clock; the captures are from 2026-11-29 and must stay in retention.
    database = await createTestDatabase();
    server = await startServer({ WAKEBOARD_RETENTION_DAYS: "0" }, servePath);
    secret = (await createKey({ name: "otlp", scopes: ["ingest"], rateLimit: 100_000, actor: "test" })).secret;
  });
  afterAll(async () => {
    delete process.env.WAKEBOARD_RETENTION_DAYS;
    await server?.stop();
    await database?.drop();
  });

  const url = (signal: string) => `${server.url}/api/v1/otlp/v1/${signal}`;
  const capture = () => captures().find((c) => c.tool === "codex" && c.signal === "metrics")!;

  describe("POST /api/v1/otlp/v1/*", () => {
    it("refuses a request without a valid key with 401", async () => {
      const res = await post(url("metrics"), capture().body, {});
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("unauthorized");
      expect(res.headers.get("x-request-id")).toBeTruthy();
    });

    it("accepts a gzip-compressed Codex export (~630 KB) with the key as the CLIs send it", async () => {
      const res = await post(url("metrics"), zlib.gzipSync(capture().body), { key: secret, headers: { "content-encoding": "gzip" } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({});
      expect((await storedTotals()).codex).toMatchObject({ invocations: 1, input_tokens: 534, cache_read_tokens: 700, output_tokens: 56 });
    });

    it("answers 413 from Content-Length before reading a body over 8 MiB", async () => {
      const big = new Uint8Array(9 * 1024 * 1024).fill(32);
      const res = await post(url("metrics"), big, { key: secret });
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe("payload_too_large");
    });

    it("accepts logs with 200 {}", async () => {
      const logCapture = captures().find((c) => c.signal === "logs")!;
      const res = await post(url("logs"), logCapture.body, { key: secret });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({});
    });

    it("answers traces with 200 and stores nothing", async () => {
      const before = await storedTotals();
      const res = await post(url("traces"), new Uint8Array([0x0a, 0x00]), { type: "application/x-protobuf", key: secret });
      expect(res.status).toBe(200);
      // Without the key the sink answers 401 and reads nothing (issue 11, item 10).
      expect((await post(url("traces"), new Uint8Array(1024), { type: "application/x-protobuf" })).status).toBe(401);
      expect(await storedTotals()).toEqual(before);
    });
  });

  describe("the real CLIs' captures over HTTP", () => {
    it("posted in order (after the Codex export above), store what the model API saw; a second delivery changes nothing", async () => {
      for (const c of captures()) {
        const res = await post(url(c.signal), c.body, { key: secret });
        expect(res.status, `${c.tool}/${c.run}/${c.file}`).toBe(200);
      }
      const stored = await storedTotals();
      const expected = expectedTotals();
      for (const [tool, { requests: _r, runs: _n, ...t }] of Object.entries(expected)) {
        expect(stored[tool], tool).toMatchObject(t);
      }
      for (const c of captures()) expect((await post(url(c.signal), c.body, { key: secret })).status).toBe(200);
      expect(await storedTotals()).toEqual(stored);
    });
  });
});
