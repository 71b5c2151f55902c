import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { ApiError, badRequest } from "@/lib/http/errors";
import { readLimited } from "@/lib/ingest/body";
import { verifySignature } from "@/lib/github/signature";
import { deliveryHeader } from "@/lib/github/payloads";

// The receiving half of POST /api/v1/github/webhook: verify the signature, then record the
// delivery under its X-GitHub-Delivery id and answer at once; lib/github/worker.ts processes
// it. Nothing is stored unless the signature is right; a redelivery is recognised by its id.

/** GitHub caps webhook payloads at 25 MB. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

export interface Received {
  delivery: string;
  status: "queued" | "duplicate";
}

export async function receiveGithubWebhook(headers: Headers, body: ReadableStream<Uint8Array> | null): Promise<Received> {
  const secret = config().WAKEBOARD_GITHUB_WEBHOOK_SECRET;
  // Without a secret no delivery can prove itself: refused like a bad signature, with a hint.
  if (!secret) throw new ApiError(401, "not_configured", "GitHub webhooks are off: set WAKEBOARD_GITHUB_WEBHOOK_SECRET to the webhook's secret (docs/github.md)");
  const raw = await readLimited(body, headers.get("content-length"), MAX_WEBHOOK_BYTES);
  if (!verifySignature(secret, raw, headers.get("x-hub-signature-256"))) {
    throw new ApiError(401, "bad_signature", "X-Hub-Signature-256 is missing or does not match the body under the configured secret");
  }
  const event = headers.get("x-github-event")?.trim();
  const delivery = headers.get("x-github-delivery")?.trim();
  if (!event || !/^[a-z_]{1,64}$/.test(event)) throw badRequest("X-GitHub-Event is missing or malformed");
  if (!delivery || delivery.length > 100) throw badRequest("X-GitHub-Delivery is missing or malformed");

  const text = Buffer.from(raw).toString("utf8");
  const type = (headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  let payload: unknown;
  try {
    payload = JSON.parse(type === "application/x-www-form-urlencoded" ? (new URLSearchParams(text).get("payload") ?? "") : text);
  } catch {
    throw badRequest("The body is not a JSON webhook payload (content type application/json or form-encoded payload=…)");
  }
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) throw badRequest("The webhook payload must be a JSON object");
  const head = deliveryHeader.safeParse(payload);
  const action = head.success ? (head.data.action ?? null) : null;
  const repo = head.success ? (head.data.repository?.full_name?.toLowerCase() ?? null) : null;

  const prisma = await db();
  const inserted = await prisma.$executeRaw`
    INSERT INTO github_deliveries (id, event, action, repo, payload) VALUES (${delivery}, ${event}, ${action}, ${repo}, ${JSON.stringify(payload)}::jsonb)
    ON CONFLICT (id) DO NOTHING`;
  return { delivery, status: inserted ? "queued" : "duplicate" };
}
