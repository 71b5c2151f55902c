import type { Rule } from "@/lib/github/rules";

// Applies the rule set (lib/github/rules.ts) to one commit or pull request. Pure functions:
// the webhook and `wakeboard github import` both classify through here.

export interface Who {
  name?: string | null;
  email?: string | null;
  login?: string | null;
}

export interface Signal {
  tool: string;
  rule: string;
  /** What matched, e.g. the trailer line or the label. */
  evidence: string;
}

export interface CommitInput {
  message: string;
  author: Who;
  committer?: Who | null;
}

export interface PullInput {
  title: string;
  body: string | null;
  author: { login: string; isBot: boolean };
  labels: string[];
  headRef?: string | null;
}

const compiled = new Map<string, RegExp>();
function re(p: string): RegExp {
  let r = compiled.get(p);
  if (!r) compiled.set(p, (r = new RegExp(p, "iu")));
  return r;
}

/** Lines of a message, trimmed; quoted lines ("> …") are someone else's words and skipped. */
export function messageLines(text: string | null | undefined): string[] {
  return (text ?? "")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith(">"));
}

const TRAILER = /^co-authored-by:\s*(.*?)\s*<([^<>]*)>$/i;

/** `Co-authored-by: Name <email>` lines (git's trailer; GitHub lists co-authors this way). */
export function coauthorsOf(text: string | null | undefined): { name: string; email: string; line: string }[] {
  return messageLines(text).flatMap((line) => {
    const m = TRAILER.exec(line);
    return m ? [{ name: m[1], email: m[2].toLowerCase(), line }] : [];
  });
}

/**
 * A person matches a rule when every pattern the rule gives, for which the person has a
 * value, matches that value — and at least one pattern was tested. (A pull request's author
 * has a login only; a commit from `git log` has a name and an email only.)
 */
function whoMatches(rule: Rule, who: Who): boolean {
  let tested = 0;
  for (const [pat, value] of [
    [rule.name, who.name],
    [rule.email, who.email],
    [rule.login, who.login],
  ] as const) {
    if (!pat || value === null || value === undefined || value === "") continue;
    tested++;
    if (!re(pat).test(value)) return false;
  }
  return tested > 0;
}

const describe = (who: Who) => [who.name, who.login && `@${who.login}`, who.email && `<${who.email}>`].filter(Boolean).join(" ");

function unique(signals: Signal[]): Signal[] {
  const seen = new Set<string>();
  return signals.filter((s) => (seen.has(s.rule) ? false : (seen.add(s.rule), true)));
}

export function commitSignals(rules: Rule[], c: CommitInput): Signal[] {
  const out: Signal[] = [];
  const lines = messageLines(c.message);
  const coauthors = coauthorsOf(c.message);
  for (const rule of rules) {
    if (rule.kind === "coauthor") {
      for (const co of coauthors) if (whoMatches(rule, co)) out.push({ tool: rule.tool, rule: rule.id, evidence: co.line });
    } else if (rule.kind === "author") {
      for (const who of [c.author, c.committer]) if (who && whoMatches(rule, who)) out.push({ tool: rule.tool, rule: rule.id, evidence: `author ${describe(who)}` });
    } else if (rule.kind === "line" && rule.pattern) {
      for (const l of lines) if (re(rule.pattern).test(l)) out.push({ tool: rule.tool, rule: rule.id, evidence: l });
    }
  }
  return unique(out);
}

export function pullSignals(rules: Rule[], p: PullInput): Signal[] {
  const out: Signal[] = [];
  const lines = messageLines(p.body);
  const coauthors = coauthorsOf(p.body);
  for (const rule of rules) {
    if (rule.kind === "author") {
      if (whoMatches(rule, { login: p.author.login })) out.push({ tool: rule.tool, rule: rule.id, evidence: `author @${p.author.login}` });
    } else if (rule.kind === "label" && rule.pattern) {
      for (const l of p.labels) if (re(rule.pattern).test(l)) out.push({ tool: rule.tool, rule: rule.id, evidence: `label ${l}` });
    } else if (rule.kind === "branch" && rule.pattern && p.headRef) {
      if (re(rule.pattern).test(p.headRef)) out.push({ tool: rule.tool, rule: rule.id, evidence: `branch ${p.headRef}` });
    } else if (rule.kind === "line" && rule.pattern) {
      for (const l of lines) if (re(rule.pattern).test(l)) out.push({ tool: rule.tool, rule: rule.id, evidence: l });
    } else if (rule.kind === "coauthor") {
      for (const co of coauthors) if (whoMatches(rule, co)) out.push({ tool: rule.tool, rule: rule.id, evidence: co.line });
    }
  }
  return unique(out);
}

/** The tools a set of signals names, sorted, each once. */
export const toolsOf = (signals: Signal[]) => [...new Set(signals.map((s) => s.tool))].sort();

const BOT_LOGIN = /\[bot\]$/i;
const BOT_EMAIL = /\[bot\]@users\.noreply\.github\.com$/i;

/** A bot account (GitHub's "[bot]" logins and their noreply emails). */
export const isBot = (who: Who) => !!((who.login && BOT_LOGIN.test(who.login)) || (who.email && BOT_EMAIL.test(who.email)) || (who.name && BOT_LOGIN.test(who.name)));

/** A bot, or an account a rule recognises as an agent. */
export function isAgent(rules: Rule[], who: Who): boolean {
  return isBot(who) || rules.some((r) => (r.kind === "author" || r.kind === "coauthor") && whoMatches(r, who));
}

/**
 * Whose work a commit is: its author, unless the author is an agent (Copilot's coding agent,
 * a bot); then the first co-author who is a person (the agent's human); then the author
 * still if it is not a bot account (aider keeps its human's email, adding " (aider)").
 */
export function commitPerson(rules: Rule[], c: CommitInput): Who | null {
  if (!isAgent(rules, c.author)) return c.author;
  const human = coauthorsOf(c.message).find((co) => !isAgent(rules, co));
  if (human) return human;
  return isBot(c.author) || isAgent(rules, { login: c.author.login }) ? null : c.author;
}

const REVERT = /^this reverts commit ([0-9a-f]{7,40})\b/im;

/** The sha a `git revert` commit names ("This reverts commit <sha>."), if any. */
export const revertedSha = (message: string) => REVERT.exec(message)?.[1]?.toLowerCase() ?? null;

/** GitHub's private commit emails ("123+login@users.noreply.github.com") name the login. */
export function loginFromEmail(email: string | null | undefined): string | null {
  const m = /^(?:\d+\+)?([a-z0-9-]+)@users\.noreply\.github\.com$/i.exec(email ?? "");
  return m ? m[1].toLowerCase() : null;
}
