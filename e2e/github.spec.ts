import { createHmac, randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { signIn, watchConsole } from "./helpers";
import { GITHUB_WEBHOOK_SECRET } from "../playwright.config";

// GitHub outcomes through the real server: signed webhook deliveries (a push that tells
// Wakeboard which GitHub login each person's commits come from, then merged pull requests)
// → the leaderboard ranked by AI-assisted PR share, in the order and with the shares these
// deliveries imply; the team page shows the per-tool split and open→merge times; the
// delivery log lists what happened.

const DAY = 86_400_000;
const at = (daysAgo: number, hour: number) => new Date(Math.floor(Date.now() / DAY) * DAY - daysAgo * DAY + hour * 3_600_000).toISOString();

async function deliver(request: APIRequestContext, event: string, payload: unknown) {
  const body = JSON.stringify(payload);
  const res = await request.post("/api/v1/github/webhook", {
    data: body,
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": randomUUID(),
      "x-hub-signature-256": `sha256=${createHmac("sha256", GITHUB_WEBHOOK_SECRET).update(body).digest("hex")}`,
    },
  });
  expect(res.status()).toBe(202);
}

const repository = { full_name: "acme/e2e-widgets", default_branch: "main" };
const hex = (n: number) => n.toString(16).padStart(40, "0");

/** Per team: one person, their PRs (true = AI-assisted). Shares: 3/4, 1/2, 0/2. */
const TEAMS = [
  { slug: "infra", login: "e2e-infra", prs: [true, true, true, false] },
  { slug: "checkout", login: "e2e-checkout", prs: [true, false] },
  { slug: "ios", login: "e2e-ios", prs: [false, false] },
];

test("the leaderboard ranks teams by AI-assisted PR share from GitHub webhooks", async ({ page }) => {
  test.setTimeout(180_000); // ten deliveries, the worker, three pages of the seeded demo org
  const errors = watchConsole(page);
  await signIn(page, "admin");

  // Three people in three demo teams, through the admin roster API (as an admin script would).
  const roster = ["email,name,team", ...TEAMS.map((t) => `${t.login}@e2e.example,${t.login},${t.slug}`)].join("\n");
  const r = await page.request.post("/api/v1/admin/roster", { data: roster, headers: { "content-type": "text/csv", origin: new URL(page.url()).origin } });
  expect(r.status()).toBe(200);

  // A push to main: each person's commit, with the GitHub login GitHub resolved for it.
  await deliver(page.request, "push", {
    ref: "refs/heads/main",
    forced: false,
    repository,
    commits: TEAMS.map((t, i) => ({
      id: hex(1000 + i),
      message: "Set up the e2e widgets\n\nCo-Authored-By: Claude <noreply@anthropic.com>",
      timestamp: at(3, 9),
      author: { name: t.login, email: `${t.login}@e2e.example`, username: t.login },
      committer: { name: t.login, email: `${t.login}@e2e.example`, username: t.login },
    })),
  });

  // Merged pull requests two days ago; AI-assisted ones carry Claude Code's footer.
  let number = 1;
  for (const t of TEAMS) {
    for (const ai of t.prs) {
      const n = number++;
      await deliver(page.request, "pull_request", {
        action: "closed",
        number: n,
        repository,
        pull_request: {
          number: n,
          title: `Change ${n}`,
          body: ai ? "Summary\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)" : "Summary",
          user: { login: t.login, type: "User" },
          assignees: [],
          labels: [],
          created_at: at(2, 8),
          merged_at: at(2, ai ? 10 : 14),
          merged: true,
          merge_commit_sha: hex(5000 + n),
        },
      });
    }
  }

  // The delivery log shows them processed (the worker runs in the background).
  await page.goto("/admin/github");
  await expect(page.getByRole("heading", { name: "GitHub deliveries" })).toBeVisible();
  const deliveries = 1 + TEAMS.reduce((n, t) => n + t.prs.length, 0);
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("link", { name: `processed (${deliveries})`, exact: true })).toBeVisible({ timeout: 1000 });
  }).toPass();

  await page.goto("/leaderboard?metric=ai_pr_share&period=7d");
  await expect(page.getByText(/ranked by ai-assisted pr share · Last 7 days/)).toBeVisible();
  const rows = page.getByTestId("leaderboard").getByRole("row");
  const expected = TEAMS.map((t) => ({ slug: t.slug, share: Math.round((t.prs.filter(Boolean).length / t.prs.length) * 1000) / 10 })).sort((a, b) => b.share - a.share);
  for (const [i, e] of expected.entries()) {
    const row = rows.nth(i + 1);
    await expect(row.getByRole("cell").first()).toHaveText(String(i + 1));
    await expect(row.getByRole("rowheader")).toHaveText(new RegExp(e.slug.replace("ios", "iOS"), "i"));
    await expect(row).toContainText(`${e.share.toFixed(1)}%`);
  }

  // The team page: per-tool split and open→merge medians with their counts.
  await rows.nth(1).getByRole("rowheader").getByRole("link").click();
  const outcomes = page.getByTestId("github-outcomes");
  // The team page streams its panels; on a busy machine the whole page can take a while.
  await expect(outcomes).toContainText("Merged PRs", { timeout: 60_000 });
  await expect(outcomes.getByRole("row", { name: /claude/i })).toContainText("75.0%");
  await expect(page.getByTestId("merge-times")).toContainText("AI-assisted PRs 2.0 h over 3 PRs (small sample); other PRs 6.0 h over 1 PR (small sample)");
  expect(errors).toEqual([]);
});
