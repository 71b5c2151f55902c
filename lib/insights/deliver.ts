import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { DeliveryError, postWebhook, sendEmail } from "@/lib/insights/send";

// Sends what is due in the delivery log, and retries with exponential backoff: attempt n
// failed → the next one waits WAKEBOARD_DELIVERY_BACKOFF_S × 2^(n−1) (at most an hour); after
// WAKEBOARD_DELIVERY_ATTEMPTS attempts, or an error retrying cannot fix, it is marked failed.
// Each attempt is claimed first (its row moves on only if nobody else moved it), so two
// instances never send the same attempt twice.

const LEASE_MS = 5 * 60_000;
const MAX_BACKOFF_MS = 3_600_000;

export function backoffMs(attempt: number, baseS = config().WAKEBOARD_DELIVERY_BACKOFF_S): number {
  return Math.min(baseS * 1000 * 2 ** (attempt - 1), MAX_BACKOFF_MS);
}

export interface DeliverResult {
  sent: number;
  retrying: number;
  failed: number;
}

export async function deliverDue(opts: { now?: Date; limit?: number } = {}): Promise<DeliverResult> {
  const now = opts.now ?? new Date();
  const prisma = await db();
  const due = await prisma.delivery.findMany({ where: { status: "pending", nextAttemptAt: { lte: now } }, orderBy: { id: "asc" }, take: opts.limit ?? 100 });
  const result: DeliverResult = { sent: 0, retrying: 0, failed: 0 };
  const webhookIds = [...new Set(due.flatMap((d) => (d.webhookId === null ? [] : [d.webhookId])))];
  const webhooks = new Map((webhookIds.length ? await prisma.webhook.findMany({ where: { id: { in: webhookIds } } }) : []).map((w) => [w.id, w]));
  for (const d of due) {
    const claimed = await prisma.delivery.updateMany({
      where: { id: d.id, status: "pending", attempts: d.attempts, nextAttemptAt: d.nextAttemptAt },
      data: { nextAttemptAt: new Date(now.getTime() + LEASE_MS) },
    });
    if (claimed.count !== 1) continue;
    const attempt = d.attempts + 1;
    try {
      let status: number | null = null;
      if (d.channel === "email") await sendEmail({ to: d.target, subject: d.subject, text: d.text, html: d.html });
      else {
        const hook = d.webhookId === null ? undefined : webhooks.get(d.webhookId);
        if (!hook || hook.disabledAt) throw new DeliveryError("the webhook was removed or disabled", undefined, true);
        status = await postWebhook({ url: hook.url, secret: hook.secret, body: d.body, event: d.kind, deliveryId: String(d.id), now });
      }
      await prisma.delivery.update({ where: { id: d.id }, data: { status: "sent", attempts: attempt, sentAt: new Date(), lastStatus: status, lastError: null } });
      result.sent++;
    } catch (e) {
      const err = e instanceof DeliveryError ? e : new DeliveryError((e as Error).message ?? String(e));
      const final = err.permanent || attempt >= config().WAKEBOARD_DELIVERY_ATTEMPTS;
      await prisma.delivery.update({
        where: { id: d.id },
        data: {
          status: final ? "failed" : "pending",
          attempts: attempt,
          lastError: err.message.slice(0, 500),
          lastStatus: err.status ?? null,
          nextAttemptAt: final ? now : new Date(now.getTime() + backoffMs(attempt)),
        },
      });
      log.warn({ delivery: String(d.id), channel: d.channel, attempt, final, err: err.message }, final ? "delivery failed" : "delivery failed; will retry");
      if (final) result.failed++;
      else result.retrying++;
    }
  }
  return result;
}
