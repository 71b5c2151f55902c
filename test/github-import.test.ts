import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetConfig } from "@/lib/config";
import { closeDb, db } from "@/lib/db/client";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { deliver, fixture, WEBHOOK_SECRET } from "@/test/helpers/github";
import { drainDeliveries, githubWorkerIdle } from "@/lib/github/worker";

// `wakeboard github import --repo PATH` on a git repository generated here with the commits
// of the recorded push (same authors, messages with their trailers, dates): the figures it
// gives equal those of the webhook path for the same commits, and the two combined count
// each commit once.

type PushCommit = { id: string; message: string; timestamp: string; author: { name: string; email: string }; committer: { name: string; email: string } };
type Push = Record<string, unknown> & { commits: PushCommit[] };

const run = promisify(execFile);
const fixturePush = fixture<Push>("push-ai-signals.json");
let dir: string;
let push: Push;

/** A repository whose main branch holds the fixture's commits, oldest first; the push payload with their real shas. */
function generateRepository(): Push {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeboard-git-"));
  const git = (args: string[], env: Record<string, string> = {}) =>
    execFileSync("git", ["-C", dir, "-c", "commit.gpgsign=false", ...args], { env: { ...process.env, ...env }, encoding: "utf8" }).trim();
  git(["init", "-q", "-b", "main"]);
  const commits = fixturePush.commits.map((c) => {
    git(["commit", "-q", "--allow-empty", "--cleanup=verbatim", "-m", c.message], {
      GIT_AUTHOR_NAME: c.author.name,
      GIT_AUTHOR_EMAIL: c.author.email,
      GIT_AUTHOR_DATE: c.timestamp,
      GIT_COMMITTER_NAME: c.committer.name,
      GIT_COMMITTER_EMAIL: c.committer.email,
      GIT_COMMITTER_DATE: c.timestamp,
    });
    return { ...c, id: git(["rev-parse", "HEAD"]) };
  });
  return { ...fixturePush, commits, after: commits[commits.length - 1].id, head_commit: commits[commits.length - 1] };
}

async function cli(...args: string[]) {
  await closeDb(); // the embedded database admits one process at a time
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "scripts/cli/main.ts", ...args], { env: { ...process.env, LOG_LEVEL: "silent" } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

async function setUpOrg() {
  const prisma = await db();
  const teams: Record<string, number> = {};
  for (const slug of ["platform", "mobile"]) teams[slug] = (await prisma.team.create({ data: { slug, name: slug } })).id;
  const since = new Date("2026-01-01T00:00:00Z");
  const person = (email: string, team: string, identities: { kind: string; value: string }[] = []) =>
    prisma.person.create({ data: { email, name: email, teamId: teams[team], memberships: { create: { teamId: teams[team], validFrom: since } }, identities: { create: identities } } });
  await person("alice@acme.test", "platform");
  await person("bob@acme.test", "mobile", [{ kind: "github.login", value: "bob-builder" }]);
  await person("carol@acme.test", "mobile");
  await person("erin@acme.test", "platform");
}

async function figures() {
  const prisma = await db();
  return prisma.$queryRaw<unknown[]>`
    SELECT d.day::text AS day, t.slug AS team, coalesce(tl.slug, '*') AS tool, d.commits, d.ai_commits, d.merged_prs, d.ai_merged_prs
    FROM github_daily d JOIN teams t ON t.id = d.team_id LEFT JOIN tools tl ON tl.id = d.tool_id ORDER BY 1, 2, 3`;
}

async function classified() {
  const prisma = await db();
  const rows = await prisma.githubCommit.findMany({ select: { sha: true, aiTools: true, teamId: true, personId: true }, orderBy: { sha: "asc" } });
  return rows;
}

let database: TestDatabase | undefined;
let viaWebhook: { figures: unknown[]; commits: unknown[] };

beforeAll(async () => {
  process.env.WAKEBOARD_GITHUB_WEBHOOK_SECRET = WEBHOOK_SECRET;
  push = generateRepository();
  // The webhook path, in a database of its own.
  database = await createTestDatabase();
  await setUpOrg();
  expect((await deliver("push", push)).status).toBe(202);
  await githubWorkerIdle();
  await drainDeliveries();
  viaWebhook = { figures: await figures(), commits: await classified() };
  await database.drop();
  // The import path, in a fresh one with the same org.
  database = await createTestDatabase();
  await setUpOrg();
});

afterAll(async () => {
  await githubWorkerIdle();
  fs.rmSync(dir, { recursive: true, force: true });
  delete process.env.WAKEBOARD_GITHUB_WEBHOOK_SECRET;
  resetConfig();
  await database?.drop();
});

// Each case runs the CLI as a person does (a process of its own, tsx start-up included).
describe("wakeboard github import", { timeout: 180_000 }, () => {
  it("gives the same commits, tools, teams and figures as the webhook path", async () => {
    const r = await cli("github", "import", "--repo", dir, "--name", "acme/widgets");
    expect(r.stderr).not.toMatch(/wakeboard github import:/);
    expect(r.code).toBe(0);
    const n = fixturePush.commits.length;
    expect(r.stdout).toMatch(new RegExp(`^acme/widgets \\(main\\): ${n} commits read, ${n} new, 6 of them AI co-authored`));
    expect(viaWebhook.figures.length).toBeGreaterThan(0);
    expect(await classified()).toEqual(viaWebhook.commits);
    expect(await figures()).toEqual(viaWebhook.figures);
  });

  it("is idempotent, and a webhook delivery of the same commits adds nothing", async () => {
    const before = await figures();
    const again = await cli("github", "import", "--repo", dir, "--name", "acme/widgets");
    expect(again.stdout).toMatch(/9 commits read, 0 new/);
    expect((await deliver("push", push)).status).toBe(202);
    await githubWorkerIdle();
    await drainDeliveries();
    expect(await figures()).toEqual(before);
  });

  it("says what is wrong in one line", async () => {
    const notRepo = await cli("github", "import", "--repo", os.tmpdir());
    expect(notRepo).toMatchObject({ code: 1 });
    expect(notRepo.stderr).toMatch(/^wakeboard github import: .* is not a git repository\n$/);
    const noName = await cli("github", "import", "--repo", dir);
    expect(noName.stderr).toBe("wakeboard github import: cannot tell the repository's owner/name from its origin remote: pass --name owner/name\n");
    expect((await cli("github", "import")).stderr).toBe("wakeboard github import: --repo is required\n");
  });
});
