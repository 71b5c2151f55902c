import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";

// The access matrix, discovered rather than listed: every route handler (app/**/route.ts) and
// every server action ("use server" files) must declare its access through route() / action(),
// and is called as anonymous, viewer, manager of team A, admin, and with an API key. A new
// handler or action without a declared check fails here. Team B's people never show up in
// the answers team A's manager gets, and API keys never get anyone's per-person data.

const who = vi.hoisted(() => ({ userId: null as number | null, headers: new Headers() }));

vi.mock("@/lib/auth/viewer", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/auth/viewer")>();
  return { ...real, currentViewer: async () => (who.userId === null ? null : real.loadViewer(who.userId, Date.now() + Math.random())) };
});
vi.mock("next/headers", () => ({
  headers: async () => who.headers,
  cookies: async () => ({ getAll: () => [], get: () => undefined, has: () => false }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {}, unstable_cache: <T,>(fn: T) => fn }));

const ROOT = path.resolve(import.meta.dirname, "..");
const APP = path.join(ROOT, "app");
const HOST = "wakeboard.test";
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
/** The only routes allowed to skip authentication. A new public route must be added here, on purpose. */
const PUBLIC_ROUTES = [/^\/api\/health$/, /^\/api\/auth\/\[\.\.\.nextauth\]$/, /^\/api\/v1\/github\/webhook$/, /^\/api\/v1\/openapi\.json$/];
/** Public routes that authenticate each request by its signature instead: unsigned, every caller gets 401. */
const SIGNED_ROUTES = [/^\/api\/v1\/github\/webhook$/];
/** next-auth's own endpoints need Next's request scope (it require()s next/headers): the e2e specs drive them. */
const NOT_INVOKED = [/^\/api\/auth\//];
const PARAMS: Record<string, string | string[]> = { nextauth: ["session"], slug: "team-b", team: "team-b", id: "1", week: "2026-W47" };

type Access = { roles?: string[]; scope?: string; public?: boolean };
type Handler = ((req: NextRequest, ctx: { params: Promise<unknown> }) => Promise<Response>) & { access?: Access; methodNotAllowed?: true };
type ActionFn = ((...args: unknown[]) => Promise<{ ok: boolean; code?: string }>) & { access?: { roles: string[] } };

const files = (dir: string): string[] =>
  (fs.readdirSync(dir, { recursive: true }) as string[]).map((f) => path.join(dir, f)).filter((f) => fs.statSync(f).isFile());

const routeFiles = files(APP).filter((f) => /(^|\/)route\.(ts|tsx|js)$/.test(f));
const sourceFiles = [...files(APP), ...files(path.join(ROOT, "components"))].filter((f) => /\.(ts|tsx)$/.test(f));
const actionFiles = sourceFiles.filter((f) => /^\s*(\/\/.*\n\s*)*["']use server["']/.test(fs.readFileSync(f, "utf8")));

// Loaded while collecting, so a test is generated only for the methods a route exports.
const routeModules = new Map<string, Record<string, unknown>>();
for (const f of routeFiles) routeModules.set(f, await import(/* @vite-ignore */ f));

/** "/api/v1/teams/[slug]" from ".../app/api/v1/teams/[slug]/route.ts" (route groups dropped). */
const urlPath = (file: string) =>
  "/" + path.relative(APP, path.dirname(file)).split(path.sep).filter((s) => !/^\(.*\)$/.test(s)).join("/");

function paramsOf(file: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const m of urlPath(file).matchAll(/\[(?:\.\.\.)?([^\]]+)\]/g)) out[m[1]] = PARAMS[m[1]] ?? "x";
  return out;
}

function concretePath(file: string): string {
  const params = paramsOf(file);
  return urlPath(file).replace(/\[(?:\.\.\.)?([^\]]+)\]/g, (_, name: string) => [params[name]].flat().join("/"));
}

let database: TestDatabase;
const ids = { admin: 0, viewer: 0, manager: 0 };
let keySecret = "";
const teamBSecrets: string[] = [];
const allPeople: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = await import("@/lib/db/client");
  const { ingest } = await import("@/lib/ingest/ingest");
  const { createKey } = await import("@/lib/keys/api-keys");
  const prisma = await db();
  const org = await prisma.team.create({ data: { slug: "org", name: "Org" } });
  const a = await prisma.team.create({ data: { slug: "team-a", name: "Team A", parentId: org.id } });
  const b = await prisma.team.create({ data: { slug: "team-b", name: "Team B", parentId: org.id } });
  const since = new Date("2025-01-01T00:00:00Z");
  for (const [team, prefix] of [[a, "alice"], [b, "zed-secret"]] as const) {
    for (let i = 0; i < 4; i++) {
      const email = `${prefix}${i}@example.com`;
      const name = `${prefix === "alice" ? "Alice" : "Zedsecret"} Person${i}`;
      await prisma.person.create({ data: { email, name, teamId: team.id, memberships: { create: { teamId: team.id, validFrom: since } } } });
      allPeople.push(email, name);
      if (team.id === b.id) teamBSecrets.push(email, name);
    }
  }
  const now = new Date();
  const events = allPeople
    .filter((x) => x.includes("@"))
    .flatMap((email, p) =>
      Array.from({ length: 10 }, (_, d) => ({
        id: `m-${p}-${d}`,
        timestamp: new Date(now.getTime() - d * 86_400_000 - 3_600_000).toISOString(),
        tool: "claude-code",
        user: email,
        model: "claude-sonnet-4-5",
        invocations: 3,
        input_tokens: 1000,
        output_tokens: 200,
      })),
    );
  const r = await ingest(events, { source: "test", now });
  expect(r.rejected).toEqual([]);
  for (const role of ["admin", "viewer", "manager"] as const) {
    const u = await prisma.user.create({ data: { email: `${role}@example.com`, name: role, role, ...(role === "manager" ? { managedTeams: { create: { teamId: a.id } } } : {}) } });
    ids[role] = u.id;
  }
  keySecret = (await createKey({ name: "matrix", scopes: ["ingest", "read", "export"], actor: "test" })).secret;
});
afterAll(() => database?.drop());

