import { z } from "zod";
import { vendorJson, VendorError } from "@/lib/connectors/http";
import type { PullContext, Vendor, VendorRecord } from "@/lib/connectors/types";

// Cursor's Admin API, daily usage data: for one UTC day,
//   POST {base}/teams/daily-usage-data  {"startDate": <epoch ms>, "endDate": <epoch ms>, "page", "pageSize"}
// with the Admin API key as the basic-auth user name. One row per member and day: requests by
// kind (composer/agent, chat, Cmd-K), lines added/deleted (in total and from accepted AI
// suggestions), applies, accepts and rejects, tabs shown and accepted, the most used model.
// Answers with `pagination.hasNextPage` are followed page by page. Mapping: docs/connectors.md.

const count = z.coerce.number().int().nonnegative().default(0);
const row = z
  .object({
    date: z.coerce.number(),
    email: z.string().nullish(),
    userId: z.union([z.string(), z.number()]).nullish(),
    isActive: z.boolean().default(true),
    totalLinesAdded: count,
    totalLinesDeleted: count,
    acceptedLinesAdded: count,
    acceptedLinesDeleted: count,
    totalApplies: count,
    totalAccepts: count,
    totalRejects: count,
    totalTabsShown: count,
    totalTabsAccepted: count,
    composerRequests: count,
    chatRequests: count,
    agentRequests: count,
    cmdkUsages: count,
    bugbotUsages: count,
    mostUsedModel: z.string().nullish(),
    clientVersion: z.string().nullish(),
  })
  .loose();

const answer = z.object({
  data: z.array(z.unknown()),
  pagination: z.object({ hasNextPage: z.boolean().default(false) }).loose().nullish(),
});

export const cursor: Vendor = {
  slug: "cursor",
  name: "Cursor (Admin API)",
  tool: "cursor",
  defaultBaseUrl: "https://api.cursor.com",
  scope: null,
  finalAfterDays: 2,
  maxHistoryDays: 90,
  credentialLabel: "Admin API key (key_…, created by a team admin under Settings → Cursor Admin API Keys)",
  async pullDay(ctx: PullContext, day: string): Promise<VendorRecord[]> {
    const start = Date.parse(`${day}T00:00:00Z`);
    const end = start + 86_400_000 - 1;
    const auth = `Basic ${Buffer.from(`${ctx.secret}:`).toString("base64")}`;
    const records = new Map<string, VendorRecord>();
    for (let page = 1; ; page++) {
      if (page > 10_000) throw new VendorError("Cursor kept answering hasNextPage", "bad-response");
      const body = answer.safeParse(
        await vendorJson(`${ctx.baseUrl.replace(/\/$/, "")}/teams/daily-usage-data`, {
          method: "POST",
          headers: { Authorization: auth, "Content-Type": "application/json", "User-Agent": "Wakeboard-connector" },
          body: JSON.stringify({ startDate: start, endDate: end, page, pageSize: 500 }),
        }, ctx.http),
      );
      if (!body.success) throw new VendorError(`Cursor's daily usage answer for ${day} has an unexpected shape`, "bad-response");
      for (const [i, raw] of body.data.data.entries()) {
        const p = row.safeParse(raw);
        if (!p.success) throw new VendorError(`row ${i + 1} of Cursor's daily usage for ${day} has an unexpected shape: ${p.error.issues[0].path.join(".")} ${p.error.issues[0].message}`, "bad-response");
        const u = p.data;
        // Rows of other days (a range answer) and members without activity are not usage.
        if (new Date(u.date).toISOString().slice(0, 10) !== day || !u.isActive || !u.email) continue;
        const email = u.email.toLowerCase();
        const requests = u.composerRequests + u.chatRequests + u.agentRequests + u.cmdkUsages;
        const rec = records.get(email) ?? { userKey: email, email, identities: [], events: [] };
        rec.events.push({
          part: `daily:${rec.events.length}`,
          model: u.mostUsedModel || undefined,
          invocations: requests,
          lines_added: u.acceptedLinesAdded,
          lines_removed: u.acceptedLinesDeleted,
          suggestions_shown: u.totalTabsShown,
          suggestions_accepted: u.totalTabsAccepted,
          tool_accepted: u.totalAccepts,
          tool_rejected: u.totalRejects,
          attributes: {
            composer_requests: u.composerRequests,
            chat_requests: u.chatRequests,
            agent_requests: u.agentRequests,
            cmdk_usages: u.cmdkUsages,
            applies: u.totalApplies,
            total_lines_added: u.totalLinesAdded,
            total_lines_deleted: u.totalLinesDeleted,
          },
        });
        records.set(email, rec);
      }
      if (!body.data.pagination?.hasNextPage) break;
    }
    return [...records.values()];
  },
};
