import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { deliver, fixture, hmac, WEBHOOK_SECRET } from "@/test/helpers/github";
import { drainDeliveries, githubWorkerIdle, startGithubWorker } from "@/lib/github/worker";
import { receiveGithubWebhook } from "@/lib/github/receive";
import { rebuildGithub } from "@/lib/github/rebuild";
import { resolvePeriod } from "@/lib/time/period";
import { getLeaderboard } from "@/lib/queries/get-leaderboard";
import { compareTeams } from "@/lib/queries/compare-teams";
import { getTeamGithub } from "@/lib/queries/get-team-github";
import { openWeeklyExport } from "@/lib/export/weekly-export";

// POST /api/v1/github/webhook end to end on a real database: signature, dedupe by delivery
// id, the default rule set on a recorded push, people and teams at commit time, pull
// requests, force-push and revert — and github_daily against sums computed here from the
// fixtures and the expectations written next to them.

type Commit = { id: string; timestamp: string; message: string };
type Push = { commits: Commit[]; ref: string };

const push = fixture<Push>("push-ai-signals.json");
const sha = (i: number) => push.commits[i].id;

/** What each commit of push-ai-signals.json is: its tool (or none) and its author's team then. */
const EXPECTED: Record<string, { tool: string | null; team: string }> = {
  [sha(0)]: { tool: "claude-code", team: "platform" }, // Claude Code footer + trailer, alice
  [sha(1)]: { tool: "copilot", team: "mobile" }, // Copilot coding agent; its human is bob (co-author)
  [sha(2)]: { tool: "codex", team: "platform" }, // carol, before her move to mobile
  [sha(3)]: { tool: "gemini-cli", team: "unassigned" }, // dave is nobody Wakeboard knows yet
  [sha(4)]: { tool: "cursor", team: "platform" },
  [sha(5)]: { tool: "aider", team: "platform" }, // erin, through aider
  [sha(6)]: { tool: null, team: "mobile" }, // look-alikes: "Claude" in prose, a human co-author named Claude
  [sha(7)]: { tool: null, team: "unassigned" }, // a human called "Copilot Fan"
  [sha(8)]: { tool: null, team: "mobile" }, // carol, after her move
};

let database: TestDatabase;
const teams: Record<string, number> = {};

async function counts() {
  const prisma = await db();
  return {
    deliveries: await prisma.githubDelivery.count(),
    commits: await prisma.githubCommit.count(),
    pulls: await prisma.githubPullRequest.count(),
    daily: await prisma.githubDaily.count(),
  };
}

async function daily() {
  const prisma = await db();
  const rows = await prisma.$queryRaw<{ day: string; team: string; tool: string; commits: number; ai_commits: number; merged_prs: number; ai_merged_prs: number }[]>`
    SELECT d.day::text AS day, t.slug AS team, coalesce(tl.slug, '*') AS tool, d.commits, d.ai_commits, d.merged_prs, d.ai_merged_prs
    FROM github_daily d JOIN teams t ON t.id = d.team_id LEFT JOIN tools tl ON tl.id = d.tool_id ORDER BY 1, 2, 3`;
  return rows;
}

/** github_daily as it must be, from a list of facts: (day, team, tools, kind). */
function reference(facts: { day: string; team: string; tools: string[]; kind: "commit" | "pr" }[]) {
  const m = new Map<string, { day: string; team: string; tool: string; commits: number; ai_commits: number; merged_prs: number; ai_merged_prs: number }>();
  const add = (day: string, team: string, tool: string, f: (r: { commits: number; ai_commits: number; merged_prs: number; ai_merged_prs: number }) => void) => {
    const k = `${day}|${team}|${tool}`;
    if (!m.has(k)) m.set(k, { day, team, tool, commits: 0, ai_commits: 0, merged_prs: 0, ai_merged_prs: 0 });
    f(m.get(k)!);
  };
  for (const f of facts) {
    add(f.day, f.team, "*", (r) => {
      if (f.kind === "commit") {
        r.commits++;
        if (f.tools.length) r.ai_commits++;
      } else {
        r.merged_prs++;
        if (f.tools.length) r.ai_merged_prs++;
      }
    });
    for (const tool of f.tools) add(f.day, f.team, tool, (r) => (f.kind === "commit" ? r.ai_commits++ : r.ai_merged_prs++));
  }
  return [...m.values()].sort((a, b) => (`${a.day}|${a.team}|${a.tool}` < `${b.day}|${b.team}|${b.tool}` ? -1 : 1));
}

