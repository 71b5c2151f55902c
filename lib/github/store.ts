import { Prisma } from "@/lib/generated/prisma/client";
import type { Rule } from "@/lib/github/rules";
import { commitPerson, commitSignals, isAgent, pullSignals, revertedSha, toolsOf, type Who } from "@/lib/github/signals";
import { attribute } from "@/lib/github/people";
import { dayOf, refreshGithubRollup, type RollupKeys } from "@/lib/github/rollup";

type Tx = Prisma.TransactionClient;

// Stores what landed — commits on a default branch, merged pull requests — classified by the
// rule set and attributed to people and teams, then recomputes the rollup keys it touched.
// The webhook worker and `wakeboard github import` both come through here.

export interface CommitFact {
  repo: string;
  sha: string;
  committedAt: Date;
  message: string;
  author: Who;
  committer?: Who | null;
  source: "webhook" | "import";
}

export interface PullFact {
  repo: string;
  number: number;
  title: string;
  body: string | null;
  author: { login: string; isBot: boolean };
  assignees: { login: string; isBot: boolean }[];
  mergedBy: { login: string; isBot: boolean } | null;
  labels: string[];
  headRef: string | null;
  openedAt: Date;
  mergedAt: Date | null;
  mergeCommitSha: string | null;
}

async function ensureTools(tx: Tx, slugs: string[]) {
  const uniq = [...new Set(slugs)].sort();
  if (uniq.length) await tx.$executeRaw`INSERT INTO tools (slug, name) SELECT s, s FROM unnest(${uniq}::text[]) AS s ORDER BY s ON CONFLICT (slug) DO NOTHING`;
}

function mergeKeys(rows: { day: string; team_id: number }[]): RollupKeys {
  return { days: [...new Set(rows.map((r) => r.day))], teamIds: [...new Set(rows.map((r) => r.team_id))] };
}

export interface StoredCommits {
  received: number;
  inserted: number;
  aiAssisted: number;
}

/** Inserts commits not seen before (keyed by repository and sha); the rest change nothing. */
export async function storeCommits(tx: Tx, rules: Rule[], commits: CommitFact[]): Promise<StoredCommits> {
  if (!commits.length) return { received: 0, inserted: 0, aiAssisted: 0 };
  const classified = commits.map((c) => {
    const signals = commitSignals(rules, c);
    return { c, signals, tools: toolsOf(signals), person: commitPerson(rules, c) };
  });
  const who = await attribute(tx, classified.map((x) => ({ who: x.person, at: x.c.committedAt })));
  await ensureTools(tx, classified.flatMap((x) => x.tools));
  const rows = classified.map((x, i) => ({
    repo: x.c.repo.toLowerCase(),
    sha: x.c.sha.toLowerCase(),
    committed_at: x.c.committedAt.toISOString(),
    author_name: x.c.author.name ?? "",
    author_email: (x.c.author.email ?? "").toLowerCase(),
    author_login: x.c.author.login?.toLowerCase() ?? null,
    message: x.c.message,
    person_id: who[i].personId,
    team_id: who[i].teamId,
    ai_tools: x.tools,
    signals: x.signals,
    reverts_sha: revertedSha(x.c.message),
    source: x.c.source,
  }));
  const touched = await tx.$queryRaw<{ day: string; team_id: number; ai: boolean }[]>`
    WITH ins AS (
      INSERT INTO github_commits (repo, sha, committed_at, author_name, author_email, author_login, message, person_id, team_id, ai_tools, signals, reverts_sha, source)
      SELECT r.repo, r.sha, r.committed_at, r.author_name, r.author_email, r.author_login, r.message, r.person_id, r.team_id, r.ai_tools, r.signals, r.reverts_sha, r.source
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(repo text, sha text, committed_at timestamptz, author_name text, author_email text,
        author_login text, message text, person_id int, team_id int, ai_tools text[], signals jsonb, reverts_sha text, source text)
      ORDER BY r.repo, r.sha
      ON CONFLICT (repo, sha) DO NOTHING
      RETURNING repo, sha, committed_at, team_id, ai_tools
    )
    SELECT ${dayOf(Prisma.sql`committed_at`)}::text AS day, team_id, cardinality(ai_tools) > 0 AS ai FROM ins
    UNION ALL
    SELECT ${dayOf(Prisma.sql`pr.merged_at`)}::text, pr.team_id, NULL FROM github_pull_requests pr JOIN ins ON pr.repo = ins.repo AND pr.merge_commit_sha = ins.sha
    WHERE pr.merged_at IS NOT NULL`;
  await refreshGithubRollup(tx, mergeKeys(touched));
  const mine = touched.filter((t) => t.ai !== null);
  return { received: commits.length, inserted: mine.length, aiAssisted: mine.filter((t) => t.ai).length };
}

