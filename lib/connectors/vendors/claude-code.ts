import { z } from "zod";
import { vendorJson, VendorError } from "@/lib/connectors/http";
import type { EventDraft, PullContext, Vendor, VendorRecord } from "@/lib/connectors/types";

// Anthropic's Claude Code Analytics Admin API: one UTC day per request,
//   GET {base}/v1/organizations/usage_report/claude_code?starting_at=YYYY-MM-DD&limit=1000[&page=…]
// with `x-api-key: sk-ant-admin…` and `anthropic-version: 2023-06-01`; pages follow
// `has_more` / `next_page`. One row per actor (a user's email, or an API key's name) and day:
// sessions, lines, commits, pull requests, edit-tool accept/reject counts, and per model the
// tokens and the estimated cost (in cents). Mapping: docs/connectors.md.

const count = z.coerce.number().int().nonnegative().default(0);
const decision = z.object({ accepted: count, rejected: count }).partial().default({});

const row = z
  .object({
    date: z.string().optional(),
    actor: z.union([
      z.object({ type: z.literal("user_actor"), email_address: z.string() }).loose(),
      z.object({ type: z.literal("api_actor"), api_key_name: z.string() }).loose(),
    ]),
    customer_type: z.string().nullish(),
    terminal_type: z.string().nullish(),
    core_metrics: z
      .object({
        num_sessions: count,
        lines_of_code: z.object({ added: count, removed: count }).partial().default({}),
        commits_by_claude_code: count,
        pull_requests_by_claude_code: count,
      })
      .partial()
      .default({}),
    tool_actions: z.record(z.string(), decision).default({}),
    model_breakdown: z
      .array(
        z.object({
          model: z.string(),
          tokens: z
            .object({
              input: count,
              output: count,
              cache_read: count,
              // A number, or (newer answers) split by cache lifetime.
              cache_creation: z.union([count, z.record(z.string(), count).transform((o) => Object.values(o).reduce((a, b) => a + b, 0))]).default(0),
            })
            .partial()
            .default({}),
          estimated_cost: z.object({ currency: z.string().default("USD"), amount: z.coerce.number().nonnegative().default(0) }).partial().nullish(),
        }),
      )
      .default([]),
  })
  .loose();

const page = z.object({ data: z.array(z.unknown()), has_more: z.boolean().default(false), next_page: z.string().nullish() });

type Row = z.infer<typeof row>;

function eventsOf(r: Row): EventDraft[] {
  const where = r.terminal_type ?? "unknown";
  const decisions = Object.values(r.tool_actions);
  const core = r.core_metrics;
  const events: EventDraft[] = [
    {
      part: `activity:${where}`,
      invocations: core.num_sessions ?? 0,
      lines_added: core.lines_of_code?.added ?? 0,
      lines_removed: core.lines_of_code?.removed ?? 0,
      commits: core.commits_by_claude_code ?? 0,
      pull_requests: core.pull_requests_by_claude_code ?? 0,
      tool_accepted: decisions.reduce((a, d) => a + (d.accepted ?? 0), 0),
      tool_rejected: decisions.reduce((a, d) => a + (d.rejected ?? 0), 0),
      attributes: { terminal_type: where, customer_type: r.customer_type ?? null },
    },
  ];
  for (const m of r.model_breakdown) {
    events.push({
      part: `model:${where}:${m.model}`,
      model: m.model,
      invocations: 0,
      input_tokens: m.tokens.input ?? 0,
      output_tokens: m.tokens.output ?? 0,
      cache_read_tokens: m.tokens.cache_read ?? 0,
      cache_write_tokens: m.tokens.cache_creation ?? 0,
      // The API reports cents; Wakeboard stores dollars.
      ...(m.estimated_cost?.amount !== undefined ? { cost_usd: Math.round(m.estimated_cost.amount * 10_000) / 1_000_000 } : {}),
      attributes: { terminal_type: where },
    });
  }
  return events;
}

export const claudeCode: Vendor = {
  slug: "claude-code",
  name: "Claude Code (Analytics API)",
  tool: "claude-code",
  defaultBaseUrl: "https://api.anthropic.com",
  scope: null,
  finalAfterDays: 2,
  maxHistoryDays: 365,
  credentialLabel: "Admin API key (sk-ant-admin…, created by an organization admin in the Claude Console)",
  async pullDay(ctx: PullContext, day: string): Promise<VendorRecord[]> {
    const byActor = new Map<string, VendorRecord>();
    let cursor: string | null | undefined;
    for (let n = 0; ; n++) {
      if (n > 10_000) throw new VendorError("the Claude Code Analytics API kept answering has_more", "bad-response");
      const qs = new URLSearchParams({ starting_at: day, limit: "1000", ...(cursor ? { page: cursor } : {}) });
      const body = page.safeParse(
        await vendorJson(`${ctx.baseUrl.replace(/\/$/, "")}/v1/organizations/usage_report/claude_code?${qs}`, {
          headers: { "x-api-key": ctx.secret, "anthropic-version": "2023-06-01", "User-Agent": "Wakeboard-connector" },
        }, ctx.http),
      );
      if (!body.success) throw new VendorError(`the Claude Code Analytics API's answer for ${day} has an unexpected shape`, "bad-response");
      for (const [i, raw] of body.data.data.entries()) {
        const p = row.safeParse(raw);
        if (!p.success) throw new VendorError(`row ${i + 1} of the Claude Code report for ${day} has an unexpected shape: ${p.error.issues[0].path.join(".")} ${p.error.issues[0].message}`, "bad-response");
        const a = p.data.actor;
        const key = a.type === "user_actor" ? a.email_address.toLowerCase() : `api-key:${a.api_key_name}`;
        const rec = byActor.get(key) ?? {
          userKey: key,
          ...(a.type === "user_actor" ? { email: a.email_address.toLowerCase() } : {}),
          identities: a.type === "api_actor" ? [{ kind: "anthropic.api_key_name", value: a.api_key_name }] : [],
          events: [],
        };
        rec.events.push(...eventsOf(p.data));
        byActor.set(key, rec);
      }
      if (!body.data.has_more || !body.data.next_page) break;
      cursor = body.data.next_page;
    }
    return [...byActor.values()];
  },
};
