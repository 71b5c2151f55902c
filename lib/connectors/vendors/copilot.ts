import { z } from "zod";
import { vendorFetch, VendorError } from "@/lib/connectors/http";
import type { EventDraft, PullContext, Vendor, VendorRecord } from "@/lib/connectors/types";

// GitHub Copilot usage metrics (REST, API version 2022-11-28): for one day,
//   GET {base}/{orgs/ORG | enterprises/ENT}/copilot/metrics/reports/users-1-day?day=YYYY-MM-DD
//   GET {base}/{…}/copilot/metrics/reports/user-teams-1-day?day=YYYY-MM-DD
// each answer {"download_links": [signed URLs], "report_day"}; the files are NDJSON, one row per
// user (users-1-day) or per user × team (user-teams-1-day). A signed link expires: on 403/404
// from the file host the report endpoint is asked again for fresh links. Field meanings:
// docs/connectors.md.

const counters = {
  user_initiated_interaction_count: z.number().int().nonnegative().default(0),
  code_generation_activity_count: z.number().int().nonnegative().default(0),
  code_acceptance_activity_count: z.number().int().nonnegative().default(0),
  loc_added_sum: z.number().int().nonnegative().default(0),
  loc_deleted_sum: z.number().int().nonnegative().default(0),
};

const userRow = z.object({
  day: z.string(),
  user_id: z.union([z.number(), z.string()]).transform(String),
  user_login: z.string(),
  ...counters,
  totals_by_feature: z.array(z.object({ feature: z.string(), ...counters })).default([]),
  totals_by_model_feature: z.array(z.object({ model: z.string(), feature: z.string() }).loose()).default([]),
  totals_by_ide: z.array(z.object({ ide: z.string() }).loose()).default([]),
  totals_by_cli: z
    .object({
      request_count: z.number().int().nonnegative().default(0),
      prompt_count: z.number().int().nonnegative().default(0),
      session_count: z.number().int().nonnegative().default(0),
      token_usage: z.object({ output_tokens_sum: z.number().int().nonnegative().default(0), prompt_tokens_sum: z.number().int().nonnegative().default(0) }).loose().optional(),
    })
    .loose()
    .optional(),
}).loose();

const teamRow = z.object({ user_id: z.union([z.number(), z.string()]).transform(String), slug: z.string() }).loose();
const reportAnswer = z.object({ download_links: z.array(z.string()), report_day: z.string().optional() });

type UserRow = z.infer<typeof userRow>;

const headers = (secret: string) => ({
  Accept: "application/vnd.github+json",
  Authorization: `Bearer ${secret}`,
  "X-GitHub-Api-Version": "2022-11-28",
  "User-Agent": "Wakeboard-connector",
});

/** Downloads every file of one report for `day`, asking for fresh links once if one expired. */
async function report(ctx: PullContext, name: "users-1-day" | "user-teams-1-day", day: string): Promise<unknown[]> {
  const url = `${ctx.baseUrl.replace(/\/$/, "")}/${ctx.scope}/copilot/metrics/reports/${name}?day=${day}`;
  for (let round = 1; ; round++) {
    const res = await vendorFetch(url, { headers: headers(ctx.secret) }, ctx.http);
    if (res.status === 204) return []; // no report for that day (yet)
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new VendorError(`GitHub's ${name} answer for ${day} is not JSON`, "bad-response");
    }
    const answer = reportAnswer.safeParse(body);
    if (!answer.success) throw new VendorError(`GitHub's ${name} answer for ${day} has an unexpected shape`, "bad-response");
    const rows: unknown[] = [];
    try {
      for (const link of answer.data.download_links) {
        // Signed links carry their own authorization: never send the token to the file host.
        const res = await vendorFetch(link, { headers: { "User-Agent": "Wakeboard-connector" } }, ctx.http);
        for (const line of (await res.text()).split("\n")) if (line.trim()) rows.push(JSON.parse(line));
      }
      return rows;
    } catch (e) {
      const expired = e instanceof VendorError && (e.kind === "forbidden" || e.kind === "not-found" || e.kind === "credentials");
      if (!expired || round >= 2) throw expired ? new VendorError(`a download link of GitHub's ${name} report for ${day} was refused twice (expired?)`, "link-expired") : e;
    }
  }
}