type Caller = "anonymous" | "viewer" | "manager" | "admin" | "apiKey";
const CALLERS: Caller[] = ["anonymous", "viewer", "manager", "admin", "apiKey"];

function request(method: string, file: string, caller: Caller, opts: { origin?: string; query?: string } = {}): NextRequest {
  const headers = new Headers({ host: HOST });
  if (caller === "apiKey") headers.set("authorization", `Bearer ${keySecret}`);
  else if (method !== "GET" && method !== "HEAD") headers.set("origin", opts.origin ?? `http://${HOST}`);
  const hasBody = !["GET", "HEAD", "OPTIONS"].includes(method);
  if (hasBody) headers.set("content-type", "application/json");
  who.userId = caller === "anonymous" || caller === "apiKey" ? null : ids[caller];
  who.headers = headers;
  return new NextRequest(`http://${HOST}${concretePath(file)}${opts.query ?? ""}`, { method, headers, body: hasBody ? "{}" : undefined });
}

async function call(handler: Handler, method: string, file: string, caller: Caller, opts: { origin?: string; query?: string } = {}) {
  const res = await handler(request(method, file, caller, opts), { params: Promise.resolve(paramsOf(file)) });
  const body = method === "HEAD" ? "" : await res.text();
  return { status: res.status, body };
}

/** What route() must answer for this caller, given what the handler declares. */
function expected(access: Access, caller: Caller): "refused-401" | "refused-403" | "allowed" {
  if (access.public) return "allowed";
  if (caller === "anonymous") return "refused-401";
  if (caller === "apiKey") return access.scope ? "allowed" : "refused-403";
  if (!access.roles) return "refused-401";
  return access.roles.includes(caller) ? "allowed" : "refused-403";
}

