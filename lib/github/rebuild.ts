import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import { loadRules } from "@/lib/github/rules";
import { commitPerson } from "@/lib/github/signals";
import { attribute } from "@/lib/github/people";
import { refreshGithubRollup } from "@/lib/github/rollup";
import { withGithubLock } from "@/lib/github/worker";

// `rollups rebuild` for GitHub: github_daily recomputed from the stored commits and pull
// requests; with --reattribute, each one's person and team are resolved again first (an
// identity mapped since, a membership corrected), from the author stored with it.

const BATCH = 1000;

export async function rebuildGithub(opts: { reattribute?: boolean } = {}): Promise<{ reattributed: number; rollupRows: number }> {
  const prisma = await db();
  const rules = loadRules();
  let reattributed = 0;
  if (opts.reattribute) {
    for (let after = ""; ; ) {
      const n = await prisma.$transaction(
        async (tx) => {
          await withGithubLock(tx);
          const rows = await tx.$queryRaw<{ repo: string; sha: string; key: string; committed_at: Date; author_name: string; author_email: string; author_login: string | null; message: string; person_id: number | null; team_id: number }[]>`
            SELECT repo, sha, repo || ' ' || sha AS key, committed_at, author_name, author_email, author_login, message, person_id, team_id
            FROM github_commits WHERE repo || ' ' || sha > ${after} ORDER BY repo || ' ' || sha LIMIT ${BATCH}`;
          if (!rows.length) return 0;
          after = rows[rows.length - 1].key;
          const who = await attribute(
            tx,
            rows.map((r) => ({ who: commitPerson(rules, { message: r.message, author: { name: r.author_name, email: r.author_email, login: r.author_login } }), at: r.committed_at })),
          );
          const changed = rows.flatMap((r, i) => (who[i].personId !== r.person_id || who[i].teamId !== r.team_id ? [{ repo: r.repo, sha: r.sha, ...who[i] }] : []));
          if (changed.length) {
            await tx.$executeRaw`
              UPDATE github_commits c SET person_id = u."personId", team_id = u."teamId"
              FROM jsonb_to_recordset(${JSON.stringify(changed)}::jsonb) AS u(repo text, sha text, "personId" int, "teamId" int)
              WHERE c.repo = u.repo AND c.sha = u.sha`;
          }
          reattributed += changed.length;
          return rows.length;
        },
        { timeout: 300_000, maxWait: 60_000 },
      );
      if (n < BATCH) break;
    }
    await prisma.$transaction(async (tx) => {
      await withGithubLock(tx);
      const prs = await tx.$queryRaw<{ repo: string; number: number; person_login: string | null; opened_at: Date; merged_at: Date | null; person_id: number | null; team_id: number }[]>`
        SELECT repo, number, person_login, opened_at, merged_at, person_id, team_id FROM github_pull_requests ORDER BY repo, number`;
      const who = await attribute(tx, prs.map((p) => ({ who: p.person_login ? { login: p.person_login } : null, at: p.merged_at ?? p.opened_at })));
      const changed = prs.flatMap((p, i) => (who[i].personId !== p.person_id || who[i].teamId !== p.team_id ? [{ repo: p.repo, number: p.number, ...who[i] }] : []));
      if (changed.length) {
        await tx.$executeRaw`
          UPDATE github_pull_requests p SET person_id = u."personId", team_id = u."teamId"
          FROM jsonb_to_recordset(${JSON.stringify(changed)}::jsonb) AS u(repo text, number int, "personId" int, "teamId" int)
          WHERE p.repo = u.repo AND p.number = u.number`;
      }
      reattributed += changed.length;
    }, { timeout: 300_000, maxWait: 60_000 });
  }
  const rollupRows = await prisma.$transaction(
    async (tx) => {
      await withGithubLock(tx);
      await refreshGithubRollup(tx, null);
      const [{ n }] = await tx.$queryRaw<{ n: number }[]>(Prisma.sql`SELECT count(*)::int AS n FROM github_daily`);
      return n;
    },
    { timeout: 600_000, maxWait: 60_000 },
  );
  return { reattributed, rollupRows };
}