const pushFacts = () =>
  push.commits.map((c) => ({ day: c.timestamp.slice(0, 10), team: EXPECTED[c.id].team, tools: EXPECTED[c.id].tool ? [EXPECTED[c.id].tool!] : [], kind: "commit" as const }));

beforeAll(async () => {
  process.env.WAKEBOARD_GITHUB_WEBHOOK_SECRET = WEBHOOK_SECRET;
  database = await createTestDatabase();
  const prisma = await db();
  for (const slug of ["platform", "mobile"]) teams[slug] = (await prisma.team.create({ data: { slug, name: slug } })).id;
  const since = new Date("2026-01-01T00:00:00Z");
  const person = async (email: string, team: string, identities: { kind: string; value: string }[] = []) =>
    prisma.person.create({ data: { email, name: email, teamId: teams[team], memberships: { create: { teamId: teams[team], validFrom: since } }, identities: { create: identities } } });
  await person("alice@acme.test", "platform");
  await person("bob@acme.test", "mobile", [{ kind: "github.login", value: "bob-builder" }]);
  await person("erin@acme.test", "platform");
  const carol = await person("carol@acme.test", "platform");
  // carol moves to mobile at 12:00 UTC on 2026-11-30: her 11:00 commit stays with platform.
  const moved = new Date("2026-11-30T12:00:00Z");
  await prisma.membership.updateMany({ where: { personId: carol.id }, data: { validTo: moved } });
  await prisma.membership.create({ data: { personId: carol.id, teamId: teams.mobile, validFrom: moved } });
  await prisma.person.update({ where: { id: carol.id }, data: { teamId: teams.mobile } });
});

afterAll(async () => {
  await githubWorkerIdle();
  await drainDeliveries();
  delete process.env.WAKEBOARD_GITHUB_WEBHOOK_SECRET;
  resetConfig();
  await database.drop();
});

