import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { signIn, watchConsole } from "./helpers";

// A manager's Monday: overview → leaderboard (metric, period, filter; the URL carries the
// view and a reload keeps it) → a team page → trends. No console errors on the way; a
// screenshot of each page is attached to the report.


async function snap(page: Page, info: TestInfo, name: string) {
  await page.screenshot({ path: info.outputPath(`${name}.png`), fullPage: true });
  await info.attach(name, { path: info.outputPath(`${name}.png`), contentType: "image/png" });
}

test("a manager reads the dashboard and shares a view by its URL", async ({ page }, info) => {
  const errors = watchConsole(page);
  await signIn(page, "manager");

  // Overview: KPI cards with their change, top teams, trend by tool.
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByTestId("kpi-tokens")).not.toHaveText("—");
  await expect(page.getByRole("region", { name: "Top 10 teams" }).getByRole("row")).not.toHaveCount(1);
  await expect(page.getByRole("region", { name: "Usage by tool" }).locator("svg.recharts-surface").first()).toBeVisible();
  await snap(page, info, "overview");

  // Leaderboard: change metric, period and a tool filter; each lands in the URL.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Leaderboard" }).click();
  const table = page.getByTestId("leaderboard");
  await expect(table.getByRole("row").nth(1)).toBeVisible();
  await page.getByLabel("Metric", { exact: true }).selectOption("adoption");
  await expect(page).toHaveURL(/metric=adoption/);
  await page.getByLabel("Period", { exact: true }).selectOption("7d");
  await expect(page).toHaveURL(/period=7d/);
  await page.getByText("All tools").click();
  // The box follows the URL, so it is ticked once the new view has arrived.
  const claude = page.getByRole("checkbox", { name: /claude/i });
  await claude.click();
  await expect(page).toHaveURL(/tool=claude-code/);
  await expect(claude).toBeChecked();
  await page.keyboard.press("Escape");
  await expect(claude).toBeHidden();
  await expect(page.getByRole("heading", { name: "Leaderboard" })).toBeVisible();
  await expect(page.getByText(/ranked by adoption · Last 7 days · 1 tool/)).toBeVisible();
  const firstTeam = await table.getByRole("row").nth(1).getByRole("rowheader").innerText();

  // Sort by a column: the table reorders, the URL keeps it, aria-sort says so.
  await table.getByRole("link", { name: /Tokens \/ eng/ }).click();
  await expect(page).toHaveURL(/sort=tokens_per_engineer/);
  await expect(table.getByRole("columnheader", { name: /Tokens \/ eng/ })).toHaveAttribute("aria-sort", "descending");

  // A reload keeps the whole view.
  const url = page.url();
  await page.reload();
  await expect(page).toHaveURL(url);
  await expect(page.getByLabel("Metric", { exact: true })).toHaveValue("adoption");
  await expect(page.getByLabel("Period", { exact: true })).toHaveValue("7d");
  await expect(page.getByText(/ranked by adoption · Last 7 days · 1 tool/)).toBeVisible();
  await snap(page, info, "leaderboard");

  // Back returns to the previous view (rank order).
  await page.goBack();
  await expect(page).not.toHaveURL(/sort=/);
  await expect(table.getByRole("row").nth(1).getByRole("rowheader")).toHaveText(firstTeam);

  // The org-unit roll-up ranks groups.
  await page.getByLabel("Rank", { exact: true }).selectOption("units");
  await expect(page).toHaveURL(/view=units/);
  await expect(table.getByText("group").first()).toBeVisible();

  // A team page: trend, breakdowns, sources.
  await table.getByRole("rowheader").first().getByRole("link").click();
  await expect(page).toHaveURL(/\/teams\//);
  await expect(page.getByRole("region", { name: "Tokens and invocations" })).toBeVisible();
  await expect(page.getByRole("region", { name: "By tool" })).toBeVisible();
  await expect(page.getByRole("region", { name: "By model" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Sources" })).toContainText("current members have reported");
  await expect(page.getByRole("region", { name: "People" })).toBeVisible();
  await snap(page, info, "team");

  // Trends: compare teams on a metric by week.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Trends" }).click();
  await expect(page.getByRole("region", { name: "Comparison" })).toContainText("five teams with the most tokens");
  await page.getByLabel("Granularity", { exact: true }).selectOption("week");
  await expect(page).toHaveURL(/grain=week/);
  await expect(page.getByRole("region", { name: "Comparison" }).locator(".recharts-line").first()).toBeVisible();
  await snap(page, info, "trends");

  expect(errors).toEqual([]);
});

test("a viewer sees team figures but no people", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/leaderboard");
  await page.getByTestId("leaderboard").getByRole("rowheader").first().getByRole("link").click();
  await expect(page.getByRole("region", { name: "People" })).toContainText("not shown to you");
  await expect(page.getByTestId("people")).toHaveCount(0);
});