const human = (rules: Rule[], u: { login: string; isBot: boolean } | null) => !!u && !u.isBot && !isAgent(rules, { login: u.login });

/**
 * Records a pull request when it is opened and again when it is merged. Whose it is: its
 * author, or — for a PR an agent opened — the first human assignee, else whoever merged it.
 * An `opened` delivery that arrives after the merge changes nothing.
 */
export async function storePullRequest(tx: Tx, rules: Rule[], pr: PullFact): Promise<{ stored: boolean; aiTools: string[] }> {
  const repo = pr.repo.toLowerCase();
  const signals = pullSignals(rules, pr);
  const tools = toolsOf(signals);
  const owner = human(rules, pr.author) ? pr.author : (pr.assignees.find((a) => human(rules, a)) ?? (human(rules, pr.mergedBy) ? pr.mergedBy : null));
  const [existing] = await tx.$queryRaw<{ day: string | null; team_id: number }[]>`
    SELECT ${dayOf(Prisma.sql`merged_at`)}::text AS day, team_id FROM github_pull_requests WHERE repo = ${repo} AND number = ${pr.number} FOR UPDATE`;
  if (existing?.day && !pr.mergedAt) return { stored: false, aiTools: tools };
  const [who] = await attribute(tx, [{ who: owner ? { login: owner.login } : null, at: pr.mergedAt ?? pr.openedAt }]);
  await ensureTools(tx, tools);
  const [now] = await tx.$queryRaw<{ day: string | null; team_id: number }[]>`
    INSERT INTO github_pull_requests (repo, number, title, author_login, author_is_bot, person_login, labels, opened_at, merged_at, merge_commit_sha,
      person_id, team_id, ai_tools, signals, updated_at)
    VALUES (${repo}, ${pr.number}, ${pr.title}, ${pr.author.login.toLowerCase()}, ${pr.author.isBot}, ${owner?.login.toLowerCase() ?? null},
      ${pr.labels}::text[], ${pr.openedAt}, ${pr.mergedAt}, ${pr.mergeCommitSha?.toLowerCase() ?? null},
      ${who.personId}, ${who.teamId}, ${tools}::text[], ${JSON.stringify(signals)}::jsonb, now())
    ON CONFLICT (repo, number) DO UPDATE SET title = excluded.title, author_login = excluded.author_login, author_is_bot = excluded.author_is_bot,
      person_login = excluded.person_login, labels = excluded.labels, opened_at = excluded.opened_at, merged_at = excluded.merged_at,
      merge_commit_sha = excluded.merge_commit_sha, person_id = excluded.person_id, team_id = excluded.team_id, ai_tools = excluded.ai_tools,
      signals = excluded.signals, updated_at = now()
    RETURNING ${dayOf(Prisma.sql`merged_at`)}::text AS day, team_id`;
  const keys = [existing, now].filter((k): k is { day: string; team_id: number } => !!k?.day);
  await refreshGithubRollup(tx, mergeKeys(keys));
  return { stored: true, aiTools: tools };
}
