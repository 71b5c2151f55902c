import { rng } from "@/lib/seed/random";
import type { CopilotFeatureTotals, CopilotTeamRow, CopilotUserRow } from "@/test/mocks/copilot-server";

// A deterministic Copilot org for the connector tests: people on Wakeboard teams, their
// GitHub logins, and users-1-day rows for a range of days, built the way GitHub documents
// them (per-feature totals that add up to the user's totals; CLI usage reported apart).

export interface FixturePerson {
  login: string;
  userId: number;
  email: string;
  team: string;
}

export const COPILOT_PEOPLE: FixturePerson[] = [
  { login: "ada-l", userId: 1001, email: "ada@acme.test", team: "payments" },
  { login: "bjarne", userId: 1002, email: "bjarne@acme.test", team: "payments" },
  { login: "grace-h", userId: 1003, email: "grace@acme.test", team: "search" },
  { login: "linus", userId: 1004, email: "linus@acme.test", team: "search" },
  { login: "barbara", userId: 1005, email: "barbara@acme.test", team: "search" },
  { login: "ken-t", userId: 1006, email: "ken@acme.test", team: "infra" },
  { login: "dennis", userId: 1007, email: "dennis@acme.test", team: "infra" },
];

/** In the reports but unknown to Wakeboard: becomes an unmapped identity. */
export const COPILOT_STRANGER = { login: "Octo-Stranger", userId: 1999 };

const FEATURES = ["code_completion", "chat_panel_ask_mode", "chat_panel_agent_mode", "agent_edit"] as const;

function featureTotals(r: () => number, feature: string): CopilotFeatureTotals {
  const n = (max: number) => Math.floor(r() * max);
  const completion = feature === "code_completion";
  const generated = completion ? 5 + n(120) : n(30);
  return {
    feature,
    user_initiated_interaction_count: completion || feature === "agent_edit" ? 0 : 1 + n(25),
    code_generation_activity_count: generated,
    code_acceptance_activity_count: Math.floor(generated * r() * 0.6),
    loc_suggested_to_add_sum: n(400),
    loc_suggested_to_delete_sum: 0,
    loc_added_sum: n(300),
    loc_deleted_sum: feature === "agent_edit" ? n(120) : 0,
  };
}

export function copilotUserRow(r: () => number, day: string, userId: number, login: string): CopilotUserRow {
  const features = FEATURES.filter((f, i) => i === 0 || r() < 0.6).map((f) => featureTotals(r, f));
  const sum = (k: keyof Omit<CopilotFeatureTotals, "feature">) => features.reduce((a, f) => a + f[k], 0);
  const cli = r() < 0.3;
  const prompt = 1000 + Math.floor(r() * 9000);
  const output = 200 + Math.floor(r() * 3000);
  const requests = 1 + Math.floor(r() * 9);
  const chatModel = r() < 0.5 ? "gpt-4.1" : "claude-sonnet-4";
  return {
    day,
    enterprise_id: "7",
    organization_id: "4242",
    user_id: userId,
    user_login: login,
    user_initiated_interaction_count: sum("user_initiated_interaction_count"),
    code_generation_activity_count: sum("code_generation_activity_count"),
    code_acceptance_activity_count: sum("code_acceptance_activity_count"),
    loc_suggested_to_add_sum: sum("loc_suggested_to_add_sum"),
    loc_suggested_to_delete_sum: 0,
    loc_added_sum: sum("loc_added_sum"),
    loc_deleted_sum: sum("loc_deleted_sum"),
    used_agent: features.some((f) => f.feature === "chat_panel_agent_mode" || f.feature === "agent_edit"),
    used_chat: features.some((f) => f.feature.startsWith("chat_panel")),
    used_cli: cli,
    totals_by_feature: features,
    totals_by_ide: [{ ide: "vscode", ...features[0], feature: undefined }],
    totals_by_language_feature: [],
    totals_by_language_model: [],
    totals_by_model_feature: features.filter((f) => f.feature !== "code_completion").map((f) => ({ model: chatModel, feature: f.feature, user_initiated_interaction_count: f.user_initiated_interaction_count })),
    ...(cli
      ? { totals_by_cli: { session_count: 1 + Math.floor(r() * 3), request_count: requests, prompt_count: requests, token_usage: { output_tokens_sum: output, prompt_tokens_sum: prompt, avg_tokens_per_request: (output + prompt) / requests } } }
      : {}),
  };
}

/** users-1-day and user-teams-1-day rows for each day; some people skip some days. */
export function copilotFixture(days: string[], seed = 14): { users: Map<string, CopilotUserRow[]>; teams: Map<string, CopilotTeamRow[]> } {
  const r = rng(seed);
  const users = new Map<string, CopilotUserRow[]>();
  const teams = new Map<string, CopilotTeamRow[]>();
  for (const day of days) {
    const rows: CopilotUserRow[] = [];
    for (const p of COPILOT_PEOPLE) if (r() < 0.85) rows.push(copilotUserRow(r, day, p.userId, p.login));
    if (r() < 0.5) rows.push(copilotUserRow(r, day, COPILOT_STRANGER.userId, COPILOT_STRANGER.login));
    users.set(day, rows);
    teams.set(
      day,
      COPILOT_PEOPLE.map((p) => ({ user_id: p.userId, user_login: p.login, day, organization_id: "4242", team_id: p.userId % 3, slug: `gh-${p.team}` })),
    );
  }
  return { users, teams };
}

/**
 * The fixture's own sums per (Wakeboard team, day), from the report's top-level fields (not
 * the per-feature breakdown the connector maps): what the dashboard must show.
 */
export function copilotExpected(users: Map<string, CopilotUserRow[]>, teamOf: (login: string) => string) {
  const out = new Map<string, { invocations: number; lines_added: number; lines_removed: number; input_tokens: number; output_tokens: number }>();
  for (const [day, rows] of users) {
    for (const u of rows) {
      const key = `${teamOf(u.user_login)}|${day}`;
      const t = out.get(key) ?? { invocations: 0, lines_added: 0, lines_removed: 0, input_tokens: 0, output_tokens: 0 };
      const completions = u.totals_by_feature.find((f) => f.feature === "code_completion")?.code_generation_activity_count ?? 0;
      // Prompts the user sent, completions shown, and CLI requests: each one use of Copilot.
      t.invocations += u.user_initiated_interaction_count + completions + (u.totals_by_cli?.request_count ?? 0);
      t.lines_added += u.loc_added_sum;
      t.lines_removed += u.loc_deleted_sum;
      t.input_tokens += u.totals_by_cli?.token_usage.prompt_tokens_sum ?? 0;
      t.output_tokens += u.totals_by_cli?.token_usage.output_tokens_sum ?? 0;
      out.set(key, t);
    }
  }
  return out;
}
