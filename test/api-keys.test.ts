import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { db } from "@/lib/db/client";
import { createKey, generateKeySecret, hashKey, looksLikeKey, revokeKey, verifyKey } from "@/lib/keys/api-keys";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

describe("API key format", () => {
  it("is wkb_ + 32 base62 characters + a 6-character checksum a scanner can check offline", () => {
    const secret = generateKeySecret();
    expect(secret).toMatch(/^wkb_[0-9A-Za-z]{38}$/);
    expect(looksLikeKey(secret)).toBe(true);
    // Any one changed character breaks the checksum.
    for (const i of [4, 20, 35, 41]) {
      const c = secret[i] === "a" ? "b" : "a";
      expect(looksLikeKey(secret.slice(0, i) + c + secret.slice(i + 1))).toBe(false);
    }
    expect(looksLikeKey("wkb_short")).toBe(false);
    expect(new Set(Array.from({ length: 200 }, generateKeySecret)).size).toBe(200);
  });
});

describe("API keys in the database", () => {
  it("stores only a hash and a prefix, and audits create and revoke", async () => {
    const prisma = await db();
    const k = await createKey({ name: "ci", scopes: ["ingest", "read"], actor: "test" });
    const row = await prisma.apiKey.findUniqueOrThrow({ where: { id: k.id } });
    expect(row.secretHash).toBe(hashKey(k.secret));
    expect(JSON.stringify(row)).not.toContain(k.secret);
    expect(k.secret.startsWith(row.prefix)).toBe(true);
    expect(await revokeKey(k.id, "test")).toBe(true);
    expect(await revokeKey(k.id, "test")).toBe(false);
    const audit = await prisma.auditLog.findMany({ where: { targetId: String(k.id) }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["key.create", "key.revoke"]);
    expect(JSON.stringify(audit.map((a) => a.details))).not.toContain(k.secret);
  });

  it("verifies a live key and refuses unknown and revoked ones alike", async () => {
    const k = await createKey({ name: "v", scopes: ["ingest"], actor: "test" });
    expect(await verifyKey(k.secret)).toMatchObject({ id: k.id, scopes: ["ingest"] });
    expect(await verifyKey(generateKeySecret())).toBeNull();
    await revokeKey(k.id, "test");
    expect(await verifyKey(k.secret)).toBeNull();
  });

  it("answers many concurrent verifications correctly (they share lookups)", async () => {
    const live = await Promise.all(Array.from({ length: 5 }, (_, i) => createKey({ name: `c${i}`, scopes: ["ingest"], actor: "test" })));
    const dead = await createKey({ name: "dead", scopes: ["ingest"], actor: "test" });
    await revokeKey(dead.id, "test");
    const asks = Array.from({ length: 200 }, (_, i) => (i % 7 === 0 ? dead.secret : i % 11 === 0 ? generateKeySecret() : live[i % 5].secret));
    const answers = await Promise.all(asks.map(verifyKey));
    answers.forEach((a, i) => {
      if (i % 7 === 0 || i % 11 === 0) expect(a).toBeNull();
      else expect(a?.id).toBe(live[i % 5].id);
    });
  });

  it("writes last_used_at at most once a minute", async () => {
    const prisma = await db();
    const k = await createKey({ name: "lu", scopes: ["ingest"], actor: "test" });
    await verifyKey(k.secret);
    const first = (await prisma.apiKey.findUniqueOrThrow({ where: { id: k.id } })).lastUsedAt;
    expect(first).not.toBeNull();
    await verifyKey(k.secret);
    expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: k.id } })).lastUsedAt).toEqual(first);
  });
});