describe("POST /api/v1/github/webhook", () => {
  it("refuses a missing signature with 401 and stores nothing", async () => {
    const r = await deliver("push", push, { signature: null });
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ error: { code: "bad_signature" } });
    expect(await counts()).toEqual({ deliveries: 0, commits: 0, pulls: 0, daily: 0 });
  });

  it("refuses another secret's signature, a tampered body and a malformed header with 401", async () => {
    const body = JSON.stringify(push);
    expect((await deliver("push", push, { secret: "some-other-secret-0123456789" })).status).toBe(401);
    expect((await deliver("push", push, { body: body.replace("alice@acme.test", "mallory@acme.test"), signature: hmac(WEBHOOK_SECRET, body) })).status).toBe(401);
    expect((await deliver("push", push, { signature: hmac(WEBHOOK_SECRET, body).replace("sha256=", "sha1=") })).status).toBe(401);
    expect((await deliver("push", push, { signature: "sha256=" })).status).toBe(401);
    expect(await counts()).toEqual({ deliveries: 0, commits: 0, pulls: 0, daily: 0 });
  });

  it("records a signed push at once (202) and the worker stores its commits with their tools and teams", async () => {
    const r = await deliver("push", push);
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ delivery: r.delivery, status: "queued" });
    await drainDeliveries();
    const prisma = await db();
    const stored = await prisma.githubCommit.findMany({ orderBy: { committedAt: "asc" } });
    const teamSlug = Object.fromEntries(Object.entries(teams).map(([s, id]) => [id, s]));
    const got = Object.fromEntries(stored.map((c) => [c.sha, { tool: c.aiTools[0] ?? null, team: teamSlug[c.teamId] ?? "unassigned" }]));
    expect(got).toEqual(EXPECTED);
    for (const c of stored) expect(c.aiTools.length, c.sha).toBeLessThanOrEqual(1);
    expect(await daily()).toEqual(reference(pushFacts()));
    const log = await prisma.githubDelivery.findUniqueOrThrow({ where: { id: r.delivery } });
    expect(log).toMatchObject({ event: "push", repo: "acme/widgets", status: "processed" });
    expect(log.summary).toContain("9 new commit(s), 6 AI-assisted");
  });

  it("records unknown authors as unmapped identities for an admin", async () => {
    const prisma = await db();
    const unmapped = await prisma.identity.findMany({ where: { personId: null }, orderBy: [{ kind: "asc" }, { value: "asc" }] });
    expect(unmapped.map((i) => `${i.kind}:${i.value}`)).toEqual(
      expect.arrayContaining(["github.login:dave", "user.email:dave@acme.test", "github.login:copilotfan", "user.email:fan@acme.test"]),
    );
  });

  it("counts a redelivery (same X-GitHub-Delivery) once", async () => {
    const before = await daily();
    const first = await deliver("push", push);
    await drainDeliveries();
    const after = await daily();
    const again = await deliver("push", push, { delivery: first.delivery });
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ delivery: first.delivery, status: "duplicate" });
    await drainDeliveries();
    expect(await daily()).toEqual(after);
    // A second delivery of the same commits (another id) changes nothing either: commits are keyed by sha.
    expect(after).toEqual(before);
    const prisma = await db();
    expect((await prisma.githubDelivery.findUniqueOrThrow({ where: { id: first.delivery } })).summary).toContain("0 new commit(s), 0 AI-assisted, 9 already counted");
  });

  it("ignores pushes to other branches and events it does not use, and says why", async () => {
    const before = await counts();
    const feature = await deliver("push", fixture("push-feature-branch.json"));
    const ping = await deliver("ping", { zen: "Keep it logically awesome.", hook_id: 1 });
    const star = await deliver("star", { action: "created", repository: { full_name: "acme/widgets" } });
    await drainDeliveries();
    const prisma = await db();
    const rows = await prisma.githubDelivery.findMany({ where: { id: { in: [feature.delivery, ping.delivery, star.delivery] } } });
    expect(rows.map((r) => r.status)).toEqual(["ignored", "ignored", "ignored"]);
    expect(rows.find((r) => r.id === feature.delivery)!.summary).toBe("push to feature/cache, not the default branch main");
    expect({ ...(await counts()), deliveries: 0 }).toEqual({ ...before, deliveries: 0 });
  });

  it("stores a pull request when opened and counts it when merged, attributed to the human behind the agent", async () => {
    const opened = fixture("pull_request-opened.json");
    const merged = fixture<{ pull_request: { merged_at: string } }>("pull_request-closed-merged.json");
    await deliver("pull_request", opened);
    await drainDeliveries();
    expect(await daily()).toEqual(reference(pushFacts())); // opened, not merged: no count yet
    await deliver("pull_request", merged);
    await drainDeliveries();
    const pr = { day: merged.pull_request.merged_at.slice(0, 10), team: "mobile", tools: ["copilot"], kind: "pr" as const };
    expect(await daily()).toEqual(reference([...pushFacts(), pr]));
    // GitHub does not promise order: an "opened" delivered after the merge changes nothing.
    await deliver("pull_request", opened);
    await drainDeliveries();
    expect(await daily()).toEqual(reference([...pushFacts(), pr]));
  });

  it("a PR closed without merging is not counted; a human PR with a Claude Code footer is AI-assisted", async () => {
    const base = fixture<Record<string, any>>("pull_request-closed-merged.json");
    const human = { login: "alice", id: 4242, type: "User" };
    const unmerged = { ...base, pull_request: { ...base.pull_request, number: 43, merged: false, merged_at: null, merge_commit_sha: null, user: human, assignees: [] } };
    const claude = {
      ...base,
      pull_request: {
        ...base.pull_request,
        number: 44,
        user: human,
        assignees: [],
        body: "Adds the cache.\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)",
        merge_commit_sha: "0".repeat(40),
      },
    };
    const lookalike = { ...base, pull_request: { ...claude.pull_request, number: 45, title: "Ask Claude later", body: "Claude suggested this; generated with Claude Code and rewritten." } };
    for (const p of [unmerged, claude, lookalike]) await deliver("pull_request", p);
    await drainDeliveries();
    const day = base.pull_request.merged_at.slice(0, 10);
    expect(await daily()).toEqual(
      reference([
        ...pushFacts(),
        { day, team: "mobile", tools: ["copilot"], kind: "pr" },
        { day, team: "platform", tools: ["claude-code"], kind: "pr" },
        { day, team: "platform", tools: [], kind: "pr" },
      ]),
    );
  });

  it("a force-push counts the commits it lists once: a re-pushed sha is not counted again", async () => {
    const forced = fixture<Push>("push-forced.json");
    const r = await deliver("push", forced);
    await drainDeliveries();
    const prisma = await db();
    expect((await prisma.githubDelivery.findUniqueOrThrow({ where: { id: r.delivery } })).summary).toBe("force-push to main: 1 new commit(s), 1 AI-assisted, 1 already counted");
    const c10 = await prisma.githubCommit.findFirstOrThrow({ where: { sha: forced.commits[1].id } });
    expect(c10.aiTools).toEqual(["claude-code"]);
    expect(await prisma.githubCommit.count()).toBe(push.commits.length + 1);
  });

  it("a revert is a commit of its own author, not AI output of the commit it reverts", async () => {
    const revert = fixture<Push>("push-revert.json");
    await deliver("push", revert);
    await drainDeliveries();
    const prisma = await db();
    const r = await prisma.githubCommit.findFirstOrThrow({ where: { sha: revert.commits[0].id } });
    expect(r).toMatchObject({ aiTools: [], revertsSha: sha(0), teamId: teams.mobile });
    // The reverted commit landed and stays counted as what it was.
    expect((await prisma.githubCommit.findFirstOrThrow({ where: { sha: sha(0) } })).aiTools).toEqual(["claude-code"]);
    const dec1 = (await daily()).filter((d) => d.day === "2026-12-01");
    expect(dec1).toEqual([
      { day: "2026-12-01", team: "mobile", tool: "*", commits: 1, ai_commits: 0, merged_prs: 0, ai_merged_prs: 0 },
      { day: "2026-12-01", team: "platform", tool: "*", commits: 1, ai_commits: 1, merged_prs: 0, ai_merged_prs: 0 },
      { day: "2026-12-01", team: "platform", tool: "claude-code", commits: 0, ai_commits: 1, merged_prs: 0, ai_merged_prs: 0 },
    ]);
  });

  it("answers 400 for a signed delivery without its headers or with a body that is not JSON", async () => {
    const bad = await deliver("push", null, { body: "not json" });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: "bad_request" } });
  });

  it("accepts GitHub's form-encoded content type", async () => {
    const body = new URLSearchParams({ payload: JSON.stringify({ zen: "Design for failure.", hook_id: 2 }) }).toString();
    const r = await deliver("ping", null, { body, contentType: "application/x-www-form-urlencoded" });
    expect(r.status).toBe(202);
  });
});

