import { describe, expect, it } from "vitest";
import { DEFAULT_RULES, loadRules } from "@/lib/github/rules";
import { commitPerson, commitSignals, pullSignals, revertedSha, toolsOf, type CommitInput, type PullInput } from "@/lib/github/signals";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// Every default rule is exercised by at least one example below (the last test checks it),
// and each example says which tool it must be attributed to.

const human = { name: "Alice Archer", email: "alice@acme.test", login: "alice" };
const commit = (message: string, author = human): CommitInput => ({ message, author });

const COMMITS: [string, CommitInput, string][] = [
  ["Claude Code trailer", commit("Add cache\n\nCo-Authored-By: Claude <noreply@anthropic.com>"), "claude-code"],
  ["Claude Code trailer with a model", commit("Add cache\n\nCo-Authored-By: Claude Opus 4.5 <noreply@anthropic.com>"), "claude-code"],
  ["Claude Code footer", commit("Add cache\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)"), "claude-code"],
  ["Claude Code footer, older link", commit("Add cache\n\nGenerated with [Claude Code](https://claude.ai/code)"), "claude-code"],
  ["Claude's GitHub app as author", commit("Fix", { name: "claude[bot]", email: "209825114+claude[bot]@users.noreply.github.com", login: "claude[bot]" }), "claude-code"],
  ["Claude's GitHub app as co-author", commit("Fix\n\nCo-authored-by: claude[bot] <209825114+claude[bot]@users.noreply.github.com>"), "claude-code"],
  ["Copilot coding agent as author", commit("Fix", { name: "copilot-swe-agent[bot]", email: "198982749+Copilot@users.noreply.github.com", login: "Copilot" }), "copilot"],
  ["Copilot as co-author", commit("Fix\n\nCo-authored-by: Copilot <198982749+Copilot@users.noreply.github.com>"), "copilot"],
  ["Codex CLI trailer", commit("Fix\n\nCo-authored-by: Codex <noreply@openai.com>"), "codex"],
  ["Codex bot as author", commit("Fix", { name: "chatgpt-codex-connector[bot]", email: "199175422+chatgpt-codex-connector[bot]@users.noreply.github.com", login: "" }), "codex"],
  ["Codex bot as co-author", commit("Fix\n\nCo-authored-by: openai-codex[bot] <215057067+openai-codex[bot]@users.noreply.github.com>"), "codex"],
  ["Gemini CLI bot as author", commit("Fix", { name: "gemini-cli[bot]", email: "218195315+gemini-cli[bot]@users.noreply.github.com", login: "gemini-cli[bot]" }), "gemini-cli"],
  ["Gemini CLI as co-author", commit("Fix\n\nCo-authored-by: gemini-cli[bot] <218195315+gemini-cli[bot]@users.noreply.github.com>"), "gemini-cli"],
  ["Gemini Code Assist suggestion", commit("Apply suggestion\n\nCo-authored-by: gemini-code-assist[bot] <176961590+gemini-code-assist[bot]@users.noreply.github.com>"), "gemini-code-assist"],
  ["Jules as author", commit("Fix", { name: "google-labs-jules[bot]", email: "161369871+google-labs-jules[bot]@users.noreply.github.com", login: "google-labs-jules[bot]" }), "jules"],
  ["Cursor agent trailer", commit("Fix\n\nCo-authored-by: Cursor Agent <cursoragent@cursor.com>"), "cursor"],
  ["Cursor background agent as author", commit("Fix", { name: "Cursor Agent", email: "cursoragent@cursor.com", login: "" }), "cursor"],
  ["aider's author suffix", commit("aider: tidy imports", { name: "Erin Evans (aider)", email: "erin@acme.test", login: "" }), "aider"],
  ["aider co-author", commit("Tidy\n\nCo-authored-by: aider (gpt-4o) <noreply@aider.chat>"), "aider"],
  ["Devin as author", commit("Fix", { name: "devin-ai-integration[bot]", email: "158243242+devin-ai-integration[bot]@users.noreply.github.com", login: "devin-ai-integration[bot]" }), "devin"],
  ["Amazon Q as author", commit("Fix", { name: "amazon-q-developer[bot]", email: "208079219+amazon-q-developer[bot]@users.noreply.github.com", login: "amazon-q-developer[bot]" }), "amazon-q"],
  ["opencode co-author", commit("Fix\n\nCo-authored-by: opencode <noreply@opencode.ai>"), "opencode"],
  ["Amp co-author", commit("Fix\n\nCo-authored-by: Amp <amp@ampcode.com>"), "amp"],
];

