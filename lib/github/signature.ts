import { createHmac, timingSafeEqual } from "node:crypto";

// GitHub signs each delivery: X-Hub-Signature-256 = "sha256=" + hex HMAC-SHA256 of the raw
// body under the webhook's secret. Compared in constant time.

export function signBody(secret: string, body: Uint8Array | string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export function verifySignature(secret: string, body: Uint8Array, header: string | null): boolean {
  if (!header || !/^sha256=[0-9a-f]{64}$/i.test(header.trim())) return false;
  const expected = Buffer.from(signBody(secret, body), "utf8");
  const given = Buffer.from(header.trim().toLowerCase(), "utf8");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
