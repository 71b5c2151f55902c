import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { db } from "@/lib/db/client";
import { resetConfig } from "@/lib/config";
import { hashPassword } from "@/lib/auth/password";
import { authOptions } from "@/lib/auth/options";
import { requestListener } from "@/lib/http/request-listener";
import { CLIENT_ADDRESS_HEADER, clientAddress } from "@/lib/http/client-address";

// Issue 11 item 4: sign-in is throttled per (account, address) with growing waits and per
// address across accounts; the address is the connection's own unless it comes from a
// configured trusted proxy. The request goes through the production request listener (which
// resolves the address) and its headers reach next-auth's authorize() as next-auth passes them.

let database: TestDatabase;
let server: http.Server;
let port = 0;
/** The headers the listener passed on for the last request (what next-auth's authorize sees). */
let seen: http.IncomingHttpHeaders = {};

beforeAll(async () => {
  process.env.NEXTAUTH_SECRET = "test-secret-test-secret-test-secret";
  database = await createTestDatabase();
  const prisma = await db();
  const passwordHash = await hashPassword("correct horse");
  for (let i = 0; i < 30; i++) await prisma.user.create({ data: { email: `u${i}@example.com`, role: "viewer", passwordHash } });
  server = http.createServer(
    requestListener(
      (req, res) => {
        seen = { ...req.headers };
        res.end();
      },
      { fastLane: false },
    ),
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await database.drop();
});
afterEach(() => {
  delete process.env.WAKEBOARD_TRUSTED_PROXIES;
  resetConfig();
});

/** One request through the listener from `from` (a loopback address), with these headers: what authorize gets. */
function through(from: string, headers: Record<string, string> = {}): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: "/api/auth/callback/credentials", method: "POST", localAddress: from, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, String(v)]))));
    });
    req.on("error", reject);
    req.end();
  });
}

type Authorize = (c: Record<string, string>, req: { headers: Record<string, string> }) => Promise<{ id: string } | null>;
const authorizeFn = () => (authOptions().providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize;

/** A sign-in attempt: "ok", "wrong" or "throttled". */
async function signIn(email: string, password: string, headers: Record<string, string>): Promise<"ok" | "wrong" | "throttled"> {
  try {
    return (await authorizeFn()({ email, password }, { headers })) ? "ok" : "wrong";
  } catch (e) {
    if (/Too many failed sign-in attempts/.test(String(e))) return "throttled";
    throw e;
  }
}

describe("the client's address", () => {
  it("is the connection's, whatever X-Forwarded-For or our own header a client sends", async () => {
    const h = await through("127.0.0.3", { "x-forwarded-for": "203.0.113.7", [CLIENT_ADDRESS_HEADER]: "198.51.100.1" });
    expect(h[CLIENT_ADDRESS_HEADER]).toBe("127.0.0.3");
  });

  it("comes from X-Forwarded-For only through a trusted proxy: the right-most untrusted hop", async () => {
    process.env.WAKEBOARD_TRUSTED_PROXIES = "127.0.0.1, 10.0.0.0/8";
    resetConfig();
    expect((await through("127.0.0.1", { "x-forwarded-for": "1.2.3.4, 203.0.113.7, 10.1.2.3" }))[CLIENT_ADDRESS_HEADER]).toBe("203.0.113.7");
    // Not from a trusted proxy: ignored.
    expect((await through("127.0.0.4", { "x-forwarded-for": "203.0.113.7" }))[CLIENT_ADDRESS_HEADER]).toBe("127.0.0.4");
    expect(clientAddress("::ffff:127.0.0.1", "junk, 203.0.113.8")).toBe("203.0.113.8");
    expect(clientAddress("127.0.0.1", "203.0.113.8, junk")).toBe("127.0.0.1");
  });
});

describe("sign-in throttle", () => {
  it("an attacker rotating X-Forwarded-For is still throttled on the account", async () => {
    const answers: string[] = [];
    for (let i = 0; i < 12; i++) {
      const headers = await through("127.0.0.5", { "x-forwarded-for": `10.9.${i}.${i}` });
      answers.push(await signIn("u0@example.com", `guess-${i}`, headers));
    }
    // Five evaluated, then waits of 1 s, 2 s … refuse the rest without checking the password.
    expect(answers.slice(0, 5)).toEqual(Array(5).fill("wrong"));
    expect(answers.slice(5)).toEqual(Array(7).fill("throttled"));
    // The right password from that address waits too (else the wait would not slow guessing).
    expect(await signIn("u0@example.com", "correct horse", await through("127.0.0.5"))).toBe("throttled");
  });

  it("the owner with the right password from another address is not locked out", async () => {
    for (let i = 0; i < 8; i++) await signIn("u1@example.com", `guess-${i}`, await through("127.0.0.6"));
    expect(await signIn("u1@example.com", "correct horse", await through("127.0.0.6"))).toBe("throttled");
    expect(await signIn("u1@example.com", "correct horse", await through("127.0.0.7"))).toBe("ok");
  });

  it("spraying one password across accounts from one address is slowed after 20 failures", async () => {
    const answers: string[] = [];
    for (let i = 2; i < 30; i++) answers.push(await signIn(`u${i}@example.com`, "Summer2026!", await through("127.0.0.8")));
    expect(answers.slice(0, 20)).toEqual(Array(20).fill("wrong"));
    expect(answers.slice(20)).toEqual(Array(8).fill("throttled"));
    // Another address is not slowed by it.
    expect(await signIn("u29@example.com", "correct horse", await through("127.0.0.9"))).toBe("ok");
  });

  it("parallel guesses on one pair cannot all slip in before the first failure is written", async () => {
    const headers = await through("127.0.0.10");
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn("u2@example.com", `p-${i}`, headers)));
    expect(answers.filter((a) => a === "wrong").length).toBe(5);
  });

  it("an office behind one address signing in all morning never waits", async () => {
    for (let i = 0; i < 40; i++) expect(await signIn(`u${3 + (i % 5)}@example.com`, "correct horse", await through("127.0.0.11"))).toBe("ok");
  });
});
