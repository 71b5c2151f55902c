import { createHmac } from "node:crypto";
import nodemailer, { type Transporter } from "nodemailer";
import { config } from "@/lib/config";

// The two ways a message leaves Wakeboard. Email goes through SMTP with nodemailer
// (WAKEBOARD_SMTP_URL, from WAKEBOARD_MAIL_FROM). Webhooks get a Slack-compatible JSON body,
// signed: X-Wakeboard-Signature is "sha256=" + hex HMAC-SHA256 of "<timestamp>.<body>" with
// the webhook's secret, and X-Wakeboard-Timestamp carries that timestamp (Unix seconds), so a
// receiver can check both who sent it and that it is not a replay.

export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    /** Retrying cannot help (e.g. email is not configured). */
    readonly permanent = false,
  ) {
    super(message);
  }
}

let transport: { url: string; t: Transporter } | undefined;

function mailer(): Transporter {
  const url = config().WAKEBOARD_SMTP_URL;
  if (!url) throw new DeliveryError("email is off: set WAKEBOARD_SMTP_URL", undefined, true);
  if (transport?.url !== url) transport = { url, t: nodemailer.createTransport(url, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 }) };
  return transport.t;
}

export async function sendEmail(m: { to: string; subject: string; text: string; html?: string | null }): Promise<void> {
  try {
    await mailer().sendMail({ from: config().WAKEBOARD_MAIL_FROM, to: m.to, subject: m.subject, text: m.text, html: m.html ?? undefined });
  } catch (e) {
    if (e instanceof DeliveryError) throw e;
    const err = e as { message?: string; responseCode?: number };
    // 5xx from the server about this recipient will not get better by retrying.
    throw new DeliveryError(err.message ?? String(e), err.responseCode, err.responseCode !== undefined && err.responseCode >= 550 && err.responseCode < 560);
  }
}

export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export async function postWebhook(h: { url: string; secret: string; body: unknown; event: string; deliveryId: string; now?: Date }): Promise<number> {
  const text = JSON.stringify(h.body);
  const timestamp = String(Math.floor((h.now ?? new Date()).getTime() / 1000));
  let res: Response;
  try {
    res = await fetch(h.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Wakeboard-Webhook/1",
        "x-wakeboard-event": h.event,
        "x-wakeboard-delivery": h.deliveryId,
        "x-wakeboard-timestamp": timestamp,
        "x-wakeboard-signature": signature(h.secret, timestamp, text),
      },
      body: text,
      redirect: "manual",
      signal: AbortSignal.timeout(10_000),
    });
  } catch (e) {
    throw new DeliveryError(`request failed: ${(e as Error).message}`);
  }
  await res.body?.cancel().catch(() => {});
  if (res.status < 200 || res.status >= 300) throw new DeliveryError(`receiver answered ${res.status}`, res.status, res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429);
  return res.status;
}
