import { spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { db } from "@/lib/db/client";
import { loadRules } from "@/lib/github/rules";
import { storeCommits, type CommitFact } from "@/lib/github/store";
import { withGithubLock } from "@/lib/github/worker";

// `wakeboard github import --repo PATH`: the default branch's history from a local clone
// (`git log`, no GitHub API), through the same rules and storeCommits() as the webhook.
// Commits are keyed by sha, so re-running it, or importing what webhooks already delivered,
// counts nothing twice.

export class ImportError extends Error {}

const BATCH = 500;
const FIELD = "\x1f";
const RECORD = "\x1e";

function git(repo: string, args: string[]): string | null {
  const r = spawnSync("git", ["-C", repo, ...args], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** The default branch to read: origin/HEAD's branch (as origin/<name>), else the checked-out one. */
export function defaultBranch(repo: string, branch?: string): string {
  if (git(repo, ["rev-parse", "--git-dir"]) === null) throw new ImportError(`${repo} is not a git repository`);
  if (branch) {
    for (const ref of [`origin/${branch}`, branch]) if (git(repo, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])) return ref;
    throw new ImportError(`no branch ${branch} in ${repo}`);
  }
  const remoteHead = git(repo, ["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"]);
  if (remoteHead) return remoteHead;
  const head = git(repo, ["symbolic-ref", "--quiet", "--short", "HEAD"]);
  if (!head) throw new ImportError(`cannot tell ${repo}'s default branch: pass --branch`);
  return head;
}

/** owner/name from the origin remote (https or ssh GitHub URL). */
export function repoName(repo: string): string | null {
  const url = git(repo, ["remote", "get-url", "origin"]);
  const m = url && /github\.com[/:]([^/]+\/[^/]+?)(\.git)?\/?$/i.exec(url);
  return m ? m[1].toLowerCase() : null;
}

export interface ImportResult {
  repo: string;
  branch: string;
  commits: number;
  inserted: number;
  aiAssisted: number;
}

export async function importGitHistory(opts: { repo: string; name?: string; branch?: string; since?: string; onBatch?: (r: ImportResult) => void }): Promise<ImportResult> {
  const branch = defaultBranch(opts.repo, opts.branch);
  const name = opts.name?.toLowerCase() ?? repoName(opts.repo);
  if (!name || !/^[^/\s]+\/[^/\s]+$/.test(name)) throw new ImportError("cannot tell the repository's owner/name from its origin remote: pass --name owner/name");
  const rules = loadRules();
  const prisma = await db();
  const result: ImportResult = { repo: name, branch, commits: 0, inserted: 0, aiAssisted: 0 };

  const args = ["-C", opts.repo, "log", branch, `--format=%H${FIELD}%cI${FIELD}%an${FIELD}%ae${FIELD}%cn${FIELD}%ce${FIELD}%B${RECORD}`];
  if (opts.since) args.push(`--since=${opts.since}`);
  const child = spawn("git", args, { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? 1)));

  let batch: CommitFact[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const commits = batch;
    batch = [];
    const r = await prisma.$transaction(
      async (tx) => {
        await withGithubLock(tx);
        return storeCommits(tx, rules, commits);
      },
      { timeout: 300_000, maxWait: 60_000 },
    );
    result.commits += r.received;
    result.inserted += r.inserted;
    result.aiAssisted += r.aiAssisted;
    opts.onBatch?.(result);
  };

  let pending = "";
  for await (const chunk of child.stdout.setEncoding("utf8")) {
    pending += chunk;
    let at: number;
    while ((at = pending.indexOf(RECORD)) >= 0) {
      const record = pending.slice(0, at).replace(/^\n/, "");
      pending = pending.slice(at + 1);
      const [sha, date, an, ae, cn, ce, ...body] = record.split(FIELD);
      if (!sha) continue;
      batch.push({
        repo: name,
        sha,
        committedAt: new Date(date),
        message: body.join(FIELD).replace(/\n+$/, ""),
        author: { name: an, email: ae },
        committer: { name: cn, email: ce },
        source: "import",
      });
      if (batch.length >= BATCH) await flush();
    }
  }
  const code = await exited;
  if (code !== 0) throw new ImportError(`git log failed: ${stderr.trim().split("\n")[0]}`);
  await flush();
  return result;
}
