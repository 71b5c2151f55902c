import { json, VendorMock, type Answer, type MockRequest } from "@/test/mocks/vendor-mock";
import { rng } from "@/lib/seed/random";

// A local Anthropic Admin API for the Claude Code Analytics report, shaped after Anthropic's
// reference (GET /v1/organizations/usage_report/claude_code: starting_at = one UTC day,
// limit ≤ 1000, opaque `page` cursors, `has_more` / `next_page`; errors as
// {"type":"error","error":{"type","message"}}). `pageSize` caps a page below the asked limit
// so a handful of rows already spans several pages.

export interface ClaudeCodeRow {
  date: string;
  actor: { type: "user_actor"; email_address: string } | { type: "api_actor"; api_key_name: string };
  organization_id: string;
  customer_type: "api" | "subscription";
  terminal_type: string;
  core_metrics: { num_sessions: number; lines_of_code: { added: number; removed: number }; commits_by_claude_code: number; pull_requests_by_claude_code: number };
  tool_actions: Record<"edit_tool" | "multi_edit_tool" | "write_tool" | "notebook_edit_tool", { accepted: number; rejected: number }>;
  model_breakdown: { model: string; tokens: { input: number; output: number; cache_read: number; cache_creation: number }; estimated_cost: { currency: "USD"; amount: number } }[];
}

const error = (status: number, type: string, message: string, headers: Record<string, string> = {}) => json(status, { type: "error", error: { type, message } }, headers);

export class ClaudeCodeMock extends VendorMock {
  key = "sk-ant-admin01-mockKey0123456789";
  rows = new Map<string, ClaudeCodeRow[]>();
  pageSize = 3;

  constructor() {
    super((req) => this.answer(req));
  }

  private answer(req: MockRequest): Answer {
    if (req.path !== "/v1/organizations/usage_report/claude_code") return error(404, "not_found_error", "Not found");
    if (req.headers["x-api-key"] !== this.key) return error(401, "authentication_error", "invalid x-api-key");
    if (req.headers["anthropic-version"] !== "2023-06-01") return error(400, "invalid_request_error", "anthropic-version header is required");
    const day = req.query.get("starting_at") ?? "";
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return error(400, "invalid_request_error", "starting_at: must be a date in YYYY-MM-DD format");
    const limit = Math.min(Number(req.query.get("limit") ?? 20), 1000, this.pageSize);
    const rows = this.rows.get(day) ?? [];
    const offset = req.query.get("page") ? Number(Buffer.from(req.query.get("page")!, "base64url").toString().replace(/^off:/, "")) : 0;
    const slice = rows.slice(offset, offset + limit);
    const more = offset + limit < rows.length;
    return json(200, { data: slice, has_more: more, next_page: more ? Buffer.from(`off:${offset + limit}`).toString("base64url") : null });
  }
}

export function claudeCodeRow(r: () => number, day: string, actor: ClaudeCodeRow["actor"], terminal = "vscode"): ClaudeCodeRow {
  const n = (max: number) => Math.floor(r() * max);
  const models = ["claude-sonnet-4-5-20250929", "claude-opus-4-1-20250805", "claude-haiku-4-5-20251001"].filter((_, i) => i === 0 || r() < 0.4);
  const tool = () => ({ accepted: n(40), rejected: n(8) });
  return {
    date: `${day}T00:00:00Z`,
    actor,
    organization_id: "org-mock",
    customer_type: r() < 0.7 ? "subscription" : "api",
    terminal_type: terminal,
    core_metrics: { num_sessions: 1 + n(12), lines_of_code: { added: n(900), removed: n(300) }, commits_by_claude_code: n(6), pull_requests_by_claude_code: n(3) },
    tool_actions: { edit_tool: tool(), multi_edit_tool: tool(), write_tool: tool(), notebook_edit_tool: { accepted: 0, rejected: 0 } },
    model_breakdown: models.map((model) => ({
      model,
      tokens: { input: 1000 + n(200_000), output: 500 + n(60_000), cache_read: n(900_000), cache_creation: n(80_000) },
      estimated_cost: { currency: "USD", amount: n(5000) + n(100) / 100 },
    })),
  };
}

export const CLAUDE_PEOPLE = [
  { email: "mira@acme.test", team: "payments" },
  { email: "oskar@acme.test", team: "payments" },
  { email: "priya@acme.test", team: "search" },
  { email: "tomas@acme.test", team: "infra" },
  { email: "yuki@acme.test", team: "infra" },
];

export function claudeCodeFixture(days: string[], seed = 21): Map<string, ClaudeCodeRow[]> {
  const r = rng(seed);
  const out = new Map<string, ClaudeCodeRow[]>();
  for (const day of days) {
    const rows: ClaudeCodeRow[] = [];
    for (const p of CLAUDE_PEOPLE) {
      if (r() < 0.8) rows.push(claudeCodeRow(r, day, { type: "user_actor", email_address: p.email }));
      // Some people use Claude Code from two terminals on a day: two rows for one actor.
      if (r() < 0.2) rows.push(claudeCodeRow(r, day, { type: "user_actor", email_address: p.email }, "iTerm.app"));
    }
    if (r() < 0.5) rows.push(claudeCodeRow(r, day, { type: "api_actor", api_key_name: "ci-bot" }, "non-interactive"));
    out.set(day, rows);
  }
  return out;
}

/** The fixture's own sums per (team, day), read straight off the report's fields. */
export function claudeCodeExpected(rows: Map<string, ClaudeCodeRow[]>, teamOf: (actor: ClaudeCodeRow["actor"]) => string) {
  const out = new Map<string, Record<string, number>>();
  for (const [day, list] of rows) {
    for (const x of list) {
      const key = `${teamOf(x.actor)}|${day}`;
      const t = out.get(key) ?? { invocations: 0, input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, cost_usd: 0, lines_added: 0, lines_removed: 0, commits: 0, pull_requests: 0 };
      t.invocations += x.core_metrics.num_sessions;
      t.lines_added += x.core_metrics.lines_of_code.added;
      t.lines_removed += x.core_metrics.lines_of_code.removed;
      t.commits += x.core_metrics.commits_by_claude_code;
      t.pull_requests += x.core_metrics.pull_requests_by_claude_code;
      for (const m of x.model_breakdown) {
        t.input_tokens += m.tokens.input;
        t.output_tokens += m.tokens.output;
        t.cache_read_tokens += m.tokens.cache_read;
        t.cache_write_tokens += m.tokens.cache_creation;
        t.cost_usd = Math.round((t.cost_usd + m.estimated_cost.amount / 100) * 1e6) / 1e6;
      }
      out.set(key, t);
    }
  }
  return out;
}
