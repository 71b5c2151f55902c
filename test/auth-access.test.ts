import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { db } from "@/lib/db/client";
import { resetConfig } from "@/lib/config";
import { hashPassword } from "@/lib/auth/password";
import { authOptions, oidcUser } from "@/lib/auth/options";
import { canSeePeople, forgetViewer, loadViewer } from "@/lib/auth/viewer";
import { ADDRESS, PAIR, waitAfter } from "@/lib/auth/sign-in-throttle";
import { CLIENT_ADDRESS_HEADER } from "@/lib/http/client-address";
import { isSameOrigin } from "@/lib/auth/action";
import { saveUser, updateUser } from "@/lib/admin/users";

let database: TestDatabase;
const ids: Record<string, number> = {};
beforeAll(async () => {
  process.env.NEXTAUTH_SECRET = "test-secret-test-secret-test-secret";
  database = await createTestDatabase();
  const prisma = await db();
  const org = await prisma.team.create({ data: { slug: "org", name: "Org" } });
  const a = await prisma.team.create({ data: { slug: "team-a", name: "A", parentId: org.id } });
  const a1 = await prisma.team.create({ data: { slug: "team-a1", name: "A1", parentId: a.id } });
  const b = await prisma.team.create({ data: { slug: "team-b", name: "B", parentId: org.id } });
  Object.assign(ids, { org: org.id, a: a.id, a1: a1.id, b: b.id });
  const passwordHash = await hashPassword("correct horse");
  for (const role of ["admin", "manager", "viewer"] as const) {
    const u = await prisma.user.create({ data: { email: `${role}@example.com`, role, passwordHash, ...(role === "manager" ? { managedTeams: { create: { teamId: a.id } } } : {}) } });
    ids[role] = u.id;
  }
});
afterAll(() => database.drop());
afterEach(() => {
  for (const k of ["WAKEBOARD_OIDC_DEFAULT_ROLE", "WAKEBOARD_OIDC_ALLOWED_DOMAINS"]) delete process.env[k];
  resetConfig();
});

type Authorize = (c: Record<string, string>, req: { headers: Record<string, string> }) => Promise<{ id: string } | null>;
const authorize = (email: string, password: string, ip = "10.0.0.1") =>
  ((authOptions().providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize)({ email, password }, { headers: { [CLIENT_ADDRESS_HEADER]: ip } });

describe("email and password sign-in", () => {
  it("signs in with the right password, case-insensitively on the email", async () => {
    expect(await authorize("Admin@Example.com", "correct horse")).toMatchObject({ id: String(ids.admin) });
  });

  it("refuses a wrong password and an unknown email with the same answer", async () => {
    expect(await authorize("admin@example.com", "wrong horse")).toBeNull();
    expect(await authorize("nobody@example.com", "correct horse")).toBeNull();
  });

  it("refuses a disabled user", async () => {
    const prisma = await db();
    const u = await prisma.user.create({ data: { email: "gone@example.com", role: "viewer", passwordHash: await hashPassword("correct horse"), disabledAt: new Date() } });
    expect(await authorize(u.email, "correct horse")).toBeNull();
  });

  it("slows a (account, address) pair after 5 attempts, even with the right password; the owner elsewhere gets in", async () => {
    for (let i = 0; i < 5; i++) expect(await authorize("viewer@example.com", `nope-${i}`, "10.1.0.1")).toBeNull();
    await expect(authorize("viewer@example.com", "correct horse", "10.1.0.1")).rejects.toThrow(/Too many failed sign-in attempts.*Try again in 1 seconds/);
    // Another address: the pair is fresh, the right password works at once.
    expect(await authorize("viewer@example.com", "correct horse", "10.2.0.1")).toMatchObject({ id: String(ids.viewer) });
  });

  it("counts only failures: many good sign-ins are never throttled", async () => {
    for (let i = 0; i < 30; i++) expect(await authorize("manager@example.com", "correct horse")).not.toBeNull();
  });

  it("waits grow 1 s, 2 s, 4 s … and are capped (15 min per pair, 1 min per address)", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => waitAfter(n, PAIR))).toEqual([0, 0, 0, 0, 1000, 2000, 4000, 8000]);
    expect(waitAfter(100, PAIR)).toBe(15 * 60_000);
    expect(waitAfter(19, ADDRESS)).toBe(0);
    expect(waitAfter(20, ADDRESS)).toBe(1000);
    expect(waitAfter(1000, ADDRESS)).toBe(60_000);
  });
});