describe("the figures on pages and in the export", () => {
  // Everything delivered above, as facts: (day, team, tools, kind).
  const allFacts = () => {
    const forced = fixture<Push>("push-forced.json").commits[1];
    const revert = fixture<Push>("push-revert.json").commits[0];
    const merged = fixture<{ pull_request: { merged_at: string } }>("pull_request-closed-merged.json").pull_request.merged_at.slice(0, 10);
    return [
      ...pushFacts(),
      { day: forced.timestamp.slice(0, 10), team: "platform", tools: ["claude-code"], kind: "commit" as const },
      { day: revert.timestamp.slice(0, 10), team: "mobile", tools: [], kind: "commit" as const },
      { day: merged, team: "mobile", tools: ["copilot"], kind: "pr" as const },
      { day: merged, team: "platform", tools: ["claude-code"], kind: "pr" as const },
      { day: merged, team: "platform", tools: [], kind: "pr" as const },
    ];
  };
  const period = resolvePeriod("2026-11-30..2026-12-01", { tz: "UTC" });
  const expectedFor = (team: string, tool?: string) => {
    const f = allFacts().filter((x) => x.team === team);
    const ai = (x: { tools: string[] }) => (tool ? x.tools.includes(tool) : x.tools.length > 0);
    return {
      landedCommits: f.filter((x) => x.kind === "commit").length,
      aiCommits: f.filter((x) => x.kind === "commit" && ai(x)).length,
      mergedPrs: f.filter((x) => x.kind === "pr").length,
      aiMergedPrs: f.filter((x) => x.kind === "pr" && ai(x)).length,
    };
  };
  const share = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 10 : null);

  it("the leaderboard ranks teams by AI-assisted PR share, with every GitHub figure per team", async () => {
    const board = await getLeaderboard({ period, metric: "ai_pr_share", sparkline: false });
    const want = ["mobile", "platform", "unassigned"].map((team) => ({ team, ...expectedFor(team) }));
    for (const w of want) {
      const row = board.rows.find((r) => r.slug === w.team)!;
      expect(row, w.team).toMatchObject({ landedCommits: w.landedCommits, aiCommits: w.aiCommits, mergedPrs: w.mergedPrs, aiMergedPrs: w.aiMergedPrs, value: share(w.aiMergedPrs, w.mergedPrs) });
    }
    const ranked = want.filter((w) => w.mergedPrs > 0).sort((a, b) => share(b.aiMergedPrs, b.mergedPrs)! - share(a.aiMergedPrs, a.mergedPrs)!);
    expect(board.rows.slice(0, ranked.length).map((r) => [r.slug, r.rank])).toEqual(ranked.map((w, i) => [w.team, i + 1]));
    const commits = await getLeaderboard({ period, metric: "ai_commit_share", sparkline: false });
    for (const w of want) expect(commits.rows.find((r) => r.slug === w.team)!.value, w.team).toBe(share(w.aiCommits, w.landedCommits));
  });

  it("a tool filter counts that tool's signals over all merged PRs and commits", async () => {
    const board = await getLeaderboard({ period, metric: "ai_merged_prs", tools: ["claude-code"], sparkline: false });
    for (const team of ["mobile", "platform"]) {
      const w = expectedFor(team, "claude-code");
      expect(board.rows.find((r) => r.slug === team), team).toMatchObject(w);
    }
  });

  it("trends draw the share per day, and the sparkline counts per day", async () => {
    const cmp = await compareTeams({ teams: ["platform"], period, metric: "ai_commit_share", grain: "day" });
    const byDay = (day: string) => {
      const f = allFacts().filter((x) => x.team === "platform" && x.kind === "commit" && x.day === day);
      return share(f.filter((x) => x.tools.length).length, f.length);
    };
    expect(cmp.teams[0].values).toEqual([byDay("2026-11-30"), byDay("2026-12-01")]);
    const board = await getLeaderboard({ period, metric: "ai_commits" });
    const platform = allFacts().filter((x) => x.team === "platform" && x.kind === "commit" && x.tools.length);
    expect(board.rows.find((r) => r.slug === "platform")!.sparkline).toEqual(["2026-11-30", "2026-12-01"].map((d) => platform.filter((x) => x.day === d).length));
  });

  it("the team page splits AI-assisted work by tool and gives open→merge medians with their counts", async () => {
    const g = await getTeamGithub({ team: "platform", period });
    const w = expectedFor("platform");
    expect(g.totals).toEqual(w);
    const tools = [...new Set(allFacts().filter((x) => x.team === "platform").flatMap((x) => x.tools))].sort();
    expect(g.byTool.map((t) => t.slug).sort()).toEqual(tools);
    for (const t of g.byTool) expect({ aiCommits: t.aiCommits, aiMergedPrs: t.aiMergedPrs }).toEqual({ aiCommits: expectedFor("platform", t.slug).aiCommits, aiMergedPrs: expectedFor("platform", t.slug).aiMergedPrs });
    // PRs 44 (Claude Code footer) and 45 (look-alike) share the fixture's open and merge times.
    const pr = fixture<{ pull_request: { created_at: string; merged_at: string } }>("pull_request-closed-merged.json").pull_request;
    const hours = (Date.parse(pr.merged_at) - Date.parse(pr.created_at)) / 3_600_000;
    expect(g.mergeTime).toEqual({ ai: { medianHours: hours, count: 1 }, other: { medianHours: hours, count: 1 } });
  });

  it("the weekly export appends the GitHub columns after rank_change", async () => {
    const exp = await openWeeklyExport({ week: "2026-W49", grain: "team", requester: { kind: "system" } });
    expect(exp.columns.slice(exp.columns.indexOf("rank_change") + 1)).toEqual(["merged_prs", "ai_merged_prs", "ai_pr_share_pct", "landed_commits", "ai_commits", "ai_commit_share_pct"]);
    const rows: Record<string, unknown>[] = [];
    for await (const r of exp.rows) rows.push(r);
    // 2026-W49 is Monday 2026-11-30 to Sunday 2026-12-06: every fact above.
    for (const team of ["mobile", "platform"]) {
      const w = expectedFor(team);
      expect(rows.find((r) => r.team === team), team).toMatchObject({
        merged_prs: w.mergedPrs,
        ai_merged_prs: w.aiMergedPrs,
        ai_pr_share_pct: share(w.aiMergedPrs, w.mergedPrs),
        landed_commits: w.landedCommits,
        ai_commits: w.aiCommits,
        ai_commit_share_pct: share(w.aiCommits, w.landedCommits),
      });
    }
  });
});