describe("route handlers", () => {
  it("are discovered", () => {
    expect(routeFiles.length).toBeGreaterThanOrEqual(2);
  });

  for (const file of routeFiles) {
    const name = urlPath(file);
    describe(name, () => {
      const mod = routeModules.get(file)!;

      it("exports only handlers built by route(), each declaring its access", () => {
        const exported = METHODS.filter((m) => m in mod);
        expect(exported.length, `${name} exports no HTTP method`).toBeGreaterThan(0);
        for (const m of exported) {
          const access = (mod[m] as Handler).access;
          expect(access, `${m} ${name} is not wrapped by route(): declare its access`).toBeTypeOf("object");
          expect(access!.public || access!.roles?.length || access!.scope, `${m} ${name} declares no way in`).toBeTruthy();
          // methodsNotAllowed(): a public 405 for a method the route does not serve.
          if (access!.public && !(mod[m] as Handler).methodNotAllowed) expect(PUBLIC_ROUTES.some((re) => re.test(name)), `${m} ${name} is public but not in PUBLIC_ROUTES`).toBe(true);
          if (name.startsWith("/api/v1/admin") && !(mod[m] as Handler).methodNotAllowed) expect(access, `${m} ${name} is an admin route`).toEqual({ roles: ["admin"] });
          if (access!.roles && !access!.roles.includes("admin")) throw new Error(`${m} ${name}: admins may do everything`);
        }
      });

      const invoked = NOT_INVOKED.some((re) => re.test(name)) ? [] : METHODS.filter((m) => (mod[m] as Handler | undefined)?.access);
      for (const method of invoked) {
        for (const caller of CALLERS) {
          it(`${method} as ${caller}`, async () => {
            const handler = mod[method] as Handler & { access: Access };
            const want = SIGNED_ROUTES.some((re) => re.test(name)) ? "refused-401" : expected(handler.access, caller);
            const query = "?team=team-b&grain=person&period=30d&week=2026-W47";
            for (const q of ["", query]) {
              const { status, body } = await call(handler, method, file, caller, { query: q });
              if (want === "refused-401") expect(status, `${method} ${name}${q} as ${caller}`).toBe(401);
              else if (want === "refused-403") expect(status, `${method} ${name}${q} as ${caller}`).toBe(403);
              else {
                expect(status, `${method} ${name}${q} as ${caller}: ${body.slice(0, 200)}`).toBeLessThan(500);
                expect(status, `${method} ${name}${q} as ${caller}`).not.toBe(401);
              }
              if (want !== "allowed") expect(JSON.parse(body)).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
              if (handler.methodNotAllowed) {
                expect(status, `${method} ${name} is not served: 405`).toBe(405);
                expect(JSON.parse(body)).toMatchObject({ error: { code: "method_not_allowed", message: expect.stringContaining(method) } });
              }
              if (caller === "manager") for (const s of teamBSecrets) expect(body, `${method} ${name}${q} shows team B's ${s} to team A's manager`).not.toContain(s);
              if (caller === "viewer" || caller === "apiKey") for (const s of allPeople) expect(body, `${method} ${name}${q} shows ${s} to a ${caller}`).not.toContain(s);
            }
          });
        }
        const access = (mod[method] as Handler).access!;
        if (access.public || !access.roles || ["GET", "HEAD", "OPTIONS"].includes(method)) continue;
        it(`${method} with a session from another origin is refused`, async () => {
          const handler = mod[method] as Handler;
          const { status } = await call(handler, method, file, "admin", { origin: "https://evil.example" });
          expect(status).toBe(403);
        });
      }
    });
  }

  it("no GET changes state", async () => {
    const { db } = await import("@/lib/db/client");
    const prisma = await db();
    const count = async () =>
      prisma.$queryRaw<Record<string, number>[]>`SELECT
        (SELECT count(*)::int FROM usage_events) AS events, (SELECT count(*)::int FROM teams) AS teams,
        (SELECT count(*)::int FROM people) AS people, (SELECT count(*)::int FROM users) AS users,
        (SELECT count(*)::int FROM api_keys WHERE revoked_at IS NULL) AS keys, (SELECT count(*)::int FROM audit_log) AS audit,
        (SELECT count(*)::int FROM memberships) AS memberships`;
    const before = await count();
    for (const file of routeFiles) {
      const mod = (await import(/* @vite-ignore */ file)) as Record<string, Handler>;
      if (mod.GET?.access && !NOT_INVOKED.some((re) => re.test(urlPath(file)))) for (const caller of CALLERS) await call(mod.GET, "GET", file, caller);
    }
    expect(await count()).toEqual(before);
  });
});