describe("the session is read from the database", () => {
  it("a manager manages their teams and the sub-teams", async () => {
    const v = (await loadViewer(ids.manager, 0))!;
    expect(v.managedTeamIds.sort()).toEqual([ids.a, ids.a1].sort());
    expect(canSeePeople(v, ids.a1)).toBe(true);
    expect(canSeePeople(v, ids.b)).toBe(false);
  });

  it("a demotion reaches a live session within a minute, and at once on this instance", async () => {
    const t0 = 1_000_000;
    forgetViewer();
    expect((await loadViewer(ids.manager, t0))!.role).toBe("manager");
    const prisma = await db();
    // Changed behind the app's back (another instance): visible after the cache's 30 s.
    await prisma.user.update({ where: { id: ids.manager }, data: { role: "viewer" } });
    expect((await loadViewer(ids.manager, t0 + 10_000))!.role).toBe("manager");
    expect((await loadViewer(ids.manager, t0 + 31_000))!.role).toBe("viewer");
    // Changed through the admin page: this instance forgets its copy at once.
    await updateUser(ids.manager, { role: "manager" }, "test");
    expect((await loadViewer(ids.manager, t0 + 31_001))!.role).toBe("manager");
  });

  it("a disabled user has no session any more", async () => {
    const u = await saveUser({ email: "temp@example.com", role: "viewer" }, "test");
    expect(await loadViewer(u.id)).not.toBeNull();
    await updateUser(u.id, { disabled: true }, "test");
    expect(await loadViewer(u.id)).toBeNull();
  });

  it("the last active admin cannot be demoted or disabled", async () => {
    await expect(updateUser(ids.admin, { role: "viewer" }, "test")).rejects.toThrow(/last active admin/);
    await expect(updateUser(ids.admin, { disabled: true }, "test")).rejects.toThrow(/last active admin/);
    const other = await saveUser({ email: "admin2@example.com", role: "admin" }, "test");
    await updateUser(ids.admin, { role: "viewer" }, "test");
    await updateUser(ids.admin, { role: "admin" }, "test");
    await updateUser(other.id, { disabled: true }, "test");
    const log = await (await db()).auditLog.findMany({ where: { action: "user.update", targetId: String(ids.admin) } });
    expect(log.map((l) => (l.details as { role?: unknown }).role)).toEqual([{ from: "admin", to: "viewer" }, { from: "viewer", to: "admin" }]);
  });
});

describe("first sign-in by single sign-on", () => {
  it("creates the user with the default role", async () => {
    process.env.WAKEBOARD_OIDC_DEFAULT_ROLE = "manager";
    resetConfig();
    const r = await oidcUser({ email: "New.Person@Corp.example", name: "New Person", email_verified: true });
    expect(r).toHaveProperty("id");
    const u = await (await db()).user.findUniqueOrThrow({ where: { email: "new.person@corp.example" } });
    expect(u).toMatchObject({ role: "manager", name: "New Person", passwordHash: null });
    // The second sign-in finds the same user; a later change of the default does not touch it.
    process.env.WAKEBOARD_OIDC_DEFAULT_ROLE = "viewer";
    resetConfig();
    expect(await oidcUser({ email: "new.person@corp.example" })).toEqual({ id: u.id });
    expect((await (await db()).user.findUniqueOrThrow({ where: { id: u.id } })).role).toBe("manager");
  });

  it("refuses a domain outside WAKEBOARD_OIDC_ALLOWED_DOMAINS, and creates nothing", async () => {
    process.env.WAKEBOARD_OIDC_ALLOWED_DOMAINS = "corp.example, sub.corp.example";
    resetConfig();
    expect(await oidcUser({ email: "x@elsewhere.example" })).toEqual({ refused: "domain elsewhere.example not allowed" });
    expect(await (await db()).user.count({ where: { email: "x@elsewhere.example" } })).toBe(0);
    expect(await oidcUser({ email: "y@sub.corp.example" })).toHaveProperty("id");
  });

  it("lets in a user an admin created, whatever the domain; refuses unverified emails and disabled users", async () => {
    process.env.WAKEBOARD_OIDC_ALLOWED_DOMAINS = "corp.example";
    resetConfig();
    const invited = await saveUser({ email: "contractor@agency.example", role: "viewer" }, "test");
    expect(await oidcUser({ email: "contractor@agency.example" })).toEqual({ id: invited.id });
    expect(await oidcUser({ email: "z@corp.example", email_verified: false })).toEqual({ refused: "email not verified" });
    await updateUser(invited.id, { disabled: true }, "test");
    expect(await oidcUser({ email: "contractor@agency.example" })).toEqual({ refused: "user disabled" });
  });
});

describe("the Origin check", () => {
  const h = (o: Record<string, string>) => new Headers(o);
  it("accepts the same origin and refuses others", () => {
    expect(isSameOrigin(h({ host: "wb.example", origin: "https://wb.example" }))).toBe(true);
    expect(isSameOrigin(h({ host: "wb.example", origin: "https://evil.example" }))).toBe(false);
    expect(isSameOrigin(h({ host: "wb.example", origin: "null" }))).toBe(false);
    expect(isSameOrigin(h({ host: "wb.example", "sec-fetch-site": "cross-site" }))).toBe(false);
    expect(isSameOrigin(h({ host: "internal:3000", "x-forwarded-host": "wb.example", origin: "https://wb.example" }))).toBe(true);
  });
});

describe("the return path after sign-in", () => {
  it("keeps local paths and drops anything that leaves the site", async () => {
    const { safeCallbackUrl } = await import("@/lib/auth/callback-url");
    expect(safeCallbackUrl("/teams/infra?period=30d#people")).toBe("/teams/infra?period=30d#people");
    for (const bad of ["//evil.example/x", "/\\evil.example", "https://evil.example", "javascript:alert(1)", "", undefined, "/\t/evil.example"]) {
      expect(safeCallbackUrl(bad), JSON.stringify(bad)).toBe("/");
    }
  });
});