describe("rollups rebuild", () => {
  it("recomputes github_daily from the stored facts, and --reattribute moves dave's commit once an admin maps him", async () => {
    const prisma = await db();
    const before = await daily();
    await prisma.githubDaily.deleteMany({});
    expect((await rebuildGithub()).rollupRows).toBe(before.length);
    expect(await daily()).toEqual(before);

    const dave = await prisma.person.create({ data: { email: "dave.d@acme.test", name: "Dave", teamId: teams.platform, memberships: { create: { teamId: teams.platform, validFrom: new Date("2026-01-01T00:00:00Z") } } } });
    await prisma.identity.update({ where: { kind_value: { kind: "github.login", value: "dave" } }, data: { personId: dave.id } });
    const r = await rebuildGithub({ reattribute: true });
    expect(r.reattributed).toBe(1);
    const c4 = await prisma.githubCommit.findFirstOrThrow({ where: { sha: sha(3) } });
    expect(c4).toMatchObject({ personId: dave.id, teamId: teams.platform });
    const day = push.commits[3].timestamp.slice(0, 10);
    const gemini = (await daily()).filter((d) => d.day === day && d.tool === "gemini-cli");
    expect(gemini).toEqual([{ day, team: "platform", tool: "gemini-cli", commits: 0, ai_commits: 1, merged_prs: 0, ai_merged_prs: 0 }]);
  });
});

describe("the worker", () => {
  it("processes deliveries recorded while no worker ran (a restart)", async () => {
    // Recorded through the receiving half alone: nothing kicks a worker.
    const payload = fixture<Push>("push-feature-branch.json");
    const body = JSON.stringify(payload);
    const headers = new Headers({ "content-type": "application/json", "x-github-event": "push", "x-github-delivery": "restart-1", "x-hub-signature-256": hmac(WEBHOOK_SECRET, body) });
    await receiveGithubWebhook(headers, new Response(body).body);
    const prisma = await db();
    expect((await prisma.githubDelivery.findUniqueOrThrow({ where: { id: "restart-1" } })).status).toBe("pending");
    const worker = startGithubWorker(60_000);
    try {
      await expect.poll(async () => (await prisma.githubDelivery.findUniqueOrThrow({ where: { id: "restart-1" } })).status, { timeout: 20_000 }).toBe("ignored");
    } finally {
      await worker.stop();
    }
  });
});