const pull = (p: Partial<PullInput>): PullInput => ({ title: "Fix", body: "", author: { login: "alice", isBot: false }, labels: [], ...p });
const PULLS: [string, PullInput, string][] = [
  ["Copilot agent PR", pull({ author: { login: "Copilot", isBot: true } }), "copilot"],
  ["Claude Code PR footer", pull({ body: "Summary\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)" }), "claude-code"],
  ["Codex cloud label", pull({ labels: ["codex"] }), "codex"],
  ["Codex connector PR", pull({ author: { login: "chatgpt-codex-connector[bot]", isBot: true } }), "codex"],
  ["Cursor background agent PR", pull({ author: { login: "cursor[bot]", isBot: true } }), "cursor"],
  ["Claude app PR", pull({ author: { login: "claude[bot]", isBot: true } }), "claude-code"],
];

const LOOKALIKES: [string, CommitInput][] = [
  ["a person writing Claude in a message", commit("Ask Claude about the eviction policy")],
  ["prose that mentions Claude Code", commit("Fix\n\nThe first draft was generated with Claude Code, then rewritten by hand.")],
  ["a human co-author named Claude", commit("Fix\n\nCo-authored-by: Claude Monet <claude.monet@acme.test>")],
  ["Anthropic's email under another name", commit("Fix\n\nCo-authored-by: Bob <noreply@anthropic.com>")],
  ["a quoted trailer", commit("Fix\n\n> Co-Authored-By: Claude <noreply@anthropic.com>")],
  ["a human whose name contains Copilot", commit("Bump copilot-config", { name: "Copilot Fan", email: "fan@acme.test", login: "copilotfan" })],
  ["a human named Cursor", commit("Fix blinking cursor", { name: "Cursor Smith", email: "cursor@acme.test", login: "cursor" })],
  ["a human named Codex", commit("Fix\n\nCo-authored-by: Codex Jones <codex@acme.test>")],
  ["a human named Gemini", commit("Fix\n\nCo-authored-by: Gemini Park <gemini@acme.test>")],
  ["a footer without the link", commit("Fix\n\nGenerated with Claude Code")],
];

describe("default AI signals", () => {
  const hit = new Set<string>();
  for (const [what, c, tool] of COMMITS) {
    it(`commit: ${what} → ${tool}`, () => {
      const s = commitSignals(DEFAULT_RULES, c);
      s.forEach((x) => hit.add(x.rule));
      expect(toolsOf(s)).toEqual([tool]);
    });
  }
  for (const [what, p, tool] of PULLS) {
    it(`pull request: ${what} → ${tool}`, () => {
      const s = pullSignals(DEFAULT_RULES, p);
      s.forEach((x) => hit.add(x.rule));
      expect(toolsOf(s)).toEqual([tool]);
    });
  }
  for (const [what, c] of LOOKALIKES) {
    it(`no signal for ${what}`, () => {
      expect(commitSignals(DEFAULT_RULES, c)).toEqual([]);
      expect(pullSignals(DEFAULT_RULES, pull({ title: c.message.split("\n")[0], body: c.message, author: { login: c.author.login || "someone", isBot: false } }))).toEqual([]);
    });
  }
  it("a human PR author called claude or a PR labelled claude-review is no signal", () => {
    expect(pullSignals(DEFAULT_RULES, pull({ author: { login: "claude", isBot: false }, labels: ["claude-review", "copilot-ideas"] }))).toEqual([]);
  });
  it("docs/github.md lists every default rule", () => {
    const doc = fs.readFileSync(path.join(import.meta.dirname, "../../docs/github.md"), "utf8");
    expect(DEFAULT_RULES.map((r) => r.id).filter((id) => !doc.includes(`| \`${id}\` | ${DEFAULT_RULES.find((r) => r.id === id)!.tool} |`))).toEqual([]);
  });
  it("every default rule is exercised by an example above", () => {
    expect(DEFAULT_RULES.map((r) => r.id).filter((id) => !hit.has(id))).toEqual([]);
  });
  it("one commit can name several tools", () => {
    const s = commitSignals(DEFAULT_RULES, commit("Fix\n\nCo-Authored-By: Claude <noreply@anthropic.com>\nCo-authored-by: Cursor Agent <cursoragent@cursor.com>"));
    expect(toolsOf(s)).toEqual(["claude-code", "cursor"]);
  });
});

