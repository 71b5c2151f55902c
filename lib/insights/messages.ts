import { config } from "@/lib/config";

// What an alert says, in each channel: a subject and plain text for email (with a small
// HTML version), and a Slack-compatible JSON body ({text, blocks}) for webhooks. Alerts carry
// team-level figures only, never a person's.

export interface AlertContent {
  title: string;
  message: string;
  /** A path in the dashboard, e.g. /teams/payments. */
  link: string;
}

export interface Rendered {
  subject: string;
  text: string;
  html: string;
  body: SlackBody;
}

export interface SlackBody {
  text: string;
  blocks: unknown[];
}

export function publicUrl(): string {
  const c = config();
  return (c.NEXTAUTH_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, "");
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Slack's mrkdwn needs &, < and > escaped. */
export function escapeSlack(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function renderAlert(a: AlertContent, base = publicUrl()): Rendered {
  const url = `${base}${a.link}`;
  const alertsUrl = `${base}/alerts`;
  const text = [a.title, "", a.message, "", `Open in Wakeboard: ${url}`, "", `You receive this because you subscribed to this alert. Change what reaches you: ${base}/me/notifications`].join("\n");
  const html = `<!doctype html><html><body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;color:#0f172a;max-width:560px">
<h2 style="font-size:18px;margin:0 0 8px">${escapeHtml(a.title)}</h2>
<p style="margin:0 0 16px;color:#334155">${escapeHtml(a.message)}</p>
<p><a href="${escapeHtml(url)}" style="background:#2563eb;color:#fff;padding:8px 14px;border-radius:6px;text-decoration:none">Open in Wakeboard</a>
 &nbsp;<a href="${escapeHtml(alertsUrl)}">All alerts</a></p>
<p style="font-size:12px;color:#64748b">You receive this because you subscribed to this alert. <a href="${escapeHtml(base)}/me/notifications">Change what reaches you</a>.</p>
</body></html>`;
  return {
    subject: `[Wakeboard] ${a.title}`,
    text,
    html,
    body: {
      text: `${a.title}: ${a.message}`,
      blocks: [
        { type: "section", text: { type: "mrkdwn", text: `*${escapeSlack(a.title)}*\n${escapeSlack(a.message)}` } },
        { type: "context", elements: [{ type: "mrkdwn", text: `<${url}|Open in Wakeboard> · <${alertsUrl}|All alerts>` }] },
      ],
    },
  };
}
