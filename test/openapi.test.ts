import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { ingest } from "@/lib/ingest/ingest";
import { createKey } from "@/lib/keys/api-keys";
import { eventSchema } from "@/lib/ingest/event-schema";
import { OPERATIONS } from "@/lib/openapi/operations";
import { openApiDocument } from "@/lib/openapi/document";
import * as S from "@/lib/openapi/schemas";
import { GET as openapiRoute } from "@/app/api/v1/openapi.json/route";
import { POST as eventsRoute } from "@/app/api/v1/events/route";
import { GET as leaderboardRoute } from "@/app/api/v1/leaderboard/route";
import { GET as trendRoute } from "@/app/api/v1/teams/[slug]/trend/route";
import { GET as healthRoute } from "@/app/api/health/route";

// The OpenAPI description against the code: every route under app/api is described, with
// each method it exports; nothing is described that does not exist; every example validates
// against the schema beside it; and real answers validate against the documented schemas.
// (That every status the contract tests observe is documented is checked after each test
// file by test/setup/documented-statuses.ts.)

const APP = path.resolve(import.meta.dirname, "../app");
const routeFiles = (fs.readdirSync(path.join(APP, "api"), { recursive: true, encoding: "utf8" }) as string[]).filter((f) => /(^|\/)route\.ts$/.test(f));
const openApiPath = (file: string) => "/api/" + path.dirname(file).replace(/\[(?:\.\.\.)?([^\]]+)\]/g, "{$1}");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

describe("the description covers the routes", () => {
  const doc = openApiDocument();

  it("describes every route under app/api with each method it exports", async () => {
    expect(routeFiles.length).toBeGreaterThan(10);
    for (const file of routeFiles) {
      const mod = (await import(/* @vite-ignore */ path.join(APP, "api", file))) as Record<string, unknown>;
      // A method answered only by methodsNotAllowed() (405) is not an operation of its own.
      const exported = METHODS.filter((m) => typeof mod[m] === "function" && !(mod[m] as { methodNotAllowed?: boolean }).methodNotAllowed);
      expect(exported.length, file).toBeGreaterThan(0);
      const item = doc.paths?.[openApiPath(file)] as Record<string, unknown> | undefined;
      expect(item, `${openApiPath(file)} (${file}) is not in the OpenAPI document`).toBeDefined();
      for (const m of exported) expect(item?.[m.toLowerCase()], `${m} ${openApiPath(file)}`).toBeDefined();
    }
  });

  it("describes nothing that does not exist", () => {
    const real = new Set(routeFiles.map(openApiPath));
    for (const p of Object.keys(doc.paths ?? {})) expect(real.has(p), p).toBe(true);
  });

  it("is OpenAPI 3.1 whose every $ref resolves, served as JSON at /api/v1/openapi.json", async () => {
    expect(doc.openapi).toBe("3.1.0");
    const text = JSON.stringify(doc);
    for (const [, ref] of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) expect(doc.components?.schemas?.[ref], ref).toBeDefined();
    const res = await openapiRoute(new NextRequest("http://localhost/api/v1/openapi.json"), { params: Promise.resolve({}) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(JSON.parse(text));
  });

  it("gives every operation a 2xx answer, and Retry-After on every 429 and 503", () => {
    for (const op of OPERATIONS) {
      expect(Object.keys(op.responses).some((s) => s.startsWith("2")), `${op.method} ${op.path}`).toBe(true);
      for (const s of [429, 503]) if (op.responses[s]) expect(op.responses[s].retryAfter, `${op.method} ${op.path} ${s}`).toBe(true);
    }
  });
});

describe("examples validate against their schemas", () => {
  for (const op of OPERATIONS) {
    it(`${op.method.toUpperCase()} ${op.path}`, () => {
      for (const [type, c] of Object.entries(op.body?.content ?? {})) {
        if (c.example === undefined) continue;
        if (c.schema) expect(c.schema.safeParse(c.example).error, `request ${type}`).toBeUndefined();
        else if (type === "application/x-ndjson") {
          for (const line of String(c.example).split("\n").filter(Boolean)) expect(eventSchema.safeParse(JSON.parse(line)).error).toBeUndefined();
        }
      }
      for (const [status, answer] of Object.entries(op.responses)) {
        for (const [type, c] of Object.entries(answer.content ?? {})) {
          if (c.schema && c.example !== undefined) expect(c.schema.safeParse(c.example).error, `${status} ${type}`).toBeUndefined();
        }
      }
    });
  }
});

describe("real answers match the documented schemas", () => {
  let database: TestDatabase;
  const keys = { read: "", ingest: "" };
  beforeAll(async () => {
    database = await createTestDatabase();
    await ingest([{ id: "o1", timestamp: new Date(Date.now() - 86_400_000).toISOString(), tool: "codex", team: "alpha", input_tokens: 40 }], { source: "test" });
    keys.read = (await createKey({ name: "read", scopes: ["read"], actor: "test" })).secret;
    keys.ingest = (await createKey({ name: "ingest", scopes: ["ingest"], rateLimit: 10_000, actor: "test" })).secret;
  });
  afterAll(() => database?.drop());

  const call = async (handler: (r: NextRequest, c: { params: Promise<never> }) => Promise<Response>, url: string, init: { key?: string; body?: unknown; params?: unknown } = {}) => {
    const headers: Record<string, string> = init.key ? { authorization: `Bearer ${init.key}` } : {};
    if (init.body !== undefined) headers["content-type"] = "application/json";
    const res = await handler(new NextRequest(`http://localhost${url}`, { method: init.body === undefined ? "GET" : "POST", headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) }), { params: Promise.resolve((init.params ?? {}) as never) });
    return { status: res.status, body: await res.json() };
  };

  it("events, leaderboard, trend, health and errors", async () => {
    const events = await call(eventsRoute, "/api/v1/events", { key: keys.ingest, body: { events: [{ id: "o2", timestamp: new Date(Date.now() - 60_000).toISOString(), tool: "codex" }, { id: "bad", tool: "codex" }] } });
    expect(events.status).toBe(200);
    expect(S.ingestAnswer.parse(events.body).rejected).toHaveLength(1);

    const board = await call(leaderboardRoute, "/api/v1/leaderboard?period=7d", { key: keys.read });
    expect(board.status).toBe(200);
    expect(S.leaderboardAnswer.parse(board.body).rows.length).toBeGreaterThan(0);

    const trend = await call(trendRoute, "/api/v1/teams/alpha/trend?period=7d", { key: keys.read, params: { slug: "alpha" } });
    expect(trend.status).toBe(200);
    expect(S.trendAnswer.parse(trend.body).points).toHaveLength(7);

    const health = await call(healthRoute, "/api/health");
    expect(S.healthAnswer.parse(health.body).status).toBe("ok");

    for (const refused of [await call(leaderboardRoute, "/api/v1/leaderboard?metric=vibes", { key: keys.read }), await call(eventsRoute, "/api/v1/events", { key: keys.read, body: {} })]) {
      expect(refused.status).toBeGreaterThanOrEqual(400);
      S.errorEnvelope.parse(refused.body);
    }
  });
});
