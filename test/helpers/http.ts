import http from "node:http";
import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { Readable } from "node:stream";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";
import { afterAll, beforeAll } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { createKey } from "@/lib/keys/api-keys";
import { requestListener } from "@/lib/http/request-listener";

// The ingest contract tests talk HTTP to a real socket, on each of the two paths a request
// can take in production (SERVE_PATHS; the suites run `describe.each` over them):
// - "next-route": the app/api route modules (what Next's router calls);
// - "fast-lane": lib/http/fast-lane.ts, which `npm start` puts before Next's router.
// Two ways to serve:
// - in-process (default): scripts/start.ts's own request listener (request id, log line,
//   fast lane or not) on a node:http server, with the route modules standing in for Next's
//   router, so tests can change the environment and the database between cases;
// - WAKEBOARD_TEST_APP=next: the production server (`scripts/start.ts` on the build in
//   NEXT_DIST_DIR, default .next-ingest) as a child process, pointed at the test database,
//   with WAKEBOARD_FAST_LANE=0 for "next-route".

export const SERVE_PATHS = ["next-route", "fast-lane"] as const;
export type ServePath = (typeof SERVE_PATHS)[number];

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, never>> }) => Promise<Response>;

const ROUTES: Record<string, () => Promise<Record<string, Handler | unknown>>> = {
  "/api/v1/events": () => import("@/app/api/v1/events/route"),
  "/api/v1/import": () => import("@/app/api/v1/import/route"),
  "/api/v1/otlp/v1/metrics": () => import("@/app/api/v1/otlp/v1/metrics/route"),
  "/api/v1/otlp/v1/logs": () => import("@/app/api/v1/otlp/v1/logs/route"),
  "/api/v1/otlp/v1/traces": () => import("@/app/api/v1/otlp/v1/traces/route"),
  "/api/health": () => import("@/app/api/health/route"),
  "/api/metrics": () => import("@/app/api/metrics/route"),
  "/api/v1/openapi.json": () => import("@/app/api/v1/openapi.json/route"),
};

export interface TestServer {
  url: string;
  stop(): Promise<void>;
}

async function dispatch(req: http.IncomingMessage, res: http.ServerResponse, base: string) {
  const url = new URL(req.url ?? "/", base);
  const load = ROUTES[url.pathname];
  const mod = load ? await load() : undefined;
  const handler = mod?.[req.method ?? "GET"] as Handler | undefined;
  let response: Response;
  if (!handler) response = new Response(JSON.stringify({ error: { code: "not_found", message: "no route" } }), { status: mod ? 405 : 404 });
  else {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const body = hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined;
    const init = { method: req.method, headers, body, duplex: "half" };
    const nreq = new NextRequest(url, init as ConstructorParameters<typeof NextRequest>[1]);
    response = await handler(nreq, { params: Promise.resolve({}) });
  }
  res.statusCode = response.status;
  response.headers.forEach((v, k) => res.setHeader(k, v));
  const buf = Buffer.from(await response.arrayBuffer());
  // A handler that refused the body before reading it all (413, 401): answer, then close
  // the connection rather than reuse a socket with an unread body on it.
  if (!req.complete) res.setHeader("connection", "close");
  res.end(buf);
}

export async function startInProcess(path: ServePath = "next-route"): Promise<TestServer> {
  const routes = (req: http.IncomingMessage, res: http.ServerResponse) =>
    dispatch(req, res, `http://${req.headers.host}`).catch((e) => {
      res.statusCode = 599;
      res.end(String(e?.stack ?? e));
    });
  const server = http.createServer(requestListener(routes, { fastLane: path === "fast-lane" }));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export async function startNext(env: Record<string, string>): Promise<TestServer> {
  const port = 3400 + Math.floor(Math.random() * 500);
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: path.resolve(import.meta.dirname, "../.."),
    env: { ...process.env, NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next-ingest", WAKEBOARD_SEED_DEMO: "0", WAKEBOARD_WORKERS: "1", LOG_LEVEL: "warn", HOST: "127.0.0.1", PORT: String(port), ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/api/health`).then((r) => r.status < 500, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error("the server did not start within 60 s");
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((r) => {
        if (child.exitCode !== null) return r();
        child.once("exit", () => r());
        child.kill("SIGTERM");
      }),
  };
}

/** Serves the app on `path` as WAKEBOARD_TEST_APP asks (see above). */
export function startServer(env: Record<string, string> = {}, path: ServePath = "next-route"): Promise<TestServer> {
  if (process.env.WAKEBOARD_TEST_APP === "next") {
    return startNext({ DATABASE_URL: process.env.DATABASE_URL ?? "", WAKEBOARD_FAST_LANE: path === "fast-lane" ? "1" : "0", ...env });
  }
  for (const [k, v] of Object.entries(env)) process.env[k] = v;
  return startInProcess(path);
}

export interface Posted {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- a JSON answer under test
  ms: number;
}

/** GETs a path with an optional API key: status, headers and the body as text. */
export async function get(url: string, key?: string): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(url, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** POSTs a body (objects become JSON) and returns status, headers and the parsed answer. */
export async function post(url: string, body: unknown, opts: { key?: string | null; type?: string | null; headers?: Record<string, string> } = {}): Promise<Posted> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  const raw = typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body);
  if (opts.type !== null) headers["content-type"] = opts.type ?? "application/json";
  const started = performance.now();
  const res = await fetch(url, { method: "POST", headers, body: raw as BodyInit });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, headers: res.headers, body: parsed, ms: performance.now() - started };
}

/**
 * One database, one running app and one ingest key for a test file: registers its own
 * beforeAll/afterAll hooks; read `url` and `key` inside tests.
 */
export function useIngestServer(path: string, keyName: string, servePath: ServePath = "next-route"): { url: string; key: string } {
  const ctx = { url: "", key: "" };
  let database: TestDatabase | undefined;
  let server: TestServer | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startServer({}, servePath);
    ctx.url = `${server.url}${path}`;
    ctx.key = (await createKey({ name: keyName, scopes: ["ingest"], rateLimit: 100_000, actor: "test" })).secret;
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });
  return ctx;
}
