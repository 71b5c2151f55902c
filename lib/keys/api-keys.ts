import { createHash, randomBytes } from "node:crypto";
import { assertSafeText } from "@/lib/text/safe-text";
import { crc32 } from "node:zlib";
import { db } from "@/lib/db/client";

// API keys: `wkb_` + 32 random base62 characters + a 6-character checksum (CRC32 of the
// random part), so a secret scanner can tell a real key from noise offline. Only a SHA-256
// of the whole key is stored; the first 12 characters are kept as a visible prefix.

export const SCOPES = ["ingest", "read", "export", "metrics"] as const;
export type Scope = (typeof SCOPES)[number];

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const KEY_RE = /^wkb_([0-9A-Za-z]{32})([0-9A-Za-z]{6})$/;

function base62(bytes: Buffer, length: number): string {
  let n = BigInt("0x" + bytes.toString("hex"));
  let out = "";
  for (let i = 0; i < length; i++) {
    out = ALPHABET[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out;
}

const checksum = (body: string) => base62(Buffer.from(crc32(body).toString(16).padStart(8, "0"), "hex"), 6);

export function generateKeySecret(): string {
  const body = base62(randomBytes(24), 32);
  return `wkb_${body}${checksum(body)}`;
}

/** True when the string has a key's shape and a valid checksum (no database needed). */
export function looksLikeKey(secret: string): boolean {
  const m = KEY_RE.exec(secret);
  return !!m && checksum(m[1]) === m[2];
}

export const hashKey = (secret: string) => createHash("sha256").update(secret).digest("hex");

export interface ApiKeyInfo {
  id: number;
  name: string;
  prefix: string;
  scopes: Scope[];
  teamId: number | null;
  rateLimit: number | null;
}

const touched = new Map<number, number>();

type KeyRow = Awaited<ReturnType<Awaited<ReturnType<typeof db>>["apiKey"]["findMany"]>>[number];
interface Lookup {
  hash: string;
  resolve: (row: KeyRow | undefined) => void;
  reject: (e: unknown) => void;
}
const lookups: Lookup[] = [];
let lookingUp = false;

/**
 * Finds keys by hash, batching lookups that arrive while one is running into a single
 * query. Every request still reads the key's current row (no cache), so a revocation
 * takes effect for the next request; under load this is one query per batch, not per request.
 */
function findByHash(hash: string): Promise<KeyRow | undefined> {
  return new Promise((resolve, reject) => {
    lookups.push({ hash, resolve, reject });
    if (!lookingUp) void drainLookups();
  });
}

async function drainLookups(): Promise<void> {
  lookingUp = true;
  try {
    while (lookups.length) {
      const batch = lookups.splice(0, 500);
      try {
        const prisma = await db();
        const rows = await prisma.apiKey.findMany({ where: { secretHash: { in: [...new Set(batch.map((l) => l.hash))] } } });
        const byHash = new Map(rows.map((r) => [r.secretHash, r]));
        for (const l of batch) l.resolve(byHash.get(l.hash));
      } catch (e) {
        for (const l of batch) l.reject(e);
      }
    }
  } finally {
    lookingUp = false;
  }
}

/** The key behind a secret, or null when it is malformed, unknown or revoked (the caller answers one 401 for all). */
export async function verifyKey(secret: string): Promise<ApiKeyInfo | null> {
  if (!looksLikeKey(secret)) return null;
  const prisma = await db();
  const key = await findByHash(hashKey(secret));
  if (!key || key.revokedAt) return null;
  // last_used_at is written at most once a minute: this instance asks at most once a
  // minute per key, and the condition keeps other instances from writing it again.
  const now = Date.now();
  if (now - (touched.get(key.id) ?? 0) > 60_000) {
    touched.set(key.id, now);
    const minuteAgo = new Date(now - 60_000);
    await prisma.apiKey.updateMany({ where: { id: key.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: minuteAgo } }] }, data: { lastUsedAt: new Date(now) } });
  }
  return { id: key.id, name: key.name, prefix: key.prefix, scopes: key.scopes as Scope[], teamId: key.teamId, rateLimit: key.rateLimit };
}

export interface CreatedKey {
  id: number;
  secret: string;
  prefix: string;
}

export async function createKey(input: { name: string; scopes: Scope[]; teamId?: number | null; rateLimit?: number | null; actor: string }): Promise<CreatedKey> {
  assertSafeText(input.name, "key name", (m) => new RangeError(m));
  const secret = generateKeySecret();
  const prefix = secret.slice(0, 12);
  const prisma = await db();
  const key = await prisma.$transaction(async (tx) => {
    const k = await tx.apiKey.create({
      data: { name: input.name, prefix, secretHash: hashKey(secret), scopes: input.scopes, teamId: input.teamId ?? null, rateLimit: input.rateLimit ?? null, createdBy: input.actor },
    });
    await tx.auditLog.create({ data: { actor: input.actor, action: "key.create", targetType: "api_key", targetId: String(k.id), details: { name: k.name, prefix, scopes: input.scopes, teamId: k.teamId } } });
    return k;
  });
  return { id: key.id, secret, prefix };
}

export async function revokeKey(id: number, actor: string): Promise<boolean> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count) await tx.auditLog.create({ data: { actor, action: "key.revoke", targetType: "api_key", targetId: String(id) } });
    return count > 0;
  });
}
