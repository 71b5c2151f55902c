import { Prisma } from "@/lib/generated/prisma/client";
import type { Rule } from "@/lib/github/rules";
import { pullRequestPayload, pushPayload } from "@/lib/github/payloads";
import { storeCommits, storePullRequest } from "@/lib/github/store";

type Tx = Prisma.TransactionClient;

// What one recorded delivery means (docs/github.md): a push to the repository's default
// branch stores its commits; a pull request opened or merged stores the PR. Everything else
// is "ignored", with the reason in the delivery log.

export interface Outcome {
  status: "processed" | "ignored";
  summary: string;
}

const isBot = (u: { login: string; type?: string }) => u.type === "Bot" || /\[bot\]$/i.test(u.login);

export async function processDelivery(tx: Tx, rules: Rule[], event: string, payload: unknown): Promise<Outcome> {
  if (event === "ping") return { status: "ignored", summary: "ping: the webhook reaches Wakeboard" };
  if (event === "push") {
    const parsed = pushPayload.safeParse(payload);
    if (!parsed.success) return { status: "ignored", summary: `push payload not understood: ${parsed.error.issues[0].path.join(".")} ${parsed.error.issues[0].message}` };
    const p = parsed.data;
    const branch = p.ref.replace(/^refs\/heads\//, "");
    if (!p.ref.startsWith("refs/heads/")) return { status: "ignored", summary: `push to ${p.ref}, not a branch` };
    if (!p.repository.default_branch) return { status: "ignored", summary: "push without repository.default_branch" };
    if (branch !== p.repository.default_branch) return { status: "ignored", summary: `push to ${branch}, not the default branch ${p.repository.default_branch}` };
    if (p.deleted) return { status: "ignored", summary: `${branch} deleted` };
    // A force-push lists the commits that are now on the branch; those it replaced stay
    // counted (they were on the default branch; the payload does not say which left it).
    const r = await storeCommits(
      tx,
      rules,
      p.commits.map((c) => ({
        repo: p.repository.full_name,
        sha: c.id,
        committedAt: new Date(c.timestamp),
        message: c.message,
        author: { name: c.author.name, email: c.author.email, login: c.author.username },
        committer: c.committer ? { name: c.committer.name, email: c.committer.email, login: c.committer.username } : null,
        source: "webhook",
      })),
    );
    const seen = r.received - r.inserted;
    return {
      status: "processed",
      summary: `${p.forced ? "force-push" : "push"} to ${branch}: ${r.inserted} new commit(s), ${r.aiAssisted} AI-assisted${seen ? `, ${seen} already counted` : ""}`,
    };
  }
  if (event === "pull_request") {
    const parsed = pullRequestPayload.safeParse(payload);
    if (!parsed.success) return { status: "ignored", summary: `pull_request payload not understood: ${parsed.error.issues[0].path.join(".")} ${parsed.error.issues[0].message}` };
    const { action, repository, pull_request: pr } = parsed.data;
    const merged = action === "closed" && pr.merged === true && !!pr.merged_at;
    if (action !== "opened" && !merged) return { status: "ignored", summary: `pull request #${pr.number} ${action}${action === "closed" ? " without merge" : ""}` };
    const r = await storePullRequest(tx, rules, {
      repo: repository.full_name,
      number: pr.number,
      title: pr.title,
      body: pr.body ?? null,
      author: { login: pr.user.login, isBot: isBot(pr.user) },
      assignees: (pr.assignees ?? []).map((a) => ({ login: a.login, isBot: isBot(a) })),
      mergedBy: pr.merged_by ? { login: pr.merged_by.login, isBot: isBot(pr.merged_by) } : null,
      labels: (pr.labels ?? []).map((l) => l.name),
      headRef: pr.head?.ref ?? null,
      openedAt: new Date(pr.created_at),
      mergedAt: merged ? new Date(pr.merged_at!) : null,
      mergeCommitSha: merged ? (pr.merge_commit_sha ?? null) : null,
    });
    const ai = r.aiTools.length ? `AI-assisted (${r.aiTools.join(", ")})` : "no AI signal";
    return { status: "processed", summary: `pull request #${pr.number} ${merged ? "merged" : "opened"}: ${ai}${r.stored ? "" : "; already merged, unchanged"}` };
  }
  return { status: "ignored", summary: `${event} events are not used` };
}
