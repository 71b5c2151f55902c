import fs from "node:fs";
import path from "node:path";
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { config } from "@/lib/config";

// Connector credentials are sealed at rest with AES-256-GCM (node:crypto). The 256-bit key is
// derived with HKDF-SHA256 from WAKEBOARD_SECRET_KEY, so any long random string works. The
// embedded demo (no DATABASE_URL) generates one under .data/ (mode 0600) like its other
// secrets; a server database requires it to be set. A sealed value reads
// "v1.<iv>.<tag>.<ciphertext>" (base64url); the GCM tag makes tampering or a wrong key an
// error instead of garbage.

export class SecretKeyMissingError extends Error {
  constructor() {
    super("WAKEBOARD_SECRET_KEY is not set: connectors need it to encrypt their credentials (e.g. `openssl rand -base64 32`)");
  }
}

export class SecretUnreadableError extends Error {
  constructor() {
    super("the stored credentials cannot be decrypted: WAKEBOARD_SECRET_KEY changed since they were saved; enter them again");
  }
}

const KEY_FILE = "secret-key";

/** WAKEBOARD_SECRET_KEY, else (embedded database only) one generated once under the data folder. */
export function secretKeyMaterial(): string {
  const c = config();
  if (c.WAKEBOARD_SECRET_KEY) return c.WAKEBOARD_SECRET_KEY;
  if (!c.embedded) throw new SecretKeyMissingError();
  const p = path.join(c.dataDir, KEY_FILE);
  if (!fs.existsSync(p)) {
    fs.mkdirSync(c.dataDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(p, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
  }
  return fs.readFileSync(p, "utf8").trim();
}

function key(material: string): Buffer {
  return Buffer.from(hkdfSync("sha256", material, "wakeboard", "connector-credentials v1", 32));
}

export function seal(plain: string, material = secretKeyMaterial()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(material), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

export function unseal(sealed: string, material = secretKeyMaterial()): string {
  const [v, iv, tag, body] = sealed.split(".");
  if (v !== "v1" || !iv || !tag || body === undefined) throw new SecretUnreadableError();
  try {
    const decipher = createDecipheriv("aes-256-gcm", key(material), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretUnreadableError();
  }
}
