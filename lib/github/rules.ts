import fs from "node:fs";
import { z } from "zod";
import { config } from "@/lib/config";

// AI signals (docs/github.md): a rule names a tool and what to look for in a commit or a
// pull request. Defaults come from what each agent writes, as documented by its vendor or
// seen in public repositories; WAKEBOARD_GITHUB_RULES names a JSON file that adds rules or
// replaces the defaults. Every pattern is a case-insensitive regular expression matched
// against one whole field (a name, an email, a login, a label, one line), never against
// free text, so a person writing "Claude" in a message is not a signal.

const pattern = z.string().refine((p) => {
  try {
    new RegExp(p, "iu");
    return true;
  } catch {
    return false;
  }
}, "is not a valid regular expression");

export const ruleSchema = z.object({
  id: z.string().min(1).max(64),
  tool: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "must be a tool slug such as claude-code"),
  /**
   * coauthor: a `Co-authored-by: Name <email>` trailer line · author: the commit's author or
   * committer, the PR's author (login) · line: a whole line of the commit message or PR body
   * (footers) · label: a PR label · branch: the PR's head branch.
   */
  kind: z.enum(["coauthor", "author", "line", "label", "branch"]),
  name: pattern.optional(),
  email: pattern.optional(),
  login: pattern.optional(),
  pattern: pattern.optional(),
  description: z.string().max(300).optional(),
});
export type Rule = z.infer<typeof ruleSchema>;

export const ruleFileSchema = z.object({
  /** "default" adds these rules to the built-in ones; "none" uses only these. */
  extends: z.enum(["default", "none"]).default("default"),
  rules: z.array(ruleSchema).default([]),
});

const NOREPLY = String.raw`@users\.noreply\.github\.com$`;
const bot = (name: string) => String.raw`^(\d+\+)?${name}\[bot\]${NOREPLY}`;