describe("pages", () => {
  /** Pages anyone may open. Every other page must check the viewer itself (layouts render in parallel with pages). */
  const OPEN_PAGES = ["/login", "/forbidden"];
  const pages = files(APP).filter((f) => /(^|\/)page\.tsx$/.test(f));

  it("each calls requireViewer() on the server, and admin pages require the admin role", () => {
    expect(pages.length).toBeGreaterThan(3);
    for (const file of pages) {
      const name = urlPath(file);
      if (OPEN_PAGES.includes(name)) continue;
      const src = fs.readFileSync(file, "utf8");
      expect(src, `${name} does not call requireViewer()`).toMatch(/\brequireViewer\(/);
      if (name.startsWith("/admin")) expect(src, `${name} must call requireViewer(["admin"])`).toMatch(/requireViewer\(\s*\[\s*"admin"\s*\]\s*\)/);
    }
  });
});

describe("server actions", () => {
  it("are only declared in \"use server\" files (inline ones cannot be checked here)", () => {
    const inline = sourceFiles.filter((f) => !actionFiles.includes(f) && /["']use server["']/.test(fs.readFileSync(f, "utf8")));
    expect(inline.map((f) => path.relative(ROOT, f))).toEqual([]);
  });

  for (const file of actionFiles) {
    const name = path.relative(ROOT, file);
    describe(name, () => {
      let mod: Record<string, ActionFn>;
      beforeAll(async () => {
        mod = await import(/* @vite-ignore */ file);
      });

      it("exports only actions built by action(), each declaring its roles", () => {
        const exported = Object.entries(mod).filter(([, v]) => typeof v === "function");
        expect(exported.length).toBeGreaterThan(0);
        for (const [fn, value] of exported) {
          expect(value.access?.roles?.length, `${name} ${fn} is not wrapped by action(): declare its roles`).toBeGreaterThan(0);
          expect(value.access!.roles, `${name} ${fn}: admins may do everything`).toContain("admin");
        }
      });

      for (const caller of ["anonymous", "viewer", "manager", "admin"] as const) {
        it(`as ${caller}`, async () => {
          for (const [fn, action] of Object.entries(mod)) {
            if (typeof action !== "function") continue;
            const form = new FormData();
            request("POST", file, caller);
            const r = await action(null, form);
            if (caller === "anonymous") expect(r, `${fn} as anonymous`).toMatchObject({ ok: false, code: "unauthorized" });
            else if (!action.access!.roles.includes(caller)) expect(r, `${fn} as ${caller}`).toMatchObject({ ok: false, code: "forbidden" });
            else expect(["unauthorized", "forbidden", "internal"], `${fn} as ${caller}: ${JSON.stringify(r)}`).not.toContain(r.code);
          }
        });
      }

      it("refuses a cross-origin call even from an admin", async () => {
        for (const [fn, action] of Object.entries(mod)) {
          if (typeof action !== "function") continue;
          request("POST", file, "admin", { origin: "https://evil.example" });
          expect(await action(null, new FormData()), fn).toMatchObject({ ok: false, code: "forbidden" });
        }
      });
    });
  }
});