function eventsOf(row: UserRow): EventDraft[] {
  const events: EventDraft[] = [];
  const features = row.totals_by_feature.length ? row.totals_by_feature : [{ ...row, feature: "all" }];
  for (const f of features) {
    // A shown completion is one use of the model; elsewhere a use is a prompt the user sent.
    const completion = f.feature === "code_completion";
    const models = [...new Set(row.totals_by_model_feature.filter((m) => m.feature === f.feature).map((m) => m.model))];
    const e: EventDraft = {
      part: f.feature,
      model: models.length === 1 ? models[0] : undefined,
      invocations: completion ? f.code_generation_activity_count : f.user_initiated_interaction_count,
      lines_added: f.loc_added_sum,
      lines_removed: f.loc_deleted_sum,
      suggestions_shown: f.code_generation_activity_count,
      suggestions_accepted: f.code_acceptance_activity_count,
      attributes: { feature: f.feature },
    };
    if (e.invocations || e.lines_added || e.lines_removed || e.suggestions_shown || e.suggestions_accepted) events.push(e);
  }
  const cli = row.totals_by_cli;
  if (cli && (cli.request_count || cli.token_usage?.prompt_tokens_sum || cli.token_usage?.output_tokens_sum)) {
    events.push({
      part: "cli",
      invocations: cli.request_count,
      input_tokens: cli.token_usage?.prompt_tokens_sum ?? 0,
      output_tokens: cli.token_usage?.output_tokens_sum ?? 0,
      attributes: { feature: "cli", sessions: cli.session_count },
    });
  }
  return events;
}

export const copilot: Vendor = {
  slug: "copilot",
  name: "GitHub Copilot",
  tool: "copilot",
  defaultBaseUrl: "https://api.github.com",
  scope: { label: "Organization or enterprise", example: "orgs/acme or enterprises/acme", pattern: /^(orgs|enterprises)\/[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/ },
  finalAfterDays: 3,
  maxHistoryDays: 365,
  credentialLabel: "GitHub token (fine-grained: Organization Copilot metrics read, or classic: manage_billing:copilot / read:enterprise)",
  async pullDay(ctx: PullContext, day: string): Promise<VendorRecord[]> {
    const users = (await report(ctx, "users-1-day", day)).map((r, i) => {
      const p = userRow.safeParse(r);
      if (!p.success) throw new VendorError(`row ${i + 1} of GitHub's users-1-day report for ${day} has an unexpected shape: ${p.error.issues[0].path.join(".")} ${p.error.issues[0].message}`, "bad-response");
      return p.data;
    });
    // Team membership is informational (Wakeboard attributes by its own roster); a report
    // that is not available to this token or plan does not stop the pull.
    const teams = new Map<string, string[]>();
    try {
      for (const r of await report(ctx, "user-teams-1-day", day)) {
        const t = teamRow.safeParse(r);
        if (t.success) teams.set(t.data.user_id, [...(teams.get(t.data.user_id) ?? []), t.data.slug]);
      }
    } catch (e) {
      if (!(e instanceof VendorError) || (e.kind !== "not-found" && e.kind !== "forbidden")) throw e;
    }
    return users
      .filter((u) => u.day === day)
      .map((u) => {
        const slugs = teams.get(u.user_id);
        const events = eventsOf(u).map((e) => (slugs ? { ...e, attributes: { ...e.attributes, github_teams: slugs.sort().join(",").slice(0, 1024) } } : e));
        return { userKey: u.user_id, identities: [{ kind: "github.login", value: u.user_login.toLowerCase() }], events };
      });
  },
};