export const DEFAULT_RULES: Rule[] = [
  // Claude Code (docs: "attribution" setting; default commit and PR text).
  { id: "claude-code-coauthor", tool: "claude-code", kind: "coauthor", name: String.raw`^claude\b`, email: String.raw`^noreply@anthropic\.com$`, description: "Co-Authored-By: Claude <noreply@anthropic.com> (also with a model name)" },
  { id: "claude-code-footer", tool: "claude-code", kind: "line", pattern: String.raw`^(🤖\s*)?generated with \[claude code\]\(https://(claude\.com/claude-code|claude\.ai/code)\)$`, description: "🤖 Generated with [Claude Code](https://claude.com/claude-code)" },
  { id: "claude-github-app", tool: "claude-code", kind: "author", login: String.raw`^claude\[bot\]$`, email: bot("claude"), description: "Claude's GitHub app (claude[bot]) as author or committer" },
  { id: "claude-github-app-coauthor", tool: "claude-code", kind: "coauthor", email: bot("claude"), description: "Co-authored-by: claude[bot]" },
  // GitHub Copilot coding agent: commits and pull requests authored by the agent.
  { id: "copilot-agent-author", tool: "copilot", kind: "author", login: String.raw`^(copilot-swe-agent\[bot\]|copilot)$`, email: String.raw`^\d+\+copilot${NOREPLY}`, description: "copilot-swe-agent[bot] / Copilot as author (PR author login Copilot)" },
  { id: "copilot-coauthor", tool: "copilot", kind: "coauthor", email: String.raw`^\d+\+(copilot|copilot-swe-agent\[bot\])${NOREPLY}`, description: "Co-authored-by: Copilot <…+Copilot@users.noreply.github.com>" },
  // OpenAI Codex: the CLI's co-author trailer; the cloud agent's bot and label.
  { id: "codex-coauthor", tool: "codex", kind: "coauthor", name: String.raw`^codex\b`, email: String.raw`^noreply@openai\.com$`, description: "Co-authored-by: Codex <noreply@openai.com>" },
  { id: "codex-bot", tool: "codex", kind: "author", login: String.raw`^(chatgpt-codex-connector|openai-codex)\[bot\]$`, email: String.raw`^(\d+\+)?(chatgpt-codex-connector|openai-codex)\[bot\]${NOREPLY}`, description: "chatgpt-codex-connector[bot] / openai-codex[bot] as author" },
  { id: "codex-bot-coauthor", tool: "codex", kind: "coauthor", email: String.raw`^(\d+\+)?(chatgpt-codex-connector|openai-codex)\[bot\]${NOREPLY}`, description: "the Codex bots as co-author" },
  { id: "codex-label", tool: "codex", kind: "label", pattern: "^codex$", description: 'the "codex" label Codex cloud puts on its pull requests' },
  // Gemini CLI (its GitHub Action commits as gemini-cli[bot]) and Google's other agents.
  { id: "gemini-cli-bot", tool: "gemini-cli", kind: "author", login: String.raw`^gemini-cli\[bot\]$`, email: bot("gemini-cli"), description: "gemini-cli[bot] as author" },
  { id: "gemini-cli-coauthor", tool: "gemini-cli", kind: "coauthor", email: bot("gemini-cli"), description: "Co-authored-by: gemini-cli[bot]" },
  { id: "gemini-code-assist-coauthor", tool: "gemini-code-assist", kind: "coauthor", email: bot("gemini-code-assist"), description: "an applied gemini-code-assist[bot] suggestion" },
  { id: "jules-bot", tool: "jules", kind: "author", login: String.raw`^google-labs-jules\[bot\]$`, email: bot("google-labs-jules"), description: "google-labs-jules[bot] as author" },
  // Cursor: the agent's co-author trailer and its background/cloud agents.
  { id: "cursor-coauthor", tool: "cursor", kind: "coauthor", email: String.raw`^(cursoragent|agent)@cursor\.com$|${bot("cursor")}`, description: "Co-authored-by: Cursor Agent <cursoragent@cursor.com>" },
  { id: "cursor-agent-author", tool: "cursor", kind: "author", login: String.raw`^cursor(agent|\[bot\])$`, email: String.raw`^(cursoragent|agent)@cursor\.com$|${bot("cursor")}`, description: "Cursor's background agent (cursoragent, cursor[bot]) as author" },
  // Others seen in public repositories.
  { id: "aider-author", tool: "aider", kind: "author", name: String.raw`\(aider\)$`, description: 'aider appends " (aider)" to the author/committer name' },
  { id: "aider-coauthor", tool: "aider", kind: "coauthor", email: String.raw`^noreply@aider\.chat$`, description: "Co-authored-by: aider (model) <noreply@aider.chat>" },
  { id: "devin-bot", tool: "devin", kind: "author", login: String.raw`^devin-ai-integration\[bot\]$`, email: bot("devin-ai-integration"), description: "devin-ai-integration[bot] as author" },
  { id: "amazon-q-bot", tool: "amazon-q", kind: "author", login: String.raw`^amazon-q-developer\[bot\]$`, email: bot("amazon-q-developer"), description: "amazon-q-developer[bot] as author" },
  { id: "opencode-coauthor", tool: "opencode", kind: "coauthor", email: String.raw`^noreply@opencode\.ai$`, description: "Co-authored-by: opencode <noreply@opencode.ai>" },
  { id: "amp-coauthor", tool: "amp", kind: "coauthor", email: String.raw`^amp@ampcode\.com$`, description: "Co-authored-by: Amp <amp@ampcode.com>" },
];

/** The rules in force: the defaults, plus or instead of those in WAKEBOARD_GITHUB_RULES. */
export function loadRules(file = config().WAKEBOARD_GITHUB_RULES): Rule[] {
  if (!file) return DEFAULT_RULES;
  let parsed: z.infer<typeof ruleFileSchema>;
  try {
    parsed = ruleFileSchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
  } catch (e) {
    const why = e instanceof z.ZodError ? e.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") : (e as Error).message;
    throw new Error(`WAKEBOARD_GITHUB_RULES (${file}): ${why}`);
  }
  return parsed.extends === "none" ? parsed.rules : [...DEFAULT_RULES, ...parsed.rules];
}
