import fs from "node:fs";
import path from "node:path";
import { createHmac, randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { POST } from "@/app/api/v1/github/webhook/route";

// Recorded GitHub webhook payloads (test/fixtures/github, shaped as GitHub's webhook
// reference documents them), signed here as GitHub signs them: HMAC-SHA256 of the raw body.

export const WEBHOOK_SECRET = "test-webhook-secret-0123456789";

export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "../fixtures/github", name), "utf8")) as T;
}

export const hmac = (secret: string, body: string) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

export async function deliver(
  event: string,
  payload: unknown,
  opts: { delivery?: string; signature?: string | null; secret?: string; body?: string; contentType?: string } = {},
) {
  const body = opts.body ?? JSON.stringify(payload);
  const headers: Record<string, string> = {
    "content-type": opts.contentType ?? "application/json",
    "user-agent": "GitHub-Hookshot/abc1234",
    "x-github-event": event,
    "x-github-delivery": opts.delivery ?? randomUUID(),
    "x-github-hook-id": "123456789",
  };
  const signature = opts.signature === undefined ? hmac(opts.secret ?? WEBHOOK_SECRET, body) : opts.signature;
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  const res = await POST(new NextRequest("http://localhost/api/v1/github/webhook", { method: "POST", body, headers }), { params: Promise.resolve({}) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, delivery: headers["x-github-delivery"] };
}
