import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { db } from "@/lib/db/client";
import { hashPassword } from "@/lib/auth/password";
import { authOptions } from "@/lib/auth/options";

// The session cookie's flags, from next-auth's own handler with our options: HttpOnly and
// SameSite=Lax always; Secure (with the __Secure- prefix) when the public URL is HTTPS.

// next-auth's package exports do not list ./core; load it by path, typed for what is used here.
interface Cookie {
  name: string;
  value: string;
  options: Record<string, unknown>;
}
type AuthHandlerFn = <B>(params: { req: Record<string, unknown>; options: unknown }) => Promise<{ body?: B; cookies?: Cookie[] }>;
const { AuthHandler } = createRequire(import.meta.url)("../node_modules/next-auth/core/index.js") as { AuthHandler: AuthHandlerFn };

let database: TestDatabase;
beforeAll(async () => {
  process.env.NEXTAUTH_SECRET = "test-secret-test-secret-test-secret";
  database = await createTestDatabase();
  await (await db()).user.create({ data: { email: "cookie@example.com", role: "viewer", passwordHash: await hashPassword("correct horse") } });
});
afterAll(() => database.drop());
afterEach(() => {
  delete process.env.NEXTAUTH_URL;
});

async function signInCookies(publicUrl: string) {
  process.env.NEXTAUTH_URL = publicUrl;
  const host = new URL(publicUrl).host;
  const headers = { host };
  const csrf = await AuthHandler<{ csrfToken: string }>({ req: { action: "csrf", method: "GET", headers, cookies: {}, query: {}, body: {} }, options: authOptions() });
  const csrfCookie = csrf.cookies!.find((c) => c.name.endsWith("next-auth.csrf-token"))!;
  const res = await AuthHandler({
    req: {
      action: "callback",
      providerId: "credentials",
      method: "POST",
      headers,
      cookies: { [csrfCookie.name]: csrfCookie.value },
      query: {},
      body: { csrfToken: csrf.body!.csrfToken, email: "cookie@example.com", password: "correct horse", json: "true" },
    },
    options: authOptions(),
  });
  return { csrfCookie, cookies: res.cookies ?? [] };
}

describe("session cookie flags", () => {
  it("behind HTTPS: __Secure- prefix, Secure, HttpOnly, SameSite=Lax", async () => {
    const { csrfCookie, cookies } = await signInCookies("https://wakeboard.example.com");
    const session = cookies.find((c) => c.name.includes("session-token"));
    expect(session?.name).toBe("__Secure-next-auth.session-token");
    expect(session?.options).toMatchObject({ httpOnly: true, sameSite: "lax", secure: true, path: "/" });
    expect(csrfCookie.name).toBe("__Host-next-auth.csrf-token");
    expect(csrfCookie.options).toMatchObject({ httpOnly: true, sameSite: "lax", secure: true });
  });

  it("over plain HTTP (local demo): HttpOnly and SameSite=Lax, not Secure", async () => {
    const { cookies } = await signInCookies("http://localhost:3000");
    const session = cookies.find((c) => c.name.includes("session-token"));
    expect(session?.name).toBe("next-auth.session-token");
    expect(session?.options).toMatchObject({ httpOnly: true, sameSite: "lax", secure: false });
  });
});
