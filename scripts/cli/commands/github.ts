import { parse, required, out, info, UsageError, type Command } from "@/scripts/cli/command";
import { ImportError, importGitHistory } from "@/lib/github/import-git";

// `github import --repo PATH`: backfill AI-assisted commits from a local clone (docs/github.md).

export const githubImport: Command = {
  name: "github import",
  summary: "read a local clone's default-branch history (git log) and count its commits and AI co-authored commits, with the webhook's rules (idempotent)",
  usage: "github import --repo PATH [--name OWNER/NAME] [--branch BRANCH] [--since DATE]",
  needsDb: true,
  async run(argv) {
    const { values } = parse(argv, { repo: { type: "string" }, name: { type: "string" }, branch: { type: "string" }, since: { type: "string" } });
    const started = Date.now();
    try {
      const r = await importGitHistory({
        repo: required(values.repo, "--repo"),
        name: values.name,
        branch: values.branch,
        since: values.since,
        onBatch: (p) => info(`… ${p.commits} commits read, ${p.inserted} new`),
      });
      out(`${r.repo} (${r.branch}): ${r.commits} commits read, ${r.inserted} new, ${r.aiAssisted} of them AI co-authored (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (e) {
      if (e instanceof ImportError) throw new UsageError(e.message);
      throw e;
    }
  },
};