describe("whose commit it is", () => {
  it("the author, for a human", () => {
    expect(commitPerson(DEFAULT_RULES, commit("x\n\nCo-Authored-By: Claude <noreply@anthropic.com>"))).toEqual(human);
  });
  it("the human co-author, for Copilot's coding agent", () => {
    const c = commit("x\n\nCo-authored-by: bob-builder <5550001+bob-builder@users.noreply.github.com>", { name: "copilot-swe-agent[bot]", email: "198982749+Copilot@users.noreply.github.com", login: "Copilot" });
    expect(commitPerson(DEFAULT_RULES, c)).toMatchObject({ email: "5550001+bob-builder@users.noreply.github.com" });
  });
  it("nobody, for a bot without a human co-author", () => {
    expect(commitPerson(DEFAULT_RULES, commit("x", { name: "devin-ai-integration[bot]", email: "158243242+devin-ai-integration[bot]@users.noreply.github.com", login: "" }))).toBeNull();
  });
  it("the human behind aider's suffix", () => {
    const c = commit("x", { name: "Erin Evans (aider)", email: "erin@acme.test", login: "" });
    expect(commitPerson(DEFAULT_RULES, c)).toEqual(c.author);
  });
});

describe("reverts", () => {
  it("git revert's line names the reverted sha", () => {
    expect(revertedSha('Revert "Add cache"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.')).toBe("0123456789abcdef0123456789abcdef01234567");
    expect(revertedSha("Fix the revert button")).toBeNull();
  });
});

describe("WAKEBOARD_GITHUB_RULES", () => {
  const file = (content: unknown) => {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wkb-rules-")), "rules.json");
    fs.writeFileSync(f, JSON.stringify(content));
    return f;
  };
  it("adds rules to the defaults", () => {
    const rules = loadRules(file({ rules: [{ id: "in-house", tool: "house-agent", kind: "label", pattern: "^ai-generated$" }] }));
    expect(rules.length).toBe(DEFAULT_RULES.length + 1);
    expect(toolsOf(pullSignals(rules, pull({ labels: ["ai-generated"] })))).toEqual(["house-agent"]);
  });
  it('replaces them with extends: "none"', () => {
    const rules = loadRules(file({ extends: "none", rules: [{ id: "x", tool: "x", kind: "line", pattern: "^AI: yes$" }] }));
    expect(rules).toHaveLength(1);
    expect(commitSignals(rules, commit("Fix\n\nCo-Authored-By: Claude <noreply@anthropic.com>"))).toEqual([]);
  });
  it("names the file and the bad field", () => {
    expect(() => loadRules(file({ rules: [{ id: "x", tool: "Bad Tool", kind: "label", pattern: "(" }] }))).toThrow(/WAKEBOARD_GITHUB_RULES .*rules\.0\.tool/);
  });
});
